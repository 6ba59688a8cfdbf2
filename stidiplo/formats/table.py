"""A listing as rows of text: the columns `list` shows, one row per item, written here as CSV for
shell tools (`markdown` writes the same rows as a Markdown table; the Excel-ready CSV of
`export` is `csvfmt`)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING

from stidiplo.formats.csvfmt import neutralise

if TYPE_CHECKING:
    from stidiplo.model import Item

LIST_SEP = "; "
"""Between the entries of a list in one cell: here, and in the export's flat rows."""
COLUMNS = ("id", "date", "end", "kind", "status", "countries", "fields", "title", "title_en", "follows")


def row_of(item: Item, columns: Sequence[str]) -> list[str]:
    """The item's stored value in each column as text; lists joined by '; ', nothing as empty."""
    cells = []
    for column in columns:
        value = getattr(item, column)
        cells.append(LIST_SEP.join(value) if isinstance(value, list) else "" if value is None else str(value))
    return cells


def write_csv_rows(header: Sequence[str], rows: Iterable[Sequence[str]], out: IO[str]) -> None:
    """Rows of text as CSV, lines ending in "\\n" for shell tools; a cell a spreadsheet would run as
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
    """Items as a listing's CSV, one row per item."""
    write_csv_rows(columns, (row_of(i, columns) for i in items), out)
