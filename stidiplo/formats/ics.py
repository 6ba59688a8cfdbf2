"""iCalendar: one all-day event per dated item, for Outlook, Google Calendar and Apple Calendar.

Each event's UID is `<item id>@stidiplo`, and its SEQUENCE grows with the item's `updated` stamp, so
importing a newer export into the same calendar updates the events instead of adding copies.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import IO, TYPE_CHECKING

from stidiplo import vocab
from stidiplo.dates import DAY, format_span
from stidiplo.model import Item
from stidiplo.schema import TIME_FORMAT

if TYPE_CHECKING:
    from icalendar import Event

PRODID = "-//stidiplo//STI diplomacy follow-ups//EN"
UID_DOMAIN = "stidiplo"
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
CALENDAR_STATUS = {
    "exploring": "TENTATIVE",
    "coordinating": "TENTATIVE",
    "scheduled": "CONFIRMED",
    "ongoing": "CONFIRMED",
    "done": "CONFIRMED",
    "dropped": "CANCELLED",
}


def is_day_dated(item: Item) -> bool:
    """Whether the item's date, and its end if any, are known to the day."""
    return item.start.precision == DAY and item.finish.precision == DAY


def uid(item: Item) -> str:
    return f"{item.id}@{UID_DOMAIN}"


def _stamp(text: str) -> datetime | None:
    """A stored UTC stamp (2019-04-30T09:15:00Z) as a datetime, or None when it is not one."""
    try:
        return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def _description(item: Item, lang: str, spanned: bool) -> str:
    other = "ja" if lang == "en" else "en"
    lines = []
    if item.title_in(other) != item.title_in(lang):
        lines.append(item.title_in(other))
    lines.append(f"{vocab.kind_label(item.kind, lang)} · {vocab.status_label(item.status, lang)}")
    facts = [
        ("countries", ", ".join(vocab.country_name(c, lang) for c in item.countries)),
        ("fields", ", ".join(vocab.field_name(f, lang) for f in item.fields)),
        ("organizations", ", ".join(item.organizations)),
        ("programmes", ", ".join(item.programmes)),
        ("people", ", ".join(item.people_in(lang))),
        ("participants", item.participants_in(lang) or ""),
        ("sources", "\n".join(s.cite() for s in item.sources)),
    ]
    lines += [f"{vocab.header(key, lang)}: {value}" for key, value in facts if value]
    if spanned:
        lines.append(vocab.phrase("calendar_span", lang, when=format_span(item.start, item.finish, lang)))
    lines.append(f"ID: {item.id}")
    return "\n".join(lines)


def _event(item: Item, lang: str, spanned: bool) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", uid(item))
    updated = _stamp(item.updated) or _stamp(item.created) or datetime.now(UTC)
    event.add("dtstamp", updated)
    event.add("last-modified", updated)
    created = _stamp(item.created)
    if created is not None:
        event.add("created", created)
    event.add("sequence", max(int((updated - _EPOCH).total_seconds() // 60), 0))
    event.add("summary", item.title_in(lang))
    event.add("dtstart", item.start.first)
    last = item.finish.last
    if last < date.max:
        event.add("dtend", last + timedelta(days=1))
    else:  # the day after 31 Dec 9999 has no date: the same span, as a length
        event.add("duration", last - item.start.first + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("status", CALENDAR_STATUS[item.status])
    event.add("categories", [vocab.kind_label(item.kind, lang)])
    if item.place_in(lang):
        event.add("location", item.place_in(lang))
    link = next((s.document for s in item.sources if s.document.startswith(("https://", "http://"))), None)
    if link:
        event.add("url", link)
    event.add("description", _description(item, lang, spanned))
    return event


def write_calendar(items: Iterable[Item], lang: str, out: IO[bytes], *, spans: bool = False) -> int:
    """An iCalendar file of the items known to the day (with `spans`, the others dated too); returns how many."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "stidiplo")
    count = 0
    for item in items:
        exact = is_day_dated(item)
        if exact or (spans and item.dated):
            calendar.add_component(_event(item, lang, spanned=not exact))
            count += 1
    out.write(calendar.to_ical())
    return count
