"""Export and import files: items as the flat rows of CSV and Excel, an import file's rows, every export format.

The flat layout carries every field, so exporting and importing reproduces each item exactly:

- one row per item, one column per field (`COLUMNS`); `date` and `end` hold stored dates
  (2018-10-07, 2018-10, 2018, FY2018), "≈2018-08" for an estimated one, empty for an undated
  item; a workbook holds day dates as real dates;
- `countries`, `fields`, `follows` and `related` hold codes, slugs and ids separated by "; ";
- `organizations`, `programmes`, `people`, `people_en` and `sources` hold one entry per line;
- `history` holds one "<when> <status>" line per status change, oldest first;
- `notes` holds one "<when> <text>" line per note, oldest first;
- `amount_value` is a number, `amount_currency` a three-letter code, `amount_detail` text;
- `provenance` says how the item was recorded.

A list whose entries would not survive that (an entry with a line break or surrounding spaces, a
note stamped other than 2019-04-30T09:15:00Z or a date, a note with an English wording, a source
with a page, heading or quote) is written as a JSON array instead; a cell that starts with "[" is
read as one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import IO

import orjson

from stidiplo.dates import DAY, parse_stored
from stidiplo.errors import StidiploError
from stidiplo.formats.csvfmt import Cell
from stidiplo.formats.table import LIST_SEP
from stidiplo.import_cells import STAMP, Row
from stidiplo.model import ESTIMATED_MARK, Item, Note, Source, StatusChange

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
    "programmes",
    "people",
    "people_en",
    "place",
    "place_en",
    "participants",
    "participants_en",
    "amount_value",
    "amount_currency",
    "amount_detail",
    "amount_detail_en",
    "follows",
    "related",
    "sources",
    "provenance",
    "notes",
    "history",
    "created",
    "updated",
)
NEW_ITEM_COLUMNS = ("kind", "title", "date")
"""A sheet without an `id` column adds items, so it needs at least these."""
IMPORT_FORMATS = ("json", "jsonl", "csv", "xlsx")


def _when_cell(text: str | None, estimated: bool = False) -> Cell:
    """A stored date as a cell: a real date when it is known to the day, else its text ("≈" first when estimated)."""
    if text is None:
        return None
    if estimated:
        return ESTIMATED_MARK + text
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
    if not all(STAMP.fullmatch(n.at) and _one_line(n.text) and n.text_en is None for n in notes):
        return _json_cell(
            [{"at": n.at, "text": n.text, **({"text_en": n.text_en} if n.text_en else {})} for n in notes]
        )
    return "\n".join(f"{n.at} {n.text}" for n in notes)


def _sources_cell(sources: Sequence[Source]) -> str | None:
    if any(s.page or s.heading or s.quote for s in sources):
        return _json_cell([s.to_record() for s in sources])
    return _lines_cell([s.document for s in sources])


def item_cells(item: Item) -> list[Cell]:
    """The item as one flat row, in the order of COLUMNS."""
    amount = item.amount
    return [
        item.id,
        _when_cell(item.date, item.date_estimated),
        _when_cell(item.end, item.end_estimated),
        item.kind,
        item.status,
        item.title,
        item.title_en,
        LIST_SEP.join(item.countries) or None,
        LIST_SEP.join(item.fields) or None,
        _lines_cell(item.organizations),
        _lines_cell(item.programmes),
        _lines_cell(item.people),
        _lines_cell(item.people_en),
        item.place,
        item.place_en,
        item.participants,
        item.participants_en,
        None if amount is None else amount.value,
        None if amount is None else amount.currency,
        None if amount is None else amount.detail,
        None if amount is None else amount.detail_en,
        LIST_SEP.join(item.follows) or None,
        LIST_SEP.join(item.related) or None,
        _sources_cell(item.sources),
        item.provenance,
        _notes_cell(item.notes),
        _history_cell(item.history),
        item.created or None,
        item.updated or None,
    ]


def _flat_rows(header: Sequence[str], table: Iterable[tuple[int, Sequence[Cell]]]) -> list[Row]:
    """Rows of a sheet keyed by its column names, once the header is known to be usable."""
    table = list(table)
    names = _column_names(header, table)
    width = len(names)
    rows = []
    for number, cells in table:
        if any(c not in (None, "") for c in cells[width:]):
            raise StidiploError(f"row {number} has more cells than the header row has columns ({width})")
        padded = [*cells[:width], *([None] * (width - len(cells)))]
        rows.append(Row(f"row {number}", dict(zip(names, padded, strict=True)), flat=True))
    return rows


def _column_names(header: Sequence[str], table: Sequence[tuple[int, Sequence[Cell]]]) -> list[str]:
    """The header's column names, empty ones at the end dropped when no row fills them; StidiploError
    when a name is empty, unknown or repeated, or a sheet that adds items lacks a column they need."""
    names = [str(name).strip().lower() for name in header]
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
    return names


def _read(raw: bytes, fmt: str) -> list[Row]:
    if fmt == "csv":
        from stidiplo.formats import csvfmt

        return _flat_rows(*csvfmt.read_table(raw))
    if fmt == "xlsx":
        from stidiplo.formats import xlsx

        return _flat_rows(*xlsx.read_table(raw))
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

        from stidiplo.formats.markdown import write_by_year

        text = io.StringIO()
        write_by_year(items, lang, text)
        out.write(text.getvalue().encode("utf-8"))
    return len(items)
