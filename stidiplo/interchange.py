"""Interchange: items as the flat rows of CSV and Excel, and imports planned row by row, applied as one change.

The flat layout carries every field, so exporting and importing reproduces each item exactly:

- one row per item, one column per field (`COLUMNS`); `date` and `end` hold stored dates
  (2018-10-07, 2018-10, 2018, FY2018), a workbook holds day dates as real dates;
- `countries`, `fields` and `related` hold codes, slugs and ids separated by "; ";
- `organizations`, `people` and `sources` hold one entry per line;
- `history` holds one "<when> <status>" line per status change, oldest first;
- `notes` holds one "<when> <text>" line per note, oldest first;
- `amount_value` is a number, `amount_currency` a three-letter code, `amount_detail` text.

A list whose entries would not survive that (an entry with a line break or surrounding spaces, a
note stamped other than 2019-04-30T09:15:00Z or a date) is written as a JSON array instead; a cell that starts
with "[" is read as one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from typing import IO

import orjson

from stidiplo import model, vocab
from stidiplo.changes import default_status
from stidiplo.dates import DAY, parse_stored
from stidiplo.errors import StidiploError, UsageError, ValidationError
from stidiplo.formats.csvfmt import Cell
from stidiplo.model import JSON_KEYS, KINDS, STATUSES, Amount, Item, Note, StatusChange
from stidiplo.tracker import Tracker

COLUMNS = (
    "id",
    "date",
    "end",
    "kind",
    "status",
    "title",
    "title_en",
    "countries",
    "fields",
    "organizations",
    "people",
    "place",
    "participants",
    "amount_value",
    "amount_currency",
    "amount_detail",
    "follows",
    "related",
    "sources",
    "notes",
    "history",
    "created",
    "updated",
)
NEW_ITEM_COLUMNS = ("kind", "title", "date")
"""A sheet without an `id` column adds items, so it needs at least these."""
IMPORT_FORMATS = ("json", "jsonl", "csv", "xlsx")
LIST_SEP = "; "

ADD, UPDATE, SKIP = "add", "update", "skip"

_STAMP = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}:\d{2}Z)?)?)?")
_SEPARATORS = re.compile(r"[;；,、\n\r]")
_INTEGER = re.compile(r"[+-]?\d+")

# -- items to flat rows -------------------------------------------------------------------------


def _when_cell(text: str | None) -> Cell:
    """A stored date as a cell: a real date when it is known to the day, else its text."""
    if text is None:
        return None
    when = parse_stored(text)
    return when.first if when.precision == DAY else text


def _one_line(text: str) -> bool:
    return bool(text) and text == text.strip() and "\n" not in text and "\r" not in text


def _json_cell(value: object) -> str:
    return orjson.dumps(value).decode()


def _lines_cell(values: Sequence[str]) -> str | None:
    if not values:
        return None
    if values[0].startswith("[") or not all(_one_line(v) for v in values):
        return _json_cell(list(values))
    return "\n".join(values)


def _history_cell(history: Sequence[StatusChange]) -> str | None:
    if not history:
        return None
    if history[0].at.startswith("[") or not all(_one_line(h.at) for h in history):
        return _json_cell([{"at": h.at, "status": h.status} for h in history])
    return "\n".join(f"{h.at} {h.status}" for h in history)


def _notes_cell(notes: Sequence[Note]) -> str | None:
    if not notes:
        return None
    if not all(_STAMP.fullmatch(n.at) and _one_line(n.text) for n in notes):
        return _json_cell([{"at": n.at, "text": n.text} for n in notes])
    return "\n".join(f"{n.at} {n.text}" for n in notes)


def item_cells(item: Item) -> list[Cell]:
    """The item as one flat row, in the order of COLUMNS."""
    amount = item.amount
    return [
        item.id,
        _when_cell(item.date),
        _when_cell(item.end),
        item.kind,
        item.status,
        item.title,
        item.title_en,
        LIST_SEP.join(item.countries) or None,
        LIST_SEP.join(item.fields) or None,
        _lines_cell(item.organizations),
        _lines_cell(item.people),
        item.place,
        item.participants,
        None if amount is None else amount.value,
        None if amount is None else amount.currency,
        None if amount is None else amount.detail,
        item.follows,
        LIST_SEP.join(item.related) or None,
        _lines_cell(item.sources),
        _notes_cell(item.notes),
        _history_cell(item.history),
        item.created or None,
        item.updated or None,
    ]


# -- reading import files -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One record of an import file: where it is (row 5, line 3, item 2) and its values by key."""

    where: str
    values: object
    flat: bool


