"""The item record: what one cooperation item is, and the rules every write must keep."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from operator import itemgetter

from stidiplo import dates
from stidiplo.amounts import Amount, check_amount
from stidiplo.errors import ValidationError

KINDS = ("meeting", "agreement", "joint-call", "event", "visit", "office", "program")
STATUSES = ("exploring", "coordinating", "scheduled", "ongoing", "done", "dropped")
PENDING = ("exploring", "coordinating", "scheduled")
ONE_OFF = ("meeting", "agreement", "event", "visit", "office")
"""Kinds that happen once: scheduled (or still being explored or coordinated), then done."""
RUNNING = ("joint-call", "program")
"""Kinds that run: coordinating, ongoing from their opening while they support work, done when support ends."""
ESTIMATED_MARK = "≈"
"""Written before a date the source does not give but that follows from what it says."""

MAX_TEXT = 10_000
"""The longest free-text value accepted (a title, a note, a place), in characters."""
MAX_LIST = 200

_ID = re.compile(r"[0-9a-f]{32}")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CODE = re.compile(r"[A-Z]{2}|EU|ASEAN|AFRICA|INTL")


def a_kind(kind: object) -> str:
    """A kind with its article, for messages: "an agreement", "a visit"."""
    return f"{'an' if str(kind)[:1] in 'aeiou' else 'a'} {kind}"


def new_id() -> str:
    """A random id, unique across independent copies of the tracker."""
    return uuid.uuid4().hex


def now() -> str:
    """The current UTC time as stored in `created`, `updated` and history entries."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class StatusChange:
    at: str
    status: str


def in_lang(lang: str, ja: str | None, en: str | None) -> str | None:
    """The text for a reader of `lang`: its own language's, else the other (None when neither is given).

    The one rule for every text held in both languages: the primary value (`title`, `place`, a
    note's `text`) is the Japanese, the `_en` value the English.
    """
    return (en or ja) if lang == "en" else (ja or en)


@dataclass(frozen=True, slots=True)
class Note:
    """A dated fact about the item, in Japanese (`text`) and English (`text_en`), either one may be all."""

    at: str
    text: str
    text_en: str | None = None

    def text_in(self, lang: str) -> str:
        return in_lang(lang, self.text, self.text_en) or ""

    def to_record(self) -> dict:
        """The stored form; `text_en` only when the note has an English wording."""
        record = {"at": self.at, "text": self.text}
        return record if self.text_en is None else {**record, "text_en": self.text_en}


@dataclass(frozen=True, slots=True)
class Source:
    """Where an item comes from: the document, its page or heading, and the words it rests on."""

    document: str
    page: str | None = None
    heading: str | None = None
    quote: str | None = None

    def to_record(self) -> dict:
        return {"document": self.document, "heading": self.heading, "page": self.page, "quote": self.quote}

    @classmethod
    def from_record(cls, record: object) -> Source:
        """A source from its stored form: an object, or (as older files wrote it) the document's name alone."""
        if isinstance(record, str):
            return cls(record)
        if not isinstance(record, dict):
            raise TypeError("a source is an object")
        return cls(record["document"], record.get("page"), record.get("heading"), record.get("quote"))

    def cite(self) -> str:
        """The source as one line: 'document, p. 19, heading: 「quote」'."""
        parts = [self.document]
        if self.page:
            parts.append(f"p. {self.page}")
        if self.heading:
            parts.append(self.heading)
        line = ", ".join(parts)
        return f"{line}: 「{self.quote}」" if self.quote else line


