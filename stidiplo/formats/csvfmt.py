"""CSV that opens correctly in Excel (UTF-8 with a byte-order mark) and never runs a cell as a formula.

Excel runs a cell that starts with = + - @ (or a tab or carriage return before them) as a formula,
so every text cell that starts with one of those gets a single quote in front (OWASP's advice on
CSV injection); numbers are written as numbers. The quote is reversible: `restore` takes it off
again, and a text that already starts with quotes before such a character gets one more, so
reading back what was written always gives the original text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import IO

from stidiplo.errors import StidiploError

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet treat a cell as a formula."""
QUOTE = "'"
BOM = "\ufeff"
DELIMITERS = (",", ";", "\t")

Cell = str | int | float | date | None


def _formula_like(text: str) -> bool:
    return text.lstrip(QUOTE).startswith(DANGEROUS)


def neutralise(text: str) -> str:
    """`text` as a spreadsheet shows it instead of running it: one quote more before a formula-like start."""
    return QUOTE + text if _formula_like(text) else text


def restore(text: str) -> str:
    """The text `neutralise` was given: the quote it added taken off again."""
    return text[1:] if text.startswith(QUOTE) and _formula_like(text) else text


def cell_text(value: Cell) -> str:
    """How one cell is written: text neutralised, numbers and dates as themselves, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, date):
        return value.isoformat()
    return repr(value) if isinstance(value, float) else str(value)


def write_table(header: Sequence[str], rows: Iterable[Sequence[Cell]], out: IO[bytes]) -> None:
    """A header and rows as Excel-ready CSV bytes: BOM, UTF-8, CRLF line ends, every cell made safe."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([cell_text(value) for value in row] for row in rows)
    out.write((BOM + text.getvalue()).encode("utf-8"))


def decode(raw: bytes) -> str:
    """CSV bytes as text: UTF-8 (with or without a BOM), else Shift_JIS as Japanese Excel saves it."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp932")
    except UnicodeDecodeError:
        raise StidiploError("not UTF-8 or Shift_JIS text; save the sheet as 'CSV UTF-8'") from None


def _delimiter(first_line: str) -> str:
    """The separator the header row uses: Excel writes ; or tabs in some locales."""
    return max(DELIMITERS, key=first_line.count)


def read_table(raw: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-empty rows of a CSV file, each with its spreadsheet row number (header = 1)."""
    text = decode(raw)
    if not text.strip():
        raise StidiploError("the file is empty (expected a header row)")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n", 1)[0]), strict=True)
    try:
        header = next(reader)
        rows = [
            (number, [restore(cell) for cell in cells])
            for number, cells in enumerate(reader, start=2)
            if any(cell.strip() for cell in cells)
        ]
    except csv.Error as err:
        raise StidiploError(f"not readable as CSV near row {reader.line_num}: {err}") from None
    return header, rows