def _flat_rows(header: Sequence[str], table: Iterable[tuple[int, Sequence[Cell]]]) -> list[Row]:
    """Rows of a sheet keyed by its column names, once the header is known to be usable."""
    names = [str(name).strip().lower() for name in header]
    table = list(table)
    width = len(names)
    while (
        width
        and not names[width - 1]
        and all(len(cells) < width or cells[width - 1] in (None, "") for _, cells in table)
    ):
        width -= 1
    names = names[:width]
    if "" in names:
        raise StidiploError(f"column {names.index('') + 1} has no name in the header row")
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        raise StidiploError(f"unknown column(s) {', '.join(map(repr, unknown))}; the columns are: {', '.join(COLUMNS)}")
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise StidiploError(f"column(s) {', '.join(repeated)} appear more than once in the header row")
    if "id" not in names:
        missing = [c for c in NEW_ITEM_COLUMNS if c not in names]
        if missing:
            raise StidiploError(f"missing column(s) {', '.join(missing)} (or an id column to update items)")
    rows = []
    for number, cells in table:
        if any(c not in (None, "") for c in cells[width:]):
            raise StidiploError(f"row {number} has more cells than the header row has columns ({width})")
        padded = [*cells[:width], *([None] * (width - len(cells)))]
        rows.append(Row(f"row {number}", dict(zip(names, padded, strict=True)), flat=True))
    return rows


def _read(raw: bytes, fmt: str) -> list[Row]:
    if fmt == "csv":
        from stidiplo.formats.csvfmt import read_table

        return _flat_rows(*read_table(raw))
    if fmt == "xlsx":
        from stidiplo.formats.xlsx import read_table

        return _flat_rows(*read_table(raw))
    from stidiplo.formats.jsonrows import read_json, read_jsonl

    if fmt == "json":
        return [Row(f"item {n}", value, flat=False) for n, value in read_json(raw)]
    return [Row(f"line {n}", value, flat=False) for n, value in read_jsonl(raw)]


def read_rows(raw: bytes, fmt: str) -> list[Row]:
    """The records of an import file in `fmt`; StidiploError when the file itself is malformed.

    An id given twice makes the file malformed: which row should win cannot be guessed.
    """
    rows = _read(raw, fmt)
    _check_ids_unique(rows)
    return rows


def _check_ids_unique(rows: Sequence[Row]) -> None:
    seen: dict[str, str] = {}
    for row in rows:
        raw = row.values.get("id") if isinstance(row.values, dict) else None
        if isinstance(raw, str) and raw.strip():
            key = raw.strip().lower()
            if key in seen:
                raise StidiploError(f"id {key} appears twice ({seen[key]} and {row.where}); nothing imported")
            seen[key] = row.where


# -- decoding values ----------------------------------------------------------------------------


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


def _span(name: str, value: object, flat: bool, today: date) -> tuple[str | None, str | None]:
    """A stored date as given, else a date or range as `add` reads it (2018年10月7日, 9 Oct 2018, 9–12 Oct)."""
    text = _text(name, value, flat)
    if text is None or not text.strip():
        return None, None
    text = text.strip()
    try:
        return parse_stored(text).text, None
    except ValueError:
        pass
    from stidiplo.dateparse import parse_span

    try:
        start, end = parse_span(text, today=today)
    except UsageError as err:
        raise ValidationError(f"{name}: {err}") from None
    return start.text, end.text if end else None


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


@cache
def _names(group: str) -> dict[str, str]:
    """Every way to write a kind or status (code, English or Japanese label), normalised, to its code."""
    codes, label = (KINDS, vocab.kind_label) if group == "kind" else (STATUSES, vocab.status_label)
    return {vocab.normalize(name): code for code in codes for name in (code, label(code, "en"), label(code, "ja"))}