@dataclass(slots=True)
class Item:
    """One cooperation item: a meeting or something that followed one."""

    id: str
    kind: str
    title: str
    date: str | None
    status: str
    title_en: str | None = None
    end: str | None = None
    countries: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    history: list[StatusChange] = field(default_factory=list)
    follows: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    place: str | None = None
    participants: str | None = None
    amount: Amount | None = None
    sources: list[Source] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    created: str = ""
    updated: str = ""
    date_estimated: bool = False
    end_estimated: bool = False
    place_en: str | None = None
    people_en: list[str] = field(default_factory=list)
    participants_en: str | None = None
    programmes: list[str] = field(default_factory=list)
    provenance: str | None = None

    @property
    def dated(self) -> bool:
        """Whether the item has a date: an item its source gives no date for has none."""
        return bool(self.date)

    @property
    def start(self) -> dates.PartialDate:
        """The item's partial date; dates.UNDATED (after every date) when it has none."""
        return dates.parse_stored(self.date) if self.date else dates.UNDATED

    @property
    def finish(self) -> dates.PartialDate:
        """The last partial date the item covers: its `end`, else its `date`."""
        return dates.parse_stored(self.end) if self.end else self.start

    @property
    def given_finish(self) -> dates.PartialDate:
        """The last partial date the source gives: the `end` unless it is estimated, else the `date`."""
        return self.start if self.end_estimated else self.finish

    def when(self, lang: str) -> str:
        """The item's date or range as a reader of `lang` writes it: '≈Aug 2018' when estimated, 'undated'."""
        if not self.date:
            return self.start.format(lang)
        start = self.start.format(lang)
        if not self.end:
            return ESTIMATED_MARK + start if self.date_estimated else start
        end = dates.parse_stored(self.end)
        if not (self.date_estimated or self.end_estimated):
            return dates.format_span(self.start, end, lang)
        sep = "～" if lang == "ja" else " – "
        marks = (ESTIMATED_MARK if self.date_estimated else "", ESTIMATED_MARK if self.end_estimated else "")
        return f"{marks[0]}{start}{sep}{marks[1]}{end.format(lang)}"

    def title_in(self, lang: str) -> str:
        """The title in `lang`, falling back to the other language."""
        return in_lang(lang, self.title, self.title_en) or ""

    def place_in(self, lang: str) -> str | None:
        return in_lang(lang, self.place, self.place_en)

    def participants_in(self, lang: str) -> str | None:
        return in_lang(lang, self.participants, self.participants_en)

    def people_in(self, lang: str) -> list[str]:
        """The people in `lang`'s list, else the other's."""
        ja, en = self.people, self.people_en
        return (en or ja) if lang == "en" else (ja or en)

    def to_record(self) -> dict:
        """The stored form: every key but `id`, which keys the record in the file."""
        amount, history, notes = self.amount, self.history, self.notes
        return {
            "amount": None
            if amount is None
            else {
                "currency": amount.currency,
                "detail": amount.detail,
                "value": amount.value,
                **({} if amount.detail_en is None else {"detail_en": amount.detail_en}),
            },
            "countries": list(self.countries),
            "created": self.created,
            "date": self.date,
            "date_estimated": self.date_estimated,
            "end": self.end,
            "end_estimated": self.end_estimated,
            "fields": list(self.fields),
            "follows": list(self.follows),
            "history": [{"at": h.at, "status": h.status} for h in history] if history else [],
            "kind": self.kind,
            "notes": [n.to_record() for n in notes] if notes else [],
            "organizations": list(self.organizations),
            "participants": self.participants,
            "participants_en": self.participants_en,
            "people": list(self.people),
            "people_en": list(self.people_en),
            "place": self.place,
            "place_en": self.place_en,
            "programmes": list(self.programmes),
            "provenance": self.provenance,
            "related": list(self.related),
            "sources": [s.to_record() for s in self.sources],
            "status": self.status,
            "title": self.title,
            "title_en": self.title_en,
            "updated": self.updated,
        }

    def to_json(self) -> dict:
        """The scripting interface: the stored form with `id`, every key always present."""
        return {"id": self.id, **self.to_record()}

    @classmethod
    def from_record(cls, item_id: str, record: dict) -> Item:
        """Build an item from its stored form; raise ValidationError on a malformed record.

        Called for every item on every load, so each key is looked up once, the keys are checked
        in one set operation, and the fields are passed in their order above (21 keywords cost
        a fifth of the time it takes to load a tracker).
        """
        if not isinstance(record, dict):
            raise ValidationError(f"item {item_id}: not an object")
        if not _READABLE_KEYS.issuperset(record):
            unknown = set(record) - _READABLE_KEYS
            raise ValidationError(f"item {item_id}: unknown field(s): {', '.join(sorted(unknown))}")
        get = record.get
        try:
            amount, history, notes = get("amount"), get("history"), get("notes")
            return cls(
                item_id,
                record["kind"],
                record["title"],
                record["date"],
                record["status"],
                get("title_en"),
                get("end"),
                list(get("countries") or ()),
                list(get("fields") or ()),
                [StatusChange(h["at"], h["status"]) for h in history] if history else [],
                list(get("follows") or ()),
                list(get("related") or ()),
                list(get("organizations") or ()),
                list(get("people") or ()),
                get("place"),
                get("participants"),
                None
                if amount is None
                else Amount(amount["value"], amount["currency"], amount.get("detail"), amount.get("detail_en")),
                [Source.from_record(s) for s in get("sources") or ()],
                [Note(n["at"], n["text"], n.get("text_en")) for n in notes] if notes else [],
                get("created") or "",
                get("updated") or "",
                get("date_estimated") is True,
                get("end_estimated") is True,
                get("place_en"),
                list(get("people_en") or ()),
                get("participants_en"),
                list(get("programmes") or ()),
                get("provenance"),
            )
        except KeyError as missing:
            raise ValidationError(f"item {item_id}: missing field {missing.args[0]}") from None
        except (TypeError, AttributeError, ValueError):
            raise ValidationError(f"item {item_id}: malformed record") from None


