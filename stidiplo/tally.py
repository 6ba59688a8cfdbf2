"""Follow-ups tallied by status, per meeting, country, field or year: the scorecard.

In the spirit of summit-compliance reports, each follow-up is a commitment and the score is the
share completed: done / (all − dropped).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from stidiplo.model import STATUSES, Item
from stidiplo.query import sort_items
from stidiplo.tracker import Tracker

GROUPINGS = ("meeting", "country", "field", "year")
NO_FIELD = "other"
UNDATED_KEY = "undated"
"""The year group of items without a date; it sorts after every year."""
QUIET_YEARS = 3
"""A stretch of at least this many years without an item folds into one gap in the timeline lanes."""


@dataclass(frozen=True, slots=True)
class Group:
    """Items sharing one key: a meeting id, a country code, a field slug or a year."""

    key: str
    items: list[Item]


@dataclass(frozen=True, slots=True)
class Tally:
    """How many of a group's follow-ups are at each status."""

    key: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def completed(self) -> float | None:
        """done / (all − dropped); None when nothing is left to complete."""
        live = self.total - self.counts["dropped"]
        return self.counts["done"] / live if live else None


def group_items(items: Iterable[Item], by: str) -> list[Group]:
    """Items under each country, field or year they belong to (an item may sit in several).

    Countries and fields come largest group first; years in order.
    """
    groups: dict[str, list[Item]] = {}
    for item in sort_items(items):
        for key in _keys(item, by):
            groups.setdefault(key, []).append(item)
    if by == "year":
        return [Group(k, groups[k]) for k in sorted(groups)]
    return [Group(k, v) for k, v in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))]


def _keys(item: Item, by: str) -> list[str]:
    if by == "country":
        return list(item.countries)
    if by == "field":
        return list(item.fields) or [NO_FIELD]
    return [str(item.start.first.year) if item.dated else UNDATED_KEY]


def tally(key: str, items: Iterable[Item]) -> Tally:
    counts = dict.fromkeys(STATUSES, 0)
    for item in items:
        counts[item.status] += 1
    return Tally(key, counts)


def scorecard(tracker: Tracker, followups: list[Item], by: str) -> tuple[list[Tally], Tally]:
    """A tally per meeting (by date), country, field or year, and one for all `followups`.

    `followups` are the items chosen for scoring; by meeting, each is counted under the meeting
    it follows; otherwise under its own countries, fields or year.
    """
    if by == "meeting":
        meetings = sort_items(tracker.items[m] for m in {m for f in followups for m in f.follows} if m in tracker.items)
        chosen = {f.id for f in followups}
        rows = [tally(m.id, (f for f in tracker.followups(m.id) if f.id in chosen)) for m in meetings]
    else:
        rows = [tally(g.key, g.items) for g in group_items(followups, by)]
    return rows, tally("total", followups)


@dataclass(frozen=True, slots=True)
class Lane:
    """A group's items by year: those starting in it, and those started earlier and still running."""

    key: str
    items: list[Item]
    cells: dict[int, tuple[list[Item], list[Item]]]


def lanes(items: Iterable[Item], by: str) -> tuple[list[int | None], list[Lane]]:
    """The years to draw, and one lane per country or field.

    An item marks the year it starts; with an `end` (a support period, a validity) it runs through
    each later year up to the end's. Stretches of `QUIET_YEARS` or more years in which no lane has
    anything fold into one gap (None), so a lone item decades back does not stretch the chart.
    """
    built = []
    for group in group_items(items, by):
        cells: dict[int, tuple[list[Item], list[Item]]] = {}
        for item in group.items:
            if not item.dated:
                continue
            first = item.start.first.year
            cells.setdefault(first, ([], []))[0].append(item)
            last = item.finish.last.year if item.end else first
            for year in range(first + 1, last + 1):
                cells.setdefault(year, ([], []))[1].append(item)
        built.append(Lane(group.key, group.items, cells))
    busy = sorted({year for lane in built for year in lane.cells})
    drawn: list[int | None] = []
    previous: int | None = None
    for year in busy:
        if previous is not None and year - previous > QUIET_YEARS:
            drawn.append(None)
        elif previous is not None:
            drawn += range(previous + 1, year)
        drawn.append(year)
        previous = year
    return drawn, built


def runs_past(item: Item, year: int) -> bool:
    """Whether an item's explicit span goes on beyond `year`."""
    return item.end is not None and item.finish.last.year > year
