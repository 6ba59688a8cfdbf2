"""Checking the whole tracker: every problem with the item it concerns, and the repairs that are safe.

A repair is safe when it loses nothing a person wrote: a link to a missing item is dropped (a
cleared `follows` leaves a note saying what it named), a history entry is appended for the
current status, a repeated country or field is dropped, and a country or field written as a name
or in the wrong case becomes the code the vocabulary gives it. Everything else is reported for a
person to decide. Writing the repairs also settles what any write settles: of a key or id the
text repeats, only the last copy is kept (the backup taken first keeps the text as it was).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from stidiplo import dates, model, rules, schema, vocab
from stidiplo.errors import StidiploError, ValidationError
from stidiplo.lifecycle import lifecycle_doubts
from stidiplo.model import Item, Note
from stidiplo.schema import META, META_DOC
from stidiplo.store import Store
from stidiplo.store.fileformat import item_records, repeated_keys, serialize
from stidiplo.tracker import Tracker
from stidiplo.tracker_file import data_from_tracker, tracker_from_data

_STAND_IN_DATE = "2000"
"""Replaces a date already reported as broken, so that rules.validate can judge the rest of the item."""
_STAND_IN_COUNTRIES = ["JP"]
"""Replaces countries already reported as unknown, for the same reason."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong: the item it concerns (None for the file), a code, a message, whether --fix mends it."""

    item_id: str | None
    code: str
    message: str
    fixable: bool = False
    warning: bool = False
    """A doubt for a person to look at (a lifecycle out of order), not a fault: check still exits 0."""

    def to_json(self) -> dict:
        return {
            "id": self.item_id,
            "code": self.code,
            "message": self.message,
            "fixable": self.fixable,
            "warning": self.warning,
        }


@dataclass(frozen=True)
class Report:
    """What `stidiplo check` found, what it repaired, and the tracker as it now stands."""

    items: int
    problems: list[Problem]
    """What is wrong now (after the repairs, with --fix)."""
    fixed: list[Problem]
    """What the repairs mended."""
    tracker: Tracker
    kept: Path | None = None
    """The backup of the version before the repairs, when repairs were written."""


def _known_country(code: object) -> str | None:
    """The stored code `code` should be: itself when known, the vocabulary's code for a name or alias."""
    if not isinstance(code, str):
        return None
    if vocab.is_country_code(code):
        return code
    try:
        return vocab.resolve_country(code)
    except StidiploError:
        return None


def _known_field(slug: object) -> str | None:
    """The field slug `slug` should be: itself when known, the vocabulary's slug for a name or alias."""
    if not isinstance(slug, str):
        return None
    if slug in vocab.known_fields():
        return slug
    try:
        return vocab.resolve_field(slug)
    except StidiploError:
        return None


def _date_problems(item: Item) -> list[Problem]:
    problems = []
    start = end = None
    for name in ("date", "end"):
        value = getattr(item, name)
        if value is None:
            continue
        try:
            parsed = dates.parse_stored(value)
        except (ValueError, TypeError, AttributeError):
            problems.append(Problem(item.id, "date", f"{name}: {value!r} is not a partial date"))
            continue
        start, end = (parsed, end) if name == "date" else (start, parsed)
    if start is not None and end is not None and end.last < start.first:
        problems.append(Problem(item.id, "date", f"end: {item.end} is before the date {item.date}"))
    return problems


def _history_problems(item: Item) -> list[Problem]:
    if item.status not in model.STATUSES:
        return []
    if not item.history:
        return [Problem(item.id, "history", f"history: empty; the status is {item.status}", True)]
    last = item.history[-1].status
    if last != item.status:
        return [Problem(item.id, "history", f"history: the last entry is {last} but the status is {item.status}", True)]
    return []


def _vocab_problems(item: Item) -> list[Problem]:
    problems = []
    for name, known, what in (("countries", _known_country, "country or bloc code"), ("fields", _known_field, "field")):
        values = getattr(item, name)
        for value in values:
            mended = known(value)
            if mended is None:
                problems.append(Problem(item.id, name, f"{name}: {value!r} is not a known {what}"))
            elif mended != value:
                problems.append(Problem(item.id, name, f"{name}: {value!r} should be written {mended}", True))
        repeated = sorted({v for v in values if isinstance(v, str) and values.count(v) > 1})
        if repeated:
            problems.append(Problem(item.id, name, f"{name}: {', '.join(repeated)} repeated", True))
    return problems