RECORD_KEYS = frozenset(f.name for f in fields(Item)) - {"id"}
JSON_KEYS = ("id", *sorted(RECORD_KEYS))
_READABLE_KEYS = RECORD_KEYS | {"id"}
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


def record_problem(record: object) -> str | None:
    """What makes a stored record unusable as an item ("title: missing", "date: 2018 is not a partial date").

    A quick look at the fields every view relies on, made whenever an item is read, so that a file
    edited by hand fails with the item and field named, not deep inside a view; `stidiplo check`
    judges the rest. None when the record can be used.
    """
    try:
        kind, title, status, date, end = _FIRST_KEYS(record)  # type: ignore[arg-type]
        lists, texts = _LISTS(record), _TEXTS(record)  # type: ignore[arg-type]
    except (KeyError, TypeError):
        return _record_fault(record)  # a key missing: found and named the slow way
    if (
        (date is None or date in _SEEN_DATES)
        and (end is None or end in _SEEN_DATES)
        and str is type(kind) is type(title) is type(status)
        and _LIST_OR_NONE.issuperset(map(type, lists))
        and _TEXT_OR_NONE.issuperset(map(type, texts))
    ):
        return None  # the common case, decided in one pass
    return _record_fault(record)


_SEEN_DATES: set[str] = set()
"""Stored dates already read well: most items share a few hundred dates."""
_LIST_OR_NONE = frozenset((list, type(None)))
_TEXT_OR_NONE = frozenset((str, type(None)))
_FIRST_KEYS = itemgetter("kind", "title", "status", "date", "end")
_LISTS = itemgetter(*LIST_KEYS)
_TEXTS = itemgetter(*_OPTIONAL_TEXT_KEYS)


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
    if not isinstance(item.id, str) or not _ID.fullmatch(item.id):
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
        if not _CODE.fullmatch(code):
            raise ValidationError(f"countries: {code!r} is not a country or bloc code")
    for slug in item.fields:
        if not _SLUG.fullmatch(slug):
            raise ValidationError(f"fields: {slug!r} is not a field slug")
    if len(set(item.countries)) != len(item.countries) or len(set(item.fields)) != len(item.fields):
        raise ValidationError("countries and fields must not repeat")
    for ref in (*item.follows, *item.related):
        if not _ID.fullmatch(ref):
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
