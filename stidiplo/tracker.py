"""The tracker: every item, looked up by id prefix, changed only through checked operations."""

from __future__ import annotations

import bisect
import heapq
import itertools
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from stidiplo import dates, model, rules, schema
from stidiplo.errors import AmbiguousIdError, NotFoundError, StoreError, ValidationError
from stidiplo.model import Item, Note

if TYPE_CHECKING:
    from datetime import date

    from stidiplo.changes import ItemChanges
    from stidiplo.query import Filter
    from stidiplo.store.records import StoredItems

MIN_SHORT_ID = 6


class DamagedItemError(StoreError):
    """A record of the file, edited by hand, cannot be used as an item: named with its field, exit 1."""

    def __init__(self, item_id: str, problem: str | None, *, writing: bool = False) -> None:
        refusal = "; nothing was changed" if writing else ""
        super().__init__(
            f"item {item_id} is damaged: {problem}{refusal} (mend it in the file; `stidiplo check` lists every problem)"
        )


class ItemMap(MutableMapping[str, Item]):
    """Items by id, each built from its stored record the first time it is asked for.

    Building an item costs about as much as parsing its record, so a command that shows one
    item, or the few that a filter keeps, builds only those: at 100,000 items, building them
    all took 0.4 s of the 1.2 s that `list --country X` took. A malformed record is reported
    when its item is needed; `stidiplo check` finds them all. Where the file's index holds the
    stored values a filter looks at (`columns`), the records a filter rules out are not even parsed.
    """

    def __init__(
        self,
        items: Mapping[str, Item | None],
        records: Mapping[str, Any],
        columns: Mapping[str, list] | None = None,
        places: Mapping[str, int] | None = None,
        *,
        sound: bool = False,
    ) -> None:
        self._items: dict[str, Item | None] = dict(items)
        self._records = records
        self._columns = columns if sound and places is not None else None
        """Indexed stored values by field, in the order of `_items`, while every record is usable and
        no item has changed; `_places` says where each id's values are."""
        self._places = places
        self._sound = sound

    @classmethod
    def of_stored(cls, stored: StoredItems) -> ItemMap:
        """The items of a tracker file's records as the store read them (with its index, if any)."""
        return cls(dict.fromkeys(stored.ids), stored, stored.columns, stored.places, sound=stored.sound)

    def __getitem__(self, item_id: str) -> Item:
        item = self._items[item_id]
        if item is None:
            record = self._records[item_id]
            problem = rules.record_problem(record)
            try:
                item = Item.from_record(item_id, record) if problem is None else None
            except ValidationError as err:
                problem = str(err).removeprefix(f"item {item_id}: ")
            if item is None:
                raise DamagedItemError(item_id, problem)
            self._items[item_id] = item
        return item

    @property
    def sound(self) -> bool:
        """Whether every record is known to be usable as an item (checked, or judged when indexed)."""
        return self._sound

    def refuse_damaged(self) -> None:
        """Raise DamagedItemError for the first record not yet read that cannot be used as an item."""
        if self._sound:
            return
        for item_id, item in self._items.items():
            if item is None:
                problem = rules.record_problem(self._records[item_id])
                if problem is not None:
                    raise DamagedItemError(item_id, problem, writing=True)
        self._sound = True

    def __setitem__(self, item_id: str, item: Item) -> None:
        self._items[item_id] = item
        self._columns = None

    def __delitem__(self, item_id: str) -> None:
        del self._items[item_id]
        self._columns = None

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._items

    def peek(self, item_id: str, name: str) -> object:
        """One field of an item, read from the index or its record when the item is not built yet."""
        item = self._items[item_id]
        if item is not None:
            return getattr(item, name)
        if self._columns is not None and self._places is not None and name in self._columns:
            return self._columns[name][self._places[item_id]]
        record = self._records[item_id]
        return record.get(name) if isinstance(record, dict) else None

    def where(self, flt: Filter) -> Iterator[Item]:
        """Every item but those whose stored values `flt` rules out (`Filter.admits`), which are never built."""
        columns = self._columns
        if columns is None:
            for item_id, item in self._items.items():
                if item is None:
                    record = self._records[item_id]
                    if isinstance(record, dict) and not flt.admits(record):
                        continue
                    item = self[item_id]
                yield item
            return
        admits = flt.admits_values
        for (item_id, item), stored in zip(self._items.items(), _filtered_values(columns), strict=True):
            if item is not None or admits(*stored):
                yield self[item_id]

    def earliest(self, flt: Filter, count: int, *, reverse: bool = False) -> list[Item] | None:
        """The first `count` items by date that `flt` admits, and every other of the last one's date (the
        last `count` with `reverse`), judged on the index: only those are built. None without an index."""
        columns = self._columns
        if columns is None:
            return None
        admits = flt.admits_values
        keyed = [
            (_date_order(when), item_id)
            for item_id, when, stored in zip(self._items, columns["date"], _filtered_values(columns), strict=True)
            if admits(*stored)
        ]
        if len(keyed) > count:
            edge = (heapq.nlargest if reverse else heapq.nsmallest)(count, keyed)[-1][0]
            keyed = [(key, i) for key, i in keyed if (key >= edge if reverse else key <= edge)]
        return [self[item_id] for _, item_id in keyed]