def _link_problems(item: Item, kinds: Mapping[str, str | None]) -> list[Problem]:
    problems = []
    for ref in dict.fromkeys(item.follows):
        if ref == item.id:
            problems.append(Problem(item.id, "follows", "follows: the item follows itself", True))
        elif ref not in kinds:
            problems.append(Problem(item.id, "follows", f"follows: no item with id {ref}", True))
        else:
            problem = rules.follows_problem(ref, kinds[ref] or "meeting")  # unreadable: not judged
            if problem:
                problems.append(Problem(item.id, "follows", problem))
    if len(set(item.follows)) != len(item.follows):
        problems.append(Problem(item.id, "follows", "follows: a meeting is named twice", True))
    for ref in dict.fromkeys(item.related):
        if ref == item.id:
            problems.append(Problem(item.id, "related", "related: the item relates to itself", True))
        elif ref not in kinds:
            problems.append(Problem(item.id, "related", f"related: no item with id {ref}", True))
    if len(set(item.related)) != len(item.related):
        problems.append(Problem(item.id, "related", "related: an id is repeated", True))
    return problems


def repair(item: Item, kinds: Mapping[str, str | None], at: str) -> Item:
    """`item` with every safe repair applied (itself when none applies); `at` stamps what is added."""
    countries = list(dict.fromkeys(_known_country(c) or c for c in item.countries))
    fields = list(dict.fromkeys(_known_field(f) or f for f in item.fields))
    related = [r for r in dict.fromkeys(item.related) if r != item.id and r in kinds]
    follows, notes = list(dict.fromkeys(item.follows)), item.notes
    for gone in [ref for ref in follows if ref == item.id or ref not in kinds]:
        notes = [*notes, Note(at, f"stidiplo check removed {gone} from follows: no such other item")]
        follows.remove(gone)
    mended = replace(item, countries=countries, fields=fields, related=related, follows=follows, notes=notes)
    if item.status in model.STATUSES:
        mended = rules.status_recorded(mended, at)
    return item if mended == item else mended


def _well_typed(item: Item) -> bool:
    """Whether the item's lists hold text and its links are text: the shape the other checks assume."""
    lists = (item.countries, item.fields, item.related, item.follows, item.organizations, item.people)
    return all(isinstance(v, str) for values in lists for v in values) and isinstance(item.status, str)


def item_problems(item: Item, kinds: Mapping[str, str | None]) -> list[Problem]:
    """Every problem of one readable item; `kinds` maps each id in the file to its kind (None if unreadable)."""
    if not _well_typed(item):
        try:
            rules.validate(item)
        except ValidationError as err:
            return [Problem(item.id, "invalid", str(err))]
        except TypeError:
            pass
        return [Problem(item.id, "invalid", "a link, status or list entry is not text")]
    found = [*_date_problems(item), *_history_problems(item), *_vocab_problems(item), *_link_problems(item, kinds)]
    residual = repair(item, kinds, schema.now())
    dated = not any(p.code == "date" for p in found)
    residual = replace(
        residual,
        date=residual.date if dated else _STAND_IN_DATE,
        end=residual.end if dated else None,
        countries=[c for c in residual.countries if _known_country(c) == c]
        or _STAND_IN_COUNTRIES[: len(item.countries)],
        fields=[f for f in residual.fields if _known_field(f) == f],
        follows=[],
        related=[],
    )
    try:
        rules.validate(residual)
    except ValidationError as err:
        found.append(Problem(item.id, "invalid", str(err)))
    return found


def _as_of_day(meta: Mapping[str, object]) -> date:
    """The day the statuses describe: the last day of the file's as-of date, else today."""
    try:
        return dates.parse_stored(meta["as_of"]).last
    except (KeyError, ValueError, TypeError):
        return date.today()


def _lifecycle_doubts(item: Item, meetings: list[Item], today: date) -> list[str]:
    try:
        return lifecycle_doubts(item, meetings, today)
    except (ValueError, TypeError, AttributeError):  # a broken date, reported as a problem of its own
        return []


def _shape_problems(item_id: str, record: object) -> list[Problem]:
    """What is wrong with a record before it is read as an item: a value of the wrong JSON type, an `id`
    that is not the key it is stored under, a time stamp that is not a time."""
    if not isinstance(record, dict):
        return []
    problems = [
        Problem(item_id, "type", f"{key}: {record[key]!r} is {rules.a_json_type(record[key])}, not a list")
        for key in rules.LIST_KEYS
        if record.get(key) is not None and not isinstance(record[key], list)
    ]
    stored_id = record.get("id")
    if stored_id is not None and stored_id != item_id:
        problems.append(Problem(item_id, "id", f"id: the record says {stored_id!r} but is stored under {item_id}"))
    for key in ("created", "updated"):
        stamp = record.get(key)
        if stamp and not _is_time(stamp):
            problems.append(Problem(item_id, "time", f"{key}: {stamp!r} is not a UTC time (YYYY-MM-DDTHH:MM:SSZ)"))
    return problems