def _choice(group: str, value: object, flat: bool) -> str | None:
    text = _text(group, value, flat)
    if text is None or not text.strip():
        return None
    code = _names(group).get(vocab.normalize(text))
    if code is None:
        allowed = KINDS if group == "kind" else STATUSES
        raise ValidationError(f"{group}: {text!r} is not one of {', '.join(allowed)}")
    return code


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
    number = model.amount_number(values.get("amount_value"), "amount_value")
    currency = _text("amount_currency", values.get("amount_currency"), True)
    detail = _text("amount_detail", values.get("amount_detail"), True)
    if number is None:
        if currency or detail:
            raise ValidationError("amount: a currency or detail is given without amount_value")
        return None
    if not currency or not currency.strip():
        raise ValidationError(f"amount_currency: give the currency of the amount {number}, e.g. JPY or EUR")
    return Amount(number, currency.strip().upper(), detail)


def _amount(value: object) -> Amount | None:
    if value is None:
        return None
    if not isinstance(value, dict) or "value" not in value or "currency" not in value:
        raise ValidationError("amount: must be an object with value and currency, or null")
    unknown = set(value) - {"value", "currency", "detail"}
    if unknown:
        raise ValidationError(f"amount: unknown key(s) {', '.join(sorted(unknown))}")
    number = model.amount_number(value["value"], "amount_value")
    if number is None:
        raise ValidationError("amount: the value must be a number")
    return Amount(number, value["currency"], value.get("detail"))


def _entries(name: str, value: object, flat: bool, second: str) -> list[tuple[object, object]] | None:
    """History or notes as (at, status|text) pairs: a list of objects, or a cell of lines or JSON."""
    if value is None or (flat and value == ""):
        return None
    if isinstance(value, str):
        if value.lstrip().startswith("["):
            value = _json_list(name, value)
        else:
            return [_line_entry(line, second) for line in _lines(value)]
    if not isinstance(value, list):
        raise ValidationError(f"{name}: must be a list")
    pairs = []
    for entry in value:
        if not isinstance(entry, dict) or set(entry) != {"at", second}:
            raise ValidationError(f"{name}: each entry needs exactly 'at' and '{second}'")
        pairs.append((entry["at"], entry[second]))
    return pairs


def _line_entry(line: str, second: str) -> tuple[object, object]:
    """One line of a history ("<when> <status>") or notes ("<when> <text>", or just text) cell."""
    if second == "status":
        at, _, status = line.rpartition(" ")
        return at.strip(), status
    stamp = _STAMP.match(line)
    if stamp and line[stamp.end() : stamp.end() + 1] == " " and line[stamp.end() + 1 :].strip():
        return stamp.group(), line[stamp.end() + 1 :].strip()
    return None, line


