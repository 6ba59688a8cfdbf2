"""A row of an import file, and its values read as item fields: typed, and resolved as `add` resolves them.

A value comes from a JSON object (typed: a list is a list) or from a sheet's cell (`flat`: text,
or what Excel typed, in the layout `stidiplo.formats.interchange` describes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

import orjson

from stidiplo import vocab
from stidiplo.amounts import amount_number
from stidiplo.dates import parse_stored
from stidiplo.errors import StidiploError, UsageError, ValidationError
from stidiplo.model import ESTIMATED_MARK, KINDS, STATUSES, Amount, Source

if TYPE_CHECKING:
    from stidiplo.tracker import Tracker

STAMP = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}:\d{2}Z)?)?)?")
"""A time as stored in history and notes, or a date: what starts a "<when> <text>" line."""
_SEPARATORS = re.compile(r"[;；,、\n\r]")


@dataclass(frozen=True, slots=True)
class Row:
    """One record of an import file: where it is (row 5, line 3, item 2) and its values by key."""

    where: str
    values: object
    flat: bool


def row_fields(values: Mapping[str, object], flat: bool, tracker: Tracker, today: date) -> dict[str, Any]:
    """The Item fields the row gives, typed and resolved as `add` resolves them."""
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if key in _TEXTS:
            changes[key] = _text(key, value, flat)
        elif key in ("kind", "status"):
            changes[key] = _choice(key, value, flat)
        elif key in ("date_estimated", "end_estimated"):
            changes.setdefault(key, _flag(key, value, flat))
        elif key == "date":
            (changes["date"], range_end), estimated = _span("date", value, flat, today)
            if flat or estimated:
                changes["date_estimated"] = estimated
            if range_end is not None and not _text("end", values.get("end"), flat):
                changes["end"] = range_end
        elif key == "end":
            if "end" not in changes or _text("end", value, flat):
                (changes["end"], _), estimated = _span("end", value, flat, today)
                if flat or estimated:
                    changes["end_estimated"] = estimated
        elif key == "countries":
            changes[key] = _resolved(
                key, _list(key, value, flat, _split_codes), vocab.resolve_country, vocab.is_country_code
            )
        elif key == "fields":
            changes[key] = _resolved(
                key, _list(key, value, flat, _split_codes), vocab.resolve_field, _field_slugs().__contains__
            )
        elif key in ("organizations", "people", "people_en", "programmes"):
            changes[key] = _list(key, value, flat, _lines)
        elif key == "sources":
            changes[key] = _sources(value, flat)
        elif key in ("follows", "related"):
            refs = [value] if isinstance(value, str) and not flat else _list(key, value, flat, _split_codes)
            changes[key] = list(dict.fromkeys(_ref(key, r, tracker) if isinstance(r, str) else r for r in refs))
        elif key == "amount":
            changes[key] = _amount(value)
        elif key in ("history", "notes"):
            changes[key] = _entries(key, value, flat, "status" if key == "history" else "text")
    if flat and any(key.startswith("amount_") for key in values):
        changes["amount"] = _amount_from_cells(values)
    return changes


_TEXTS = frozenset(
    ("title", "title_en", "place", "place_en", "participants", "participants_en", "provenance", "created", "updated")
)


def _flag(name: str, value: object, flat: bool) -> bool:
    """True or false, as JSON writes it or as a cell does (TRUE, yes, 1; empty is false)."""
    if isinstance(value, bool):
        return value
    if value is None or (flat and isinstance(value, str) and value.strip().lower() in ("", "false", "no", "0")):
        return False
    if flat and (value == 1 or (isinstance(value, str) and value.strip().lower() in ("true", "yes", "1"))):
        return True
    raise ValidationError(f"{name}: must be true or false")


def _sources(value: object, flat: bool) -> list[Source]:
    """Sources as documents named one a line, or as objects with document, page, heading and quote."""
    entries = value if isinstance(value, list) else _list("sources", value, flat, _lines)
    sources = []
    for entry in entries:
        if isinstance(entry, str):
            sources.append(Source(entry))
            continue
        if not isinstance(entry, dict) or not isinstance(entry.get("document"), str):
            raise ValidationError("sources: each source is text or an object naming its document")
        unknown = set(entry) - {"document", "page", "heading", "quote"}
        if unknown:
            raise ValidationError(f"sources: unknown key(s) {', '.join(sorted(unknown))}")
        page = entry.get("page")
        page = _number_text(page) if isinstance(page, int | float) and not isinstance(page, bool) else page
        heading, quote = entry.get("heading"), entry.get("quote")
        if not (isinstance(page, str | None) and isinstance(heading, str | None) and isinstance(quote, str | None)):
            raise ValidationError("sources: page, heading and quote must be text")
        sources.append(Source(entry["document"], page, heading, quote))
    return sources


def status_code(value: object) -> object:
    """A status written in a history entry (済, done) as its code; anything else as it is, for validation to judge."""
    return (_choice("history", value, False) or value) if isinstance(value, str) else value


def _number_text(value: int | float) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _text(name: str, value: object, flat: bool) -> str | None:
    """A text value; in a sheet an empty cell means none, and a number or date typed in Excel is its text."""
    if value is None or (flat and value == ""):
        return None
    if isinstance(value, str):
        return value
    if flat and isinstance(value, date):
        return value.isoformat()
    if flat and isinstance(value, int | float) and not isinstance(value, bool):
        return _number_text(value)
    raise ValidationError(f"{name}: must be text")


def _span(name: str, value: object, flat: bool, today: date) -> tuple[tuple[str | None, str | None], bool]:
    """A stored date as given, else a date or range as `add` reads it (2018年10月7日, 9 Oct 2018, 9–12 Oct);
    and whether it is marked estimated (written after ≈)."""
    text = _text(name, value, flat)
    if text is None or not text.strip():
        return (None, None), False
    text = text.strip()
    estimated = text.startswith(ESTIMATED_MARK)
    text = text.removeprefix(ESTIMATED_MARK).strip()
    try:
        return (parse_stored(text).text, None), estimated
    except ValueError:
        pass
    from stidiplo.dateparse import parse_span

    try:
        start, end = parse_span(text, today=today)
    except UsageError as err:
        raise ValidationError(f"{name}: {err}") from None
    return (start.text, end.text if end else None), estimated


def _split_codes(text: str) -> list[str]:
    return [part.strip() for part in _SEPARATORS.split(text) if part.strip()]


def _json_list(name: str, text: str) -> list:
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise ValidationError(f"{name}: starts with [ but is not a JSON list") from None
    if not isinstance(value, list):
        raise ValidationError(f"{name}: starts with [ but is not a JSON list")
    return value


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]


def _list(name: str, value: object, flat: bool, split: Callable[[str], list[str]]) -> list[str]:
    """A list given as a list, or as a cell's text (a JSON list, or entries split by `split`)."""
    if value is None:
        return []
    if isinstance(value, list):
        if not all(isinstance(entry, str) for entry in value):
            raise ValidationError(f"{name}: every entry must be text")
        return value
    text = _text(name, value, flat)
    if text is None:
        return []
    if text.lstrip().startswith("["):
        return _json_list(name, text)
    return split(text)


