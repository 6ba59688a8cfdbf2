"""The item record: what one cooperation item is, and the rules every write must keep."""

from __future__ import annotations

import math
import re
import uuid
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from operator import itemgetter

from stidiplo import dates
from stidiplo.errors import ValidationError

SCHEMA_VERSION = 1

KINDS = ("meeting", "agreement", "joint-call", "event", "visit", "office", "program")
STATUSES = ("exploring", "coordinating", "scheduled", "ongoing", "done", "dropped")
PENDING = ("exploring", "coordinating", "scheduled")

MAX_TEXT = 10_000
"""The longest free-text value accepted (a title, a note, a place), in characters."""
MAX_LIST = 200
MAX_AMOUNT = 10**15
"""The largest amount accepted: stored numbers stay exact and every JSON reader can take them."""
CURRENCIES = frozenset(
    """AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF
    CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD
    GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP
    LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB
    PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB
    TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAD XAF XAG XAU XBA XBB
    XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XUA YER ZAR ZMW ZWG""".split()
)
"""The ISO 4217 currency codes an amount may use."""

_ID = re.compile(r"[0-9a-f]{32}")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CODE = re.compile(r"[A-Z]{2}|EU|ASEAN|AFRICA|INTL")
_INTEGER = re.compile(r"[+-]?\d+")


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


@dataclass(frozen=True, slots=True)
class Note:
    at: str
    text: str


@dataclass(frozen=True, slots=True)
class Amount:
    value: float | int
    currency: str
    detail: str | None = None


def amount_number(value: object, name: str = "amount") -> int | float | None:
    """A number as written in an option or a cell ('1,000,000', '1e3', 1000.0), or None when empty.

    A whole number is kept as an integer whatever its spelling, so `1e3` is stored as 1000 by
    `add`, `edit` and `import` alike.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValidationError(f"{name}: the value must be a number")
    number: int | float
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("_", "").replace(" ", "")
        try:
            number = int(text) if _INTEGER.fullmatch(text) else float(text)
        except ValueError:
            raise ValidationError(f"{name}: {value!r} is not a number") from None
    else:
        number = value
    if isinstance(number, float) and not math.isfinite(number):
        raise ValidationError(f"{name}: the value must be a finite number no larger than {MAX_AMOUNT:,}, not {value!r}")
    if isinstance(number, float) and number.is_integer() and abs(number) <= MAX_AMOUNT:
        return int(number)
    return number


def parse_amount(text: str, detail: str | None = None) -> Amount:
    """An amount written as a number and its currency ('54000000 JPY', '1.5e7 EUR'); the currency is required."""
    parts = text.replace(",", "").split()
    if len(parts) != 2:
        raise ValidationError(f"amount {text!r}: write a number and a currency, e.g. '54000000 JPY'")
    number = amount_number(parts[0])
    assert number is not None
    amount = Amount(number, parts[1].upper(), detail)
    check_amount(amount)
    return amount


def check_amount(amount: Amount) -> None:
    """Raise ValidationError unless `amount` is a number from 0 to MAX_AMOUNT in a known currency."""
    value = amount.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError("amount: the value must be a number")
    if not math.isfinite(value) or abs(value) > MAX_AMOUNT:
        raise ValidationError(f"amount: the value must be a finite number no larger than {MAX_AMOUNT:,}")
    if value < 0:
        raise ValidationError(f"amount: {value} is negative; an amount is what is paid or granted")
    if not isinstance(amount.currency, str) or amount.currency not in CURRENCIES:
        raise ValidationError(f"amount: {amount.currency!r} is not an ISO 4217 currency code such as JPY or EUR")
    _text("amount", amount.detail)


@dataclass(slots=True)
class Item:
    """One cooperation item: a meeting or something that followed one."""

    id: str
    kind: str
    title: str
    date: str
    status: str
    title_en: str | None = None
    end: str | None = None
    countries: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    history: list[StatusChange] = field(default_factory=list)
    follows: str | None = None
    related: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    place: str | None = None
    participants: str | None = None
    amount: Amount | None = None
    sources: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    created: str = ""
    updated: str = ""

    @property
    def start(self) -> dates.PartialDate:
        return dates.parse_stored(self.date)

    @property
    def finish(self) -> dates.PartialDate:
        """The last partial date the item covers: its `end`, else its `date`."""
        return dates.parse_stored(self.end or self.date)

    def when(self, lang: str) -> str:
        """The item's date or range as a reader of `lang` writes it."""
        return dates.format_span(self.start, dates.parse_stored(self.end) if self.end else None, lang)

    def title_in(self, lang: str) -> str:
        """The title in `lang`, falling back to the other language."""
        if lang == "en":
            return self.title_en or self.title
        return self.title or self.title_en or ""

    def to_record(self) -> dict:
        """The stored form: every key but `id`, which keys the record in the file."""
        amount, history, notes = self.amount, self.history, self.notes
        return {
            "amount": None
            if amount is None
            else {"currency": amount.currency, "detail": amount.detail, "value": amount.value},
            "countries": list(self.countries),
            "created": self.created,
            "date": self.date,
            "end": self.end,
            "fields": list(self.fields),
            "follows": self.follows,
            "history": [{"at": h.at, "status": h.status} for h in history] if history else [],
            "kind": self.kind,
            "notes": [{"at": n.at, "text": n.text} for n in notes] if notes else [],
            "organizations": list(self.organizations),
            "participants": self.participants,
            "people": list(self.people),
            "place": self.place,
            "related": list(self.related),
            "sources": list(self.sources),
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
                get("follows"),
                list(get("related") or ()),
                list(get("organizations") or ()),
                list(get("people") or ()),
                get("place"),
                get("participants"),
                None if amount is None else Amount(amount["value"], amount["currency"], amount.get("detail")),
                list(get("sources") or ()),
                [Note(n["at"], n["text"]) for n in notes] if notes else [],
                get("created") or "",
                get("updated") or "",
            )
        except KeyError as missing:
            raise ValidationError(f"item {item_id}: missing field {missing.args[0]}") from None
        except (TypeError, AttributeError):
            raise ValidationError(f"item {item_id}: malformed record") from None


