"""CSV and Markdown tables of items, as listings print them."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import IO

from stidiplo.formats.csvfmt import neutralise
from stidiplo.model import Item

LIST_SEP = "; "
COLUMNS = ("id", "date", "end", "kind", "status", "countries", "fields", "title", "title_en", "follows")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _cell(item: Item, column: str) -> str:
    value = getattr(item, column)
    if isinstance(value, list):
        return LIST_SEP.join(value)
    return "" if value is None else str(value)


def write_csv_rows(header: Sequence[str], rows: Iterable[Sequence[str]], out: IO[str]) -> None:
    """Rows of text as CSV, lines ending in "\n" for shell tools; a cell a spreadsheet would run as
    a formula is neutralised.

    Python's writer quotes a cell holding the line end but not a lone carriage return, which
    readers also take for a line end: a row with one has every cell quoted.
    """
    plain = csv.writer(out, lineterminator="\n")
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    plain.writerow(header)
    for row in rows:
        cells = [neutralise(cell) for cell in row]
        (quoted if any("\r" in cell for cell in cells) else plain).writerow(cells)


def write_csv(items: Iterable[Item], out: IO[str], columns: Sequence[str] = COLUMNS) -> None:
    write_csv_rows(columns, ([_cell(i, c) for c in columns] for i in items), out)


def printable(value: str) -> str:
    """`value` with terminal control characters written as escapes (\\x1b), so a document shows them."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], value)


def md_escape(value: str) -> str:
    """A value safe inside a Markdown table cell."""
    return printable(value).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", "<br>")


def write_md_rows(header: Sequence[str], rows: Iterable[Sequence[str]], out: IO[str]) -> None:
    out.write("| " + " | ".join(md_escape(h) for h in header) + " |\n")
    out.write("|" + "|".join("---" for _ in header) + "|\n")
    for row in rows:
        out.write("| " + " | ".join(md_escape(c) for c in row) + " |\n")


def write_md(items: Iterable[Item], out: IO[str], columns: Sequence[str] = COLUMNS) -> None:
    write_md_rows(columns, ([_cell(i, c) for c in columns] for i in items), out)