def _shared(one: str, other: str) -> int:
    """How many characters two ids share at their start."""
    count = 0
    for mine, theirs in zip(one, other, strict=False):
        if mine != theirs:
            break
        count += 1
    return count


def _filtered_values(columns: Mapping[str, list]) -> Iterator[tuple]:
    """Each item's stored values that `Filter.admits_values` judges, in their order there."""
    return zip(*(columns[name] for name in ("kind", "status", "countries", "fields", "follows")), strict=True)


def _date_order(stored: object) -> tuple:
    """Where a stored date sorts (as `Item.start.sort_key` does): undated items last."""
    return (dates.parse_stored(stored) if isinstance(stored, str) and stored else dates.UNDATED).sort_key


def _listed(value: object) -> list | tuple:
    """A stored list as it is; anything else (missing, malformed) as no entries."""
    return value if isinstance(value, list) else ()


class Tracker:
    """All items of one tracker file, with the changes made since it was read."""

    def __init__(self, items: Mapping[str, Item], meta: dict) -> None:
        self.items = items if isinstance(items, ItemMap) else ItemMap(items, {})
        self.meta = meta
        self.changed_ids: set[str] = set()
        self.removed_ids: set[str] = set()
        self.meta_changed = False
        self._sorted_ids: list[str] | None = None
        self._followups: dict[str, list[str]] | None = None

    # -- looking up ---------------------------------------------------------------------------

    def all(self) -> list[Item]:
        return list(self.items.values())

    def candidates(self, flt: Filter) -> Iterator[Item]:
        """The items `flt` may match: those its plain conditions rule out are not even built."""
        return self.items.where(flt) if flt.judges_records else iter(self.items.values())

    def select(self, flt: Filter, sort: str = "date", *, limit: int | None = None, reverse: bool = False) -> list[Item]:
        """`query.select` over the tracker's items. The first few by date under plain conditions are
        picked through the index, which builds only them (and those of the same date)."""
        from stidiplo.query import select

        if limit and sort == "date" and flt.only_plain:
            few = self.items.earliest(flt, limit, reverse=reverse)
            if few is not None and all(flt.matches(item) for item in few):
                return select(few, flt, sort, limit=limit, reverse=reverse)
        return select(self.candidates(flt), flt, sort, limit=limit, reverse=reverse)

    @property
    def as_of(self) -> str | None:
        """The date the recorded statuses describe, when the file says so."""
        return self.meta.get("as_of")

    def sorted_ids(self) -> list[str]:
        if self._sorted_ids is None:
            self._sorted_ids = sorted(self.items)
        return self._sorted_ids

    def resolve(self, ref: str) -> Item:
        """The item whose id is `ref` or starts with it, like a git commit prefix."""
        key = ref.strip().lower()
        if key in self.items:
            return self.items[key]
        if not key or any(c not in "0123456789abcdef" for c in key):
            raise NotFoundError(f"no item with id {ref!r} (ids are hexadecimal; see `stidiplo list`)")
        ids = self.sorted_ids()
        start = bisect.bisect_left(ids, key)
        matches = []
        for item_id in ids[start:]:
            if not item_id.startswith(key):
                break
            matches.append(item_id)
        if not matches:
            raise NotFoundError(f"no item with id {ref!r}")
        if len(matches) > 1:
            shown = ", ".join(f"{self.short_id(i)} ({self.items[i].title_in('en')[:40]})" for i in matches[:5])
            more = f" and {len(matches) - 5} more" if len(matches) > 5 else ""
            raise AmbiguousIdError(f"id {ref!r} is ambiguous: {shown}{more}")
        return self.items[matches[0]]

    def short_id(self, item_id: str) -> str:
        """The shortest prefix (at least 6 characters) that names only this item."""
        ids = self.sorted_ids()
        at = bisect.bisect_left(ids, item_id)
        neighbours = ids[max(at - 1, 0) : at] + ids[at + 1 : at + 2]
        shared = max((_shared(item_id, other) for other in neighbours), default=0)
        return item_id[: max(MIN_SHORT_ID, shared + 1)]

    def short_ids(self) -> dict[str, str]:
        """Every item's short id, worked out in one pass over the sorted ids (for a view that shows them
        all: asked one by one, 100,000 of them took a third of a second)."""
        ids = self.sorted_ids()
        shared = [_shared(one, other) for one, other in itertools.pairwise(ids)]
        around = map(max, [0, *shared], [*shared, 0])
        return {i: i[: max(MIN_SHORT_ID, n + 1)] for i, n in zip(ids, around, strict=True)}

    def followups(self, meeting_id: str) -> list[Item]:
        """The items that follow up a meeting, by date."""
        if self._followups is None:
            index: dict[str, list[str]] = {}
            for item_id in self.items:
                meetings = self.items.peek(item_id, "follows")
                for meeting in _listed(meetings):
                    if isinstance(meeting, str):
                        index.setdefault(meeting, []).append(item_id)
            self._followups = index
        return sorted((self.items[i] for i in self._followups.get(meeting_id, ())), key=lambda i: i.start.sort_key)

    def related_to(self, item: Item) -> list[Item]:
        """Items linked to `item` through `related`, in either direction."""
        linked = {i for i in item.related if i in self.items}
        linked |= set(self._linking_to(item.id))
        return sorted((self.items[i] for i in linked), key=lambda i: i.start.sort_key)

    def _linking_to(self, item_id: str) -> list[str]:
        """The ids of the items whose `related` names `item_id`, read without building the others."""
        return [other for other in self.items if item_id in _listed(self.items.peek(other, "related"))]

    # -- changing -----------------------------------------------------------------------------

    def check_links(self, item: Item) -> None:
        """Raise ValidationError when `follows` or `related` name a missing item or a non-meeting,
        or when `item`, followed by others, is no longer a meeting."""
        for ref in item.follows:
            meeting = self.items.get(ref)
            kind = None if meeting is None else meeting.kind
            if rules.follows_problem(ref, kind):  # the short id is worked out only for the message
                raise ValidationError(rules.follows_problem(ref if meeting is None else self.short_id(ref), kind))
        for ref in item.related:
            if ref not in self.items:
                raise ValidationError(f"related: no item with id {ref}")
        if item.kind != "meeting" and item.id in self.items and self.followups(item.id):
            # only an item already in the tracker can be followed; a meeting may always be
            problem = rules.still_a_meeting_problem(self.short_id(item.id), item.kind, followed=True)
            if problem:
                raise ValidationError(problem)

    def check(self, item: Item) -> None:
        """Raise ValidationError when `item` breaks the model or links to what it may not, in this tracker."""
        rules.validate(item)
        self.check_links(item)

    def _put(self, item: Item) -> Item:
        self.items.refuse_damaged()
        self.check(item)
        self.items[item.id] = item
        self.changed_ids.add(item.id)
        self._sorted_ids = None
        self._followups = None
        return item

    def add(self, item: Item) -> Item:
        """Add a new item, stamping its creation and first status."""
        if item.id in self.items:
            raise ValidationError(f"id: {item.id} already exists")
        stamp = schema.now()
        return self._put(rules.status_recorded(replace(item, created=item.created or stamp, updated=stamp), stamp))

    def create(self, changes: ItemChanges, today: date) -> Item:
        """Add the item `changes` describes: a new id, and the status its date implies unless given."""
        from stidiplo.changes import default_status

        stamp = schema.now()
        blank = Item(id=model.new_id(), kind="", title="", date=None, status="")
        item = changes.with_ids(self.id_of).applied_to(blank, stamp)
        if "status" not in changes.values:
            item = replace(item, status=default_status(item.date, today))
        return self.add(item)

    def change(self, item_id: str, changes: ItemChanges) -> Item:
        """Make `changes` to an item, checked like any update; a status change goes into its history."""
        stamp = schema.now()
        return self.update(changes.with_ids(self.id_of).applied_to(self.items[item_id], stamp), stamp)

    def id_of(self, ref: str) -> str:
        """The full id of the item `ref` names (an id or prefix)."""
        return self.resolve(ref).id

    def update(self, item: Item, stamp: str | None = None) -> Item:
        """Replace an existing item with an edited copy, recording a status change in its history.

        `stamp` is when the change was made (default: now), so one change has one time.
        """
        old = self.items.get(item.id)
        if old is None:
            raise NotFoundError(f"no item with id {item.id}")
        if item == old:
            return old
        stamp = stamp or schema.now()
        if item.history == old.history:
            item = rules.status_recorded(item, stamp)
        return self._put(replace(item, updated=stamp))

    def put_all(self, items: Iterable[Item]) -> None:
        """Add or replace items exactly as given, stamps and history kept (an import, a restore).

        Links are checked once all are in place, so the items may follow or relate to one another
        in any order; a meeting that others follow must stay a meeting.
        """
        items = list(items)
        self.items.refuse_damaged()
        for item in items:
            rules.validate(item)
        for item in items:
            self.items[item.id] = item
            self.changed_ids.add(item.id)
        self._sorted_ids = None
        self._followups = None
        for item in items:
            self.check_links(item)

    def note(self, item_id: str, text: str, text_en: str | None = None) -> Item:
        """Add a dated note to an item, like an annotation, in Japanese and (optionally) English."""
        item = self.items[item_id]
        stamp = schema.now()
        return self.update(replace(item, notes=[*item.notes, Note(stamp, text, text_en)]), stamp)

    def remove(self, item_id: str, *, detach: bool = False) -> list[Item]:
        """Remove an item; a meeting that others follow is removed only with `detach`.

        Returns the follow-ups that were detached.
        """
        self.items.refuse_damaged()
        followers = self.followups(item_id)
        if followers and not detach:
            raise ValidationError(
                f"{self.short_id(item_id)} is followed by {len(followers)} item(s); "
                "use --detach to keep them without a meeting, or remove them first"
            )
        for follower in followers:
            self.update(replace(follower, follows=[m for m in follower.follows if m != item_id]))
        for other in [self.items[i] for i in self._linking_to(item_id)]:
            self.update(replace(other, related=[r for r in other.related if r != item_id]))
        del self.items[item_id]
        self.changed_ids.discard(item_id)
        self.removed_ids.add(item_id)
        self._sorted_ids = None
        self._followups = None
        return followers
