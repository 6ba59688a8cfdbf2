"""What happened to items, derived from the items themselves: added, status changed, noted, edited.

No separate journal is kept: an item's `created` stamp, its status history, its notes and its
`updated` stamp already say what was recorded and when.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from stidiplo import dates
from stidiplo.model import Item, in_lang

ADDED, STATUS, NOTED, EDITED = "added", "status", "noted", "edited"
ACTIONS = (ADDED, STATUS, NOTED, EDITED)


@dataclass(slots=True)
class Event:
    """One recorded change to one item (not frozen: a log of 100,000 items makes 300,000 of them, and a
    frozen dataclass takes three times as long to make)."""

    at: str
    action: str
    item: Item
    status: str | None = None
    note: str | None = None
    note_en: str | None = None

    def note_in(self, lang: str) -> str | None:
        """The note in `lang`, else in the other language; None for a change that is not a note."""
        return in_lang(lang, self.note, self.note_en)


def stamp_span(at: str) -> dates.PartialDate | None:
    """The days a stored stamp may stand for: '2019-04-30T09:00:00Z' is a day, '2019-04' a month."""
    try:
        return dates.parse_stored(at[:10] if len(at) > 10 else at)
    except ValueError:
        return None


def format_stamp(at: str, lang: str) -> str:
    """A stamp as its date reads in `lang` ('30 Apr 2019', '2019年4月30日'); unreadable stamps as stored."""
    span = stamp_span(at)
    return at if span is None else span.format(lang)


def has_history(item: Item) -> bool:
    """Whether an item has more on record than the status it was added with."""
    return bool(item.notes) or len(item.history) > 1


def history(item: Item) -> list[Event]:
    """An item's status changes and notes in date order (a status before a note stamped alike):
    the history every view and document lists under an item."""
    entries = [Event(h.at, STATUS, item, status=h.status) for h in item.history]
    entries += [Event(n.at, NOTED, item, note=n.text, note_en=n.text_en) for n in item.notes]
    return sorted(entries, key=lambda e: e.at)


def history_lines(item: Item, lang: str) -> list[tuple[str, Event]]:
    """The history as a reader scans it: each entry's date, left blank where it repeats the line above."""
    lines, previous = [], None
    for event in history(item):
        when = format_stamp(event.at, lang)
        lines.append(("" if when == previous else when, event))
        previous = when
    return lines


def item_events(item: Item) -> list[Event]:
    """Every change recorded on `item`, oldest first.

    The first status entry stamped with the creation time is the item's initial status, part of
    'added'; the `updated` stamp counts as an edit only when no other event explains it.
    """
    return sorted(_recorded(item), key=lambda e: e.at)


def _recorded(item: Item) -> list[Event]:
    """Every change recorded on `item`, in the order of `item_events` where their stamps are equal."""
    events = [Event(item.created, ADDED, item)] if item.created else []
    for number, change in enumerate(item.history):
        if number == 0 and change.at == item.created:
            continue
        events.append(Event(change.at, STATUS, item, status=change.status))
    events += [Event(n.at, NOTED, item, note=n.text, note_en=n.text_en) for n in item.notes]
    if item.updated and all(e.at != item.updated for e in events):
        events.append(Event(item.updated, EDITED, item))
    return events


def log(items: Iterable[Item], since: dates.PartialDate | None = None, limit: int | None = None) -> list[Event]:
    """Every change across `items`, newest first; only those that may fall on or after `since`."""
    events = [e for item in items for e in _recorded(item)]  # sorted below, equal stamps kept in order
    if since is not None:
        events = [e for e in events if _on_or_after(e.at, since.first)]
    # Ordered by stamp, then action, then item, in two stable sorts on plain keys: sorting 300,000
    # events on (date, stamp, action, id) tuples took three quarters of a second.
    stamps = sorted({e.at for e in events}, key=_stamp_key)
    order = {at: len(ACTIONS) * n for n, at in enumerate(stamps)}
    action = {name: n for n, name in enumerate(ACTIONS)}
    events.sort(key=lambda e: e.item.id, reverse=True)
    events.sort(key=lambda e: order[e.at] + action[e.action], reverse=True)
    return events if limit is None else events[:limit]


def _stamp_key(at: str) -> tuple[date, str]:
    """Stamps in time order: by the first day they stand for ('FY2018' is April 2018), then as written."""
    span = stamp_span(at)
    return (date.min if span is None else span.first, at)


def _on_or_after(at: str, day: date) -> bool:
    span = stamp_span(at)
    return span is not None and span.last >= day


def last_activity(item: Item) -> dates.PartialDate | None:
    """The latest status change, note or edit of an item, as the days its stamp stands for."""
    spans = [stamp_span(at) for at in (item.updated, *(h.at for h in item.history), *(n.at for n in item.notes)) if at]
    known = [s for s in spans if s is not None]
    return max(known, key=lambda s: s.last) if known else None
