"""The rules a tracker keeps: the shape of a stored record, each field's value, dates, sources, the
status history and the links between meetings and their follow-ups.

Every write (add, edit, import, merge, check --fix) runs `validate`; every read runs `record_problem`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from stidiplo import dates
from stidiplo.amounts import check_amount
from stidiplo.errors import ValidationError
from stidiplo.model import (
    KINDS,
    MAX_LIST,
    MAX_TEXT,
    STATUSES,
    Item,
    Source,
    StatusChange,
    a_kind,
)

ITEM_ID = re.compile(r"[0-9a-f]{32}")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CODE = re.compile(r"[A-Z]{2}|EU|ASEAN|AFRICA|INTL")

_TEXT_KEYS = ("kind", "title", "status")
_OPTIONAL_TEXT_KEYS = (
    "title_en",
    "place",
    "place_en",
    "participants",
    "participants_en",
    "provenance",
    "created",
    "updated",
)
LIST_KEYS = (
    "countries",
    "fields",
    "follows",
    "related",
    "organizations",
    "programmes",
    "people",
    "people_en",
    "sources",
    "history",
    "notes",
)
"""The stored fields that hold a JSON list."""
LOG_KEYS = ("history", "notes")
"""The lists that are a log: only ever added to, never edited."""
VALUE_LISTS = frozenset(LIST_KEYS) - set(LOG_KEYS)
"""The lists of values (countries, fields, follows …): added to and removed from as sets."""


def record_problem(record: object) -> str | None:
    """What makes a stored record unusable as an item ("title: missing", "date: 2018 is not a partial date").

    A quick look at the fields every view relies on, made whenever an item is read, so that a file
    edited by hand fails with the item and field named, not deep inside a view; `stidiplo check`
    judges the rest. None when the record can be used.
    """
    if type(record) is not dict:
        return _record_fault(record)
    get = record.get  # absent keys are left out of the file: get, never index
    kind, title, status, date, end = map(get, _FIRST_KEYS)
    if (
        (date is None or (type(date) is str and (date in _SEEN_DATES or _is_partial_date(date))))
        and (end is None or (type(end) is str and (end in _SEEN_DATES or _is_partial_date(end))))
        and str is type(kind) is type(title) is type(status)
        and _LIST_OR_NONE.issuperset(map(type, map(get, LIST_KEYS)))
        and _TEXT_OR_NONE.issuperset(map(type, map(get, _OPTIONAL_TEXT_KEYS)))
    ):
        return None  # the common case, decided in one pass
    return _record_fault(record)


_SEEN_DATES: set[str] = set()
"""Stored dates already read well: most items share a few hundred dates."""
_LIST_OR_NONE = frozenset((list, type(None)))
_TEXT_OR_NONE = frozenset((str, type(None)))
_FIRST_KEYS = ("kind", "title", "status", "date", "end")


def _record_fault(record: object) -> str | None:
    """The first field `record_problem` objects to, or None (remembering the good dates it read)."""
    if not isinstance(record, dict):
        return "not an object"
    for key in _TEXT_KEYS:
        value = record.get(key)
        if not isinstance(value, str):
            return f"{key}: missing" if value is None else f"{key}: {value!r} is not text"
    for key in _OPTIONAL_TEXT_KEYS:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            return f"{key}: {value!r} is not text"
    for key in ("date", "end"):
        value = record.get(key)
        if value is not None and not (isinstance(value, str) and _is_partial_date(value)):
            return f"{key}: {value!r} is not a partial date ({dates.ACCEPTED_FORMS})"
    for key in LIST_KEYS:
        value = record.get(key)
        if value is not None and not isinstance(value, list):
            return f"{key}: {value!r} is {a_json_type(value)}, not a list"
    return None


def _is_partial_date(text: str) -> bool:
    try:
        dates.parse_stored(text)
    except ValueError:
        return False
    _SEEN_DATES.add(text)
    return True


def a_json_type(value: object) -> str:
    """The JSON type of a stored value, with its article: "a string", "a number"."""
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return "an object" if isinstance(value, dict) else "a list"


def _text(name: str, value: object, *, required: bool = False) -> None:
    if value is None or value == "":
        if required:
            raise ValidationError(f"{name}: must not be empty")
        return
    if not isinstance(value, str):
        raise ValidationError(f"{name}: must be text")
    if required and not value.strip():
        raise ValidationError(f"{name}: must not be blank")
    if len(value) > MAX_TEXT:
        raise ValidationError(f"{name}: longer than {MAX_TEXT:,} characters ({len(value):,})")


def _texts(name: str, values: object) -> None:
    if not isinstance(values, list):
        raise ValidationError(f"{name}: must be a list")
    if len(values) > MAX_LIST:
        raise ValidationError(f"{name}: more than {MAX_LIST} entries")
    for value in values:
        _text(name, value, required=True)


def check_date(name: str, value: str) -> dates.PartialDate:
    """The stored partial date `value` of field `name`, or a ValidationError naming the field."""
    try:
        return dates.parse_stored(value)
    except (ValueError, TypeError):
        raise ValidationError(f"{name}: {value!r} is not a partial date (use {dates.ACCEPTED_FORMS})") from None


def validate(item: Item) -> None:
    """Raise ValidationError naming the first field that breaks the model."""
    if not isinstance(item.id, str) or not ITEM_ID.fullmatch(item.id):
        raise ValidationError(f"id: {item.id!r} is not a 32-character hex id")
    if item.kind not in KINDS:
        raise ValidationError(f"kind: {item.kind!r} is not one of {', '.join(KINDS)}")
    if item.status not in STATUSES:
        raise ValidationError(f"status: {item.status!r} is not one of {', '.join(STATUSES)}")
    _text("title", item.title, required=True)
    for name in ("title_en", "place", "place_en", "participants", "participants_en", "provenance"):
        _text(name, getattr(item, name))
    _check_dates(item)
    for name in ("countries", "fields", "organizations", "people", "people_en", "programmes", "related", "follows"):
        _texts(name, getattr(item, name))
    _check_sources(item.sources)
    if not item.countries:
        raise ValidationError("countries: an item needs at least one country or bloc")
    for code in item.countries:
        if not CODE.fullmatch(code):
            raise ValidationError(f"countries: {code!r} is not a country or bloc code")
    for slug in item.fields:
        if not SLUG.fullmatch(slug):
            raise ValidationError(f"fields: {slug!r} is not a field slug")
    if len(set(item.countries)) != len(item.countries) or len(set(item.fields)) != len(item.fields):
        raise ValidationError("countries and fields must not repeat")
    for ref in (*item.follows, *item.related):
        if not ITEM_ID.fullmatch(ref):
            raise ValidationError(f"follows/related: {ref!r} is not an item id")
    if len(set(item.follows)) != len(item.follows):
        raise ValidationError("follows: a meeting is named twice")
    if item.id in item.follows or item.id in item.related:
        raise ValidationError("an item cannot follow or relate to itself")
    for change in item.history:
        if change.status not in STATUSES:
            raise ValidationError(f"history: {change.status!r} is not a status")
        _text("history", change.at, required=True)
    if item.history and item.history[-1].status != item.status:
        raise ValidationError("history: the last entry must be the current status")
    for note in item.notes:
        _text("notes", note.text, required=True)
        _text("notes", note.text_en)
        _text("notes", note.at, required=True)
    if item.amount is not None:
        check_amount(item.amount)
        _text("amount", item.amount.detail)
        _text("amount", item.amount.detail_en)


def _check_dates(item: Item) -> None:
    """The date is a partial date or none (then no end and no estimate); the end is not before it."""
    for name in ("date_estimated", "end_estimated"):
        if not isinstance(getattr(item, name), bool):
            raise ValidationError(f"{name}: must be true or false")
    if item.date is None:
        if item.end is not None or item.date_estimated or item.end_estimated:
            raise ValidationError("date: an item without a date has no end and no estimated date")
        return
    start = check_date("date", item.date)
    if item.end is None:
        if item.end_estimated:
            raise ValidationError("end_estimated: there is no end")
        return
    end = check_date("end", item.end)
    if end.last < start.first:
        raise ValidationError(f"end: {item.end} is before the date {item.date}")


def _check_sources(sources: object) -> None:
    if not isinstance(sources, list) or len(sources) > MAX_LIST:
        raise ValidationError(f"sources: must be a list of at most {MAX_LIST}")
    for source in sources:
        if not isinstance(source, Source):
            raise ValidationError("sources: each source names a document")
        _text("sources", source.document, required=True)
        for part in (source.page, source.heading, source.quote):
            _text("sources", part)


def status_recorded(item: Item, at: str) -> Item:
    """The one rule for the status history: it ends with the current status.

    When the history is empty or its last entry names another status, an entry stamped `at` is
    appended; otherwise the item is returned as it is. Add, edit, import, check and merge apply it.
    """
    history = item.history
    if history and history[-1].status == item.status:
        return item
    return replace(item, history=[*history, StatusChange(at, item.status)])


def follows_problem(meeting: str, kind: str | None) -> str | None:
    """Why an item may not follow `meeting` (shown as given), whose kind is `kind` (None: no such item).

    The one rule for `follows`: an item follows only a meeting, so a meeting stays a meeting while
    others follow it. None when the link is allowed.
    """
    if kind is None:
        return f"follows: no item with id {meeting}"
    if kind != "meeting":
        return f"follows: {meeting} is {a_kind(kind)}, not a meeting"
    return None


def still_a_meeting_problem(shown: str, kind: str, *, followed: bool) -> str | None:
    """Why an item of `kind` that others follow (`followed`) cannot be stored, or None: it must stay a meeting."""
    if followed and kind != "meeting":
        return f"kind: {shown} is followed by other items and must stay a meeting"
    return None
