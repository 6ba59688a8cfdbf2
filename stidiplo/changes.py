"""A change to an item as a value: what a command, or an import row, asks to set, add and remove.

A command parses its options into an ItemChanges and hands it to the tracker, which resolves the
ids it names, applies it and checks the result against every rule of the model; so `add`, `edit`
and `import` cannot disagree about what an item may be.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from stidiplo.model import Item, Note
from stidiplo.rules import VALUE_LISTS, check_date

"""The fields holding lists, to which values can be added or from which they can be removed."""
SETTABLE = (
    frozenset(
        {
            "kind",
            "title",
            "title_en",
            "date",
            "date_estimated",
            "end",
            "end_estimated",
            "status",
            "place",
            "place_en",
            "participants",
            "participants_en",
            "amount",
            "provenance",
        }
    )
    | VALUE_LISTS
)
"""The fields a change may set; id, history, notes and stamps are the tracker's to keep."""


@dataclass(frozen=True, slots=True)
class ItemChanges:
    """What to change in one item.

    `values` maps a field to its new value (None clears an optional one); `added` and `removed`
    map a list field to the values to append (each once) or leave out; `notes` are added, dated
    when the change is applied. `follows` and `related` name items by id or prefix. A new amount
    without a detail keeps the item's detail (`edit --amount` changes the sum, not what it is per).
    """

    values: Mapping[str, object] = field(default_factory=dict)
    added: Mapping[str, Sequence[str]] = field(default_factory=dict)
    removed: Mapping[str, Sequence[str]] = field(default_factory=dict)
    notes: Sequence[str] = ()
    notes_en: Sequence[str] = ()
    """English wording of `notes`, by position (a note without one is in one language only)."""

    def __post_init__(self) -> None:
        unknown = (set(self.values) - SETTABLE) | (set(self.added) | set(self.removed)) - VALUE_LISTS
        if unknown:
            raise ValueError(f"not a field a change may set: {', '.join(sorted(unknown))}")

    def __bool__(self) -> bool:
        """Whether the change asks for anything at all."""
        return bool(self.values or any(self.added.values()) or any(self.removed.values()) or self.notes)

    def with_ids(self, resolve: Callable[[str], str]) -> ItemChanges:
        """The same change with every item it names (`follows`, `related`) resolved to a full id."""
        values, added, removed = dict(self.values), dict(self.added), dict(self.removed)
        for name in ("follows", "related"):
            refs = values.get(name)
            if isinstance(refs, list):
                values[name] = [resolve(ref) for ref in refs]
            added[name] = [resolve(ref) for ref in self.added.get(name, ())]
            removed[name] = [resolve(ref) for ref in self.removed.get(name, ())]
        return replace(self, values=values, added=added, removed=removed)

    def applied_to(self, item: Item, at: str) -> Item:
        """`item` with this change made; `at` dates the notes it adds. Not yet checked against the model."""
        values = dict(self.values)
        amount = values.get("amount")
        if amount is not None and getattr(amount, "detail", None) is None and item.amount is not None:
            values["amount"] = replace(amount, detail=item.amount.detail)  # type: ignore[type-var]
        for name in set(self.added) | set(self.removed):
            current = values.get(name, getattr(item, name))
            values[name] = merged_values(current, self.added.get(name, ()), self.removed.get(name, ()))  # type: ignore[arg-type]
        english = [*self.notes_en, *([None] * len(self.notes))]
        notes = [*item.notes, *(Note(at, text, en) for text, en in zip(self.notes, english, strict=False))]
        return replace(item, **values, notes=notes)  # type: ignore[arg-type]


def merged_values(values: Iterable[str], added: Iterable[str], gone: Iterable[str] = ()) -> list[str]:
    """`values` with `added` appended (each once) and `gone` left out; a source is left out by its document."""
    left_out = set(gone)
    return [
        v for v in dict.fromkeys([*values, *added]) if v not in left_out and getattr(v, "document", v) not in left_out
    ]


def default_status(date_text: str | None, today: date) -> str:
    """The status of a new item given none: done if its date has begun, else (or undated) scheduled."""
    return "scheduled" if not date_text or check_date("date", date_text).first > today else "done"


@dataclass(frozen=True)
class FieldChange:
    """One field of one item: its stored value before and after a change."""

    field: str
    old: object
    new: object


def field_changes(before: Item, after: Item, names: Sequence[str] | None = None) -> list[FieldChange]:
    """Every field of `names` (else every stored field but the time stamp) whose value differs."""
    old, new = before.to_record(), after.to_record()
    chosen = sorted(k for k in new if k != "updated") if names is None else names
    return [FieldChange(name, old[name], new[name]) for name in chosen if old[name] != new[name]]