RECORD_KEYS = frozenset(f.name for f in fields(Item)) - {"id"}
JSON_KEYS = ("id", *sorted(RECORD_KEYS))
_READABLE_KEYS = RECORD_KEYS | {"id"}
_TEXT_KEYS = ("kind", "title", "status")
_OPTIONAL_TEXT_KEYS = ("title_en", "place", "participants", "created", "updated")
LIST_KEYS = ("countries", "fields", "related", "organizations", "people", "sources", "history", "notes")
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
    _text("title_en", item.title_en)
    _text("place", item.place)
    _text("participants", item.participants)
    start = check_date("date", item.date)
    if item.end is not None:
        end = check_date("end", item.end)
        if end.last < start.first:
            raise ValidationError(f"end: {item.end} is before the date {item.date}")
    for name in ("countries", "fields", "organizations", "people", "sources", "related"):
        _texts(name, getattr(item, name))
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
    for ref in (item.follows, *item.related):
        if ref is not None and not _ID.fullmatch(ref):
            raise ValidationError(f"follows/related: {ref!r} is not an item id")
    if item.follows == item.id or item.id in item.related:
        raise ValidationError("an item cannot follow or relate to itself")
    for change in item.history:
        if change.status not in STATUSES:
            raise ValidationError(f"history: {change.status!r} is not a status")
        _text("history", change.at, required=True)
    if item.history and item.history[-1].status != item.status:
        raise ValidationError("history: the last entry must be the current status")
    for note in item.notes:
        _text("notes", note.text, required=True)
        _text("notes", note.at, required=True)
    if item.amount is not None:
        check_amount(item.amount)


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