# -- the import plan ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """What importing one row does: add a new item, update an existing one, or skip a duplicate."""

    action: str
    item: Item
    where: str
    same_as: str | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a row cannot be imported: where it is and 'field: reason'."""

    where: str
    message: str


@dataclass(slots=True)
class Plan:
    """What an import does: a step for every row that can be imported, a problem for every other row."""

    steps: list[Step]
    problems: list[Problem]

    def count(self, action: str) -> int:
        return sum(1 for step in self.steps if step.action == action)

    def changes(self) -> list[Item]:
        """The items to put into the tracker: every added and updated one."""
        return [step.item for step in self.steps if step.action != SKIP]


def _content(item: Item) -> bytes:
    """What makes two items the same record, whatever their ids, stamps and history."""
    record = item.to_record()
    for key in ("created", "updated", "history"):
        del record[key]
    record["notes"] = [note.text for note in item.notes]
    return orjson.dumps(record, option=orjson.OPT_SORT_KEYS)


class _Planner:
    """Turns rows into steps against one tracker, with one clock for every stamp it writes."""

    def __init__(self, tracker: Tracker, today: date) -> None:
        self.tracker = tracker
        self.today = today
        self.stamp = model.now()
        self._contents: dict[bytes, str] | None = None

    def contents(self) -> dict[bytes, str]:
        """Content → id of every existing item, built only when a row comes without an id."""
        if self._contents is None:
            self._contents = {_content(item): item.id for item in self.tracker.items.values()}
        return self._contents

    def step(self, row: Row) -> Step:
        values = row.values
        if not isinstance(values, dict):
            raise ValidationError("not an object")
        if not row.flat:
            unknown = sorted(set(values) - set(JSON_KEYS))
            if unknown:
                raise ValidationError(f"unknown field(s): {', '.join(unknown)}")
        item_id = self._id(values.get("id"))
        old = self.tracker.items.get(item_id) if item_id else None
        changes = self._changes(values, row.flat)
        if old is not None:
            return self._update(old, changes, row.where)
        return self._add(item_id, changes, row.where)

    def _id(self, value: object) -> str | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise ValidationError("id: must be text")
        key = value.strip().lower()
        if not re.fullmatch(r"[0-9a-f]{32}", key):
            raise ValidationError(f"id: {value!r} is not a 32-character hex id (leave it empty to add a new item)")
        return key

    def _changes(self, values: Mapping[str, object], flat: bool) -> dict[str, object]:
        """The Item fields the row gives, typed and resolved as `add` resolves them."""
        changes: dict[str, object] = {}
        for key, value in values.items():
            if key in ("title", "title_en", "place", "participants", "created", "updated"):
                changes[key] = _text(key, value, flat)
            elif key in ("kind", "status"):
                changes[key] = _choice(key, value, flat)
            elif key == "date":
                changes["date"], range_end = _span("date", value, flat, self.today)
                if range_end is not None and not _text("end", values.get("end"), flat):
                    changes["end"] = range_end
            elif key == "end":
                if "end" not in changes or _text("end", value, flat):
                    changes["end"] = _span("end", value, flat, self.today)[0]
            elif key == "countries":
                changes[key] = _resolved(
                    key, _list(key, value, flat, _split_codes), vocab.resolve_country, vocab.is_country_code
                )
            elif key == "fields":
                changes[key] = _resolved(
                    key, _list(key, value, flat, _split_codes), vocab.resolve_field, _field_slugs().__contains__
                )
            elif key in ("organizations", "people", "sources"):
                changes[key] = _list(key, value, flat, _lines)
            elif key == "follows":
                ref = _text(key, value, flat)
                changes[key] = _ref(key, ref, self.tracker) if ref and ref.strip() else None
            elif key == "related":
                refs = _list(key, value, flat, _split_codes)
                changes[key] = list(
                    dict.fromkeys(_ref(key, r, self.tracker) if isinstance(r, str) else r for r in refs)
                )
            elif key == "amount":
                changes[key] = _amount(value)
            elif key in ("history", "notes"):
                changes[key] = _entries(key, value, flat, "status" if key == "history" else "text")
        if flat and any(key.startswith("amount_") for key in values):
            changes["amount"] = _amount_from_cells(values)
        return changes

    def _history(self, pairs: list[tuple[object, object]] | None) -> list[StatusChange] | None:
        """Status changes as given; a status may be written as its label (済, done), like the status column."""
        if pairs is None:
            return None
        return [
            StatusChange(at, (_choice("history", status, False) or status) if isinstance(status, str) else status)
            for at, status in pairs
        ]

    def _notes(self, pairs: list[tuple[object, object]] | None) -> list[Note] | None:
        """Notes as given; a note line without a stamp is stamped now."""
        if pairs is None:
            return None
        return [Note(self.stamp if at is None else at, text) for at, text in pairs]

    def _finish(self, item: Item) -> Item:
        """The history brought up to the current status, then the whole item checked against the model."""
        item = model.status_recorded(item, self.stamp)
        model.validate(item)
        return item

    def _add(self, item_id: str | None, changes: dict[str, object], where: str) -> Step:
        history = self._history(changes.pop("history", None)) or []
        notes = self._notes(changes.pop("notes", None)) or []
        date_text = changes.pop("date", None)
        if date_text is None:
            raise ValidationError("date: must not be empty")
        status = changes.pop("status", None)
        if status is None:
            status = default_status(date_text, self.today)
        item = Item(
            id=item_id or model.new_id(),
            kind=changes.pop("kind", None) or "",
            title=changes.pop("title", None) or "",
            date=date_text,
            status=status,
            history=history,
            notes=notes,
            created=changes.pop("created", None) or self.stamp,
            updated=changes.pop("updated", None) or self.stamp,
            **changes,
        )
        item = self._finish(item)
        if item_id is None:
            key = _content(item)
            twin = self.contents().get(key)
            if twin is not None:
                return Step(SKIP, self.tracker.items.get(twin, item), where, same_as=twin)
            self.contents()[key] = item.id
        return Step(ADD, item, where)

    def _update(self, old: Item, changes: dict[str, object], where: str) -> Step:
        """The existing item with the row's values; the columns a row leaves out keep their values."""
        history = self._history(changes.pop("history", None))
        notes = self._notes(changes.pop("notes", None))
        changes.pop("created", None)
        changes.pop("updated", None)
        if changes.get("date", old.date) is None:
            raise ValidationError("date: must not be empty")
        if "status" in changes and changes["status"] is None:
            del changes["status"]
        for key in ("kind", "title"):
            if key in changes and changes[key] is None:
                changes[key] = ""
        item = replace(old, **changes, history=history or old.history, notes=old.notes if notes is None else notes)
        item = self._finish(item)
        if item == old:
            return Step(SKIP, old, where, same_as=old.id)
        return Step(UPDATE, replace(item, updated=self.stamp), where)


