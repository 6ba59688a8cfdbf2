"""The item record: what one cooperation item is, its parts (status changes, notes, sources), and its vocabulary.

The rules every stored record and every write must keep live in `stidiplo.rules`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields
from sys import intern
from typing import Any

from stidiplo import dates
from stidiplo.amounts import Amount
from stidiplo.errors import ValidationError

KINDS = ("meeting", "agreement", "joint-call", "event", "visit", "office", "program")
STATUSES = ("exploring", "coordinating", "scheduled", "ongoing", "done", "dropped")
PENDING = ("exploring", "coordinating", "scheduled")
ONE_OFF = ("meeting", "agreement", "event", "visit", "office")
"""Kinds that happen once: scheduled (or still being explored or coordinated), then done; the others (joint
calls, programmes) run: coordinating, ongoing from their opening while they support work, done when it ends."""
ESTIMATED_MARK = "≈"
"""Written before a date the source does not give but that follows from what it says."""

MAX_TEXT = 10_000
"""The longest free-text value accepted (a title, a note, a place), in characters."""
MAX_LIST = 200


def a_kind(kind: object) -> str:
    """A kind with its article, for messages: "an agreement", "a visit"."""
    return f"{'an' if str(kind)[:1] in 'aeiou' else 'a'} {kind}"


def new_id() -> str:
    """A random id, unique across independent copies of the tracker."""
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A status the item took, and when (`at`: a partial date or a stored stamp): one entry of its history."""

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
                _code(record["kind"]),
                record["title"],
                _code(record["date"]),
                _code(record["status"]),
                get("title_en"),
                get("end"),
                _codes(get("countries")),
                _codes(get("fields")),
                [StatusChange(h["at"], h["status"]) for h in history] if history else [],
                _list(get("follows")),
                _list(get("related")),
                _codes(get("organizations")),
                _list(get("people")),
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
                _list(get("people_en")),
                get("participants_en"),
                _codes(get("programmes")),
                get("provenance"),
            )
        except KeyError as missing:
            raise ValidationError(f"item {item_id}: missing field {missing.args[0]}") from None
        except (TypeError, AttributeError, ValueError):
            raise ValidationError(f"item {item_id}: malformed record") from None


def _list(stored: Any) -> list:
    """A stored list as an item holds it: the parsed list itself (nothing changes a list in place;
    copying 100,000 items' lists cost a tenth of their memory), else a new one."""
    return stored if type(stored) is list else list(stored or ())


def _codes(stored: Any) -> list:
    """A stored list of codes (countries, fields, organisations) as an item holds it, each code one
    string shared by every item that names it (equal codes are replaced in place)."""
    codes = _list(stored)
    for at, code in enumerate(codes):
        codes[at] = _code(code)
    return codes


def _code(value: Any) -> Any:
    """One string object for each distinct code, kind, status or date, however many items hold it:
    at 100,000 items, a sixth of the items' memory went to copies of the same few hundred words."""
    return intern(value) if type(value) is str else value


RECORD_KEYS = frozenset(f.name for f in fields(Item)) - {"id"}
JSON_KEYS = ("id", *sorted(RECORD_KEYS))
_READABLE_KEYS = RECORD_KEYS | {"id"}