def _choice(group: str, value: object, flat: bool) -> str | None:
    """A kind or status written as `add` accepts it (code or either language's label), as its code."""
    text = _text(group, value, flat)
    if text is None or not text.strip():
        return None
    resolve = vocab.resolve_kind if group == "kind" else vocab.resolve_status
    try:
        return resolve(text)
    except UsageError:
        allowed = KINDS if group == "kind" else STATUSES
        raise ValidationError(f"{group}: {text!r} is not one of {', '.join(allowed)}") from None


def _resolved(name: str, values: list, resolve: Callable[[str], str], known: Callable[[str], bool]) -> list[str]:
    codes = []
    for value in values:
        if not isinstance(value, str):
            raise ValidationError(f"{name}: must be a list of text")
        try:
            codes.append(value if known(value) else resolve(value))
        except UsageError as err:
            raise ValidationError(f"{name}: {err}") from None
    return list(dict.fromkeys(codes))


@cache
def _field_slugs() -> frozenset[str]:
    return frozenset(vocab.known_fields())


def _ref(name: str, value: str, tracker: Tracker) -> str:
    """An item id as given, or the id an unambiguous prefix of an existing item names."""
    key = value.strip().lower()
    if len(key) == 32:
        return key
    try:
        return tracker.resolve(key).id
    except StidiploError as err:
        raise ValidationError(f"{name}: {err}") from None


def _amount_from_cells(values: Mapping[str, object]) -> Amount | None:
    number = amount_number(values.get("amount_value"), "amount_value")
    currency = _text("amount_currency", values.get("amount_currency"), True)
    detail = _text("amount_detail", values.get("amount_detail"), True)
    detail_en = _text("amount_detail_en", values.get("amount_detail_en"), True)
    if number is None:
        if currency or detail or detail_en:
            raise ValidationError("amount: a currency or detail is given without amount_value")
        return None
    if not currency or not currency.strip():
        raise ValidationError(f"amount_currency: give the currency of the amount {number}, e.g. JPY or EUR")
    return Amount(number, currency.strip().upper(), detail, detail_en)


def _amount(value: object) -> Amount | None:
    if value is None:
        return None
    if not isinstance(value, dict) or "value" not in value or "currency" not in value:
        raise ValidationError("amount: must be an object with value and currency, or null")
    unknown = set(value) - {"value", "currency", "detail", "detail_en"}
    if unknown:
        raise ValidationError(f"amount: unknown key(s) {', '.join(sorted(unknown))}")
    number = amount_number(value["value"], "amount_value")
    if number is None:
        raise ValidationError("amount: the value must be a number")
    return Amount(number, value["currency"], value.get("detail"), value.get("detail_en"))


def _entries(name: str, value: object, flat: bool, second: str) -> list[tuple[object, ...]] | None:
    """History or notes as (at, status|text[, text_en]) tuples: a list of objects, or a cell of lines or JSON."""
    if value is None or (flat and value == ""):
        return None
    if isinstance(value, str):
        if value.lstrip().startswith("["):
            value = _json_list(name, value)
        else:
            return [_line_entry(line, second) for line in _lines(value)]
    if not isinstance(value, list):
        raise ValidationError(f"{name}: must be a list")
    pairs: list[tuple[object, ...]] = []
    for entry in value:
        if not isinstance(entry, dict) or not {"at", second} <= set(entry) <= {"at", second, f"{second}_en"}:
            raise ValidationError(
                f"{name}: each entry needs 'at' and '{second}'"
                + (" (and may have 'text_en')" if second == "text" else "")
            )
        if second == "status" and len(entry) > 2:
            raise ValidationError(f"{name}: each entry needs exactly 'at' and 'status'")
        pairs.append((entry["at"], entry[second], *((entry.get("text_en"),) if second == "text" else ())))
    return pairs


def _line_entry(line: str, second: str) -> tuple[object, object]:
    """One line of a history ("<when> <status>") or notes ("<when> <text>", or just text) cell."""
    if second == "status":
        at, _, status = line.rpartition(" ")
        return at.strip(), status
    stamp = STAMP.match(line)
    if stamp and line[stamp.end() : stamp.end() + 1] == " " and line[stamp.end() + 1 :].strip():
        return stamp.group(), line[stamp.end() + 1 :].strip()
    return None, line
