"""Filters and sorting over items."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from stidiplo.dates import PartialDate
from stidiplo.errors import UsageError
from stidiplo.model import Item
from stidiplo.vocab import fold

SORT_KEYS = ("date", "title", "kind", "status", "country", "updated", "created")


@dataclass(frozen=True)
class Filter:
    """What a listing asks for; an empty filter matches every item."""

    countries: frozenset[str] = frozenset()
    fields: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    since: PartialDate | None = None
    until: PartialDate | None = None
    follows: str | None = None
    search: str | None = None

    def __post_init__(self) -> None:
        since, until = self.since, self.until
        if since is not None and until is not None and until.last < since.first:
            raise UsageError(f"the period is reversed: --until {until} ends before --since {since} begins")

    def matches(self, item: Item) -> bool:
        """Whether the item passes every condition. A period (--since, --until) holds the items whose dates
        overlap it: never an undated item, and an estimated end does not carry an item into it."""
        if not self._plain(item.kind, item.status, item.countries, item.fields, item.follows):
            return False
        if (self.since is not None or self.until is not None) and not item.dated:
            return False
        if self.since is not None and item.given_finish.last < self.since.first:
            return False
        if self.until is not None and item.start.first > self.until.last:
            return False
        if self.search is not None and fold(self.search) not in searchable(item):
            return False
        return True

    @property
    def judges_records(self) -> bool:
        """Whether the filter has conditions that `admits` can judge on a stored record."""
        return bool(self.kinds or self.statuses or self.countries or self.fields or self.follows is not None)

    @property
    def only_plain(self) -> bool:
        """Whether `admits` judges the filter whole: no period and no search."""
        return self.since is None and self.until is None and self.search is None

    def admits(self, record: dict) -> bool:
        """Whether a stored record may match, judged on its plain fields before its item is built."""
        get = record.get
        return self.admits_values(get("kind"), get("status"), get("countries"), get("fields"), get("follows"))

    def admits_values(self, kind: object, status: object, countries: object, fields: object, follows: object) -> bool:
        """Whether an item with these stored values may match (the plain conditions).

        Values that cannot be compared (a list where a code belongs) are admitted: building the
        item says what is wrong with it.
        """
        try:
            return self._plain(kind, status, countries or (), fields or (), follows)  # type: ignore[arg-type]
        except TypeError:
            return True

    def _plain(self, kind: object, status: object, countries: Iterable, fields: Iterable, follows: object) -> bool:
        """The conditions on values stored as they are compared: kind, status, countries, fields, meeting."""
        if self.kinds and kind not in self.kinds:
            return False
        if self.statuses and status not in self.statuses:
            return False
        if self.countries and self.countries.isdisjoint(countries):
            return False
        if self.fields and self.fields.isdisjoint(fields):
            return False
        return self.follows is None or (isinstance(follows, list) and self.follows in follows)


def searchable(item: Item) -> str:
    """Every text a search looks in, folded into one string."""
    parts = [item.title, item.title_en or "", item.place or "", item.place_en or "", *item.organizations]
    parts += [*item.programmes, *item.people, *item.people_en]
    parts += [t for n in item.notes for t in (n.text, n.text_en or "")]
    return fold("\n".join(parts))


def _sort_key(key: str) -> Callable[[Item], tuple]:
    """What items are ordered by for `key`; ties fall back to date, then title, then id."""
    if key not in SORT_KEYS:
        raise UsageError(f"cannot sort by {key!r}; use one of: {', '.join(SORT_KEYS)}")

    def by(item: Item) -> tuple:
        tail = (item.start.sort_key, item.title, item.id)
        if key == "date":
            return tail
        if key == "country":
            return (item.countries[0] if item.countries else "", *tail)
        return (getattr(item, key) or "", *tail)

    return by


def sort_items(items: Iterable[Item], key: str = "date", *, reverse: bool = False) -> list[Item]:
    """Items ordered by `key`; ties fall back to date, then title, so the order is stable."""
    return sorted(items, key=_sort_key(key), reverse=reverse)


def select(
    items: Iterable[Item], flt: Filter, sort: str = "date", *, limit: int | None = None, reverse: bool = False
) -> list[Item]:
    """The items matching `flt`, sorted, at most `limit` of them.

    With a limit smaller than the matches, only the first `limit` are picked out in order
    (a heap: n log limit), instead of sorting every match.
    """
    by = _sort_key(sort)
    chosen = [item for item in items if flt.matches(item)]
    if limit is not None and 0 < limit < len(chosen):
        return (heapq.nlargest if reverse else heapq.nsmallest)(limit, chosen, key=by)
    chosen.sort(key=by, reverse=reverse)
    return chosen if limit is None else chosen[:limit]