def _link_problems(tracker: Tracker, steps: dict[str, Step], invalid_ids: Mapping[str, str]) -> list[Problem]:
    """Rows whose follows/related name no item (or a non-meeting), once every row is in place."""
    merged = Tracker({**tracker.items, **{i: s.item for i, s in steps.items()}}, tracker.meta)
    problems = []
    for step in steps.values():
        item = step.item
        try:
            for name, ref in (("follows", item.follows), *(("related", r) for r in item.related)):
                if ref is not None and ref not in merged.items and ref in invalid_ids:
                    raise ValidationError(f"{name}: the item it names ({invalid_ids[ref]}) cannot be imported")
            merged.check_links(item)
        except ValidationError as err:
            problems.append(Problem(step.where, str(err)))
    return problems


def plan_import(tracker: Tracker, rows: Sequence[Row], today: date, advance: Callable[[], None] | None = None) -> Plan:
    """What importing `rows` into `tracker` would do, row by row, and every row that cannot be imported.

    A row that fails makes the rows that follow or relate to it fail too, so what remains can be
    applied on its own.
    """
    planner = _Planner(tracker, today)
    steps: list[Step] = []
    problems: list[Problem] = []
    invalid_ids: dict[str, str] = {}
    for row in rows:
        try:
            steps.append(planner.step(row))
        except ValidationError as err:
            problems.append(Problem(row.where, str(err)))
            raw = row.values.get("id") if isinstance(row.values, dict) else None
            if isinstance(raw, str) and raw.strip():
                invalid_ids[raw.strip().lower()] = row.where
        if advance is not None:
            advance()
    changing = {step.item.id: step for step in steps if step.action != SKIP}
    while True:
        failed = _link_problems(tracker, changing, invalid_ids)
        if not failed:
            break
        problems += failed
        failed_where = {p.where for p in failed}
        for item_id, step in list(changing.items()):
            if step.where in failed_where:
                invalid_ids[item_id] = step.where
                del changing[item_id]
    order = {row.where: number for number, row in enumerate(rows)}
    kept = [step for step in steps if step.action == SKIP or step.item.id in changing]
    return Plan(kept, sorted(problems, key=lambda p: order[p.where]))


def apply_plan(tracker: Tracker, plan: Plan) -> None:
    """Put every added and updated item into the tracker at once, exactly as planned."""
    tracker.put_all(plan.changes())


# -- export -------------------------------------------------------------------------------------

EXPORT_FORMATS = ("json", "jsonl", "csv", "xlsx", "ics", "md")


def export(items: Sequence[Item], fmt: str, out: IO[bytes], *, lang: str = "en", spans: bool = False) -> int:
    """Write `items` in `fmt`; returns how many went in (a calendar leaves out items not known to the day)."""
    if fmt == "json":
        from stidiplo.formats.jsonfmt import write_items

        write_items(items, out)
    elif fmt == "jsonl":
        from stidiplo.formats.jsonrows import write_jsonl

        write_jsonl(items, out)
    elif fmt == "csv":
        from stidiplo.formats.csvfmt import write_table

        write_table(COLUMNS, (item_cells(item) for item in items), out)
    elif fmt == "xlsx":
        from stidiplo.formats.xlsx import write_table

        write_table(COLUMNS, (item_cells(item) for item in items), out)
    elif fmt == "ics":
        from stidiplo.formats.ics import write_calendar

        return write_calendar(items, lang, out, spans=spans)
    else:
        import io

        from stidiplo.formats.mdfmt import write_by_year

        text = io.StringIO()
        write_by_year(items, lang, text)
        out.write(text.getvalue().encode("utf-8"))
    return len(items)