def _is_time(value: object) -> bool:
    """Whether `value` is a time as `created` and `updated` store it."""
    try:
        datetime.strptime(value, schema.TIME_FORMAT)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True


def find_problems(
    records: Mapping[str, object], repeats: Mapping[str | None, list[str]], meta: Mapping[str, object]
) -> tuple[list[Problem], dict[str, Item]]:
    """Every problem in a tracker file's records (the file's first, then by item id), and the readable items."""
    problems: list[Problem] = []
    for item_id in dict.fromkeys(repeats.get(None, ())):
        problems.append(
            Problem(
                item_id,
                "repeated-id",
                "the id is written more than once in the items object; only the last copy is read",
            )
        )
    for owner, keys in repeats.items():
        if owner is not None:
            problems.append(
                Problem(
                    owner,
                    "repeated-key",
                    f"{', '.join(dict.fromkeys(keys))} written more than once in the record; only the last is read",
                )
            )
    as_of = meta.get("as_of")
    if as_of is not None:
        try:
            dates.parse_stored(as_of)
        except (ValueError, TypeError):
            problems.append(Problem(None, "meta", f"as_of: {as_of!r} is not a partial date"))
    items: dict[str, Item] = {}
    for item_id, record in records.items():
        shape = _shape_problems(item_id, record)
        problems += shape
        if any(p.code == "type" for p in shape):
            continue  # a string where a list belongs would be read letter by letter
        try:
            items[item_id] = Item.from_record(item_id, record)  # type: ignore[arg-type]  # it refuses a non-object
        except ValidationError as err:
            problems.append(Problem(item_id, "unreadable", str(err).removeprefix(f"item {item_id}: ")))
    kinds = {i: (items[i].kind if i in items else None) for i in records}
    today = _as_of_day(meta)
    for item in items.values():
        problems += item_problems(item, kinds)
        if _well_typed(item) and item.status in model.STATUSES:
            meetings = [items[m] for m in item.follows if m in items]
            problems += [
                Problem(item.id, "lifecycle", f"warning: {doubt}", warning=True)
                for doubt in _lifecycle_doubts(item, meetings, today)
            ]
    problems.sort(key=lambda p: (p.item_id is not None, p.item_id or ""))
    return problems, items


def repair_all(tracker: Tracker, at: str) -> list[str]:
    """Apply every safe repair to the tracker's items; the ids of the items repaired.

    Repairs replace items directly, past Tracker.update's checks, because they mend states
    those checks refuse; the repaired items are marked changed so the store writes them.
    """
    kinds = {i: item.kind for i, item in tracker.items.items()}
    repaired = []
    for item_id, item in list(tracker.items.items()):
        mended = repair(item, kinds, at) if _well_typed(item) else item
        if mended is not item:
            tracker.items[item_id] = mended
            tracker.changed_ids.add(item_id)
            repaired.append(item_id)
    return repaired


def check(store: Store, *, fix: bool = False) -> Report:
    """Check the tracker file; with `fix`, under its lock, write the safe repairs (after a backup).

    Without `fix` nothing is locked or created: checking reads one version of the file, as `list` does.
    """
    if not fix:
        raw, data = store.snapshot()
        meta = data[META][META_DOC]
        problems, items = find_problems(item_records(data), repeated_keys(raw), meta)
        return Report(len(item_records(data)), problems, [], Tracker(items, dict(meta)))
    with store.lock():
        data = store.current_data()
        meta = data[META][META_DOC]
        problems, items = find_problems(item_records(data), repeated_keys(store.read_bytes()), meta)
        fixable = [p for p in problems if p.fixable]
        if not fix or not fixable:
            return Report(len(item_records(data)), problems, [], Tracker(items, dict(meta)))
        records = item_records(data)
        unreadable = len(
            {p.item_id for p in problems if p.code in ("unreadable", "type")}
            | {i for i, record in records.items() if rules.record_problem(record) is not None}
        )
        if unreadable:
            raise StidiploError(
                f"cannot repair while {unreadable} record(s) cannot be read; "
                "mend those by hand first (see `stidiplo check`)"
            )
        tracker = tracker_from_data(data)
        repair_all(tracker, schema.now())
        kept = store.write(serialize(data_from_tracker(tracker, data)))
        data = store.current_data()
        remaining, items = find_problems(item_records(data), repeated_keys(store.read_bytes()), meta)
    fixed = [p for p in problems if p not in remaining]
    return Report(len(item_records(data)), remaining, fixed, Tracker(items, dict(meta)), kept)
