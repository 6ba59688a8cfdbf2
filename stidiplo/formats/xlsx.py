"""Excel workbooks: a header row frozen at the top, columns as wide as their text, no cell ever a formula.

Text cells are always stored as text: openpyxl would store a string that starts with "=" as a
formula, so the cell type is set back to text, and a text that starts like a formula also gets
Excel's quote-prefix style so that editing the cell in Excel keeps it text. Characters a workbook
cannot hold (control characters, a carriage return) are written in the workbook's own escape,
`_xHHHH_`, which Excel shows as the character and `read_table` turns back into it.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import IO

from stidiplo.errors import StidiploError
from stidiplo.formats.csvfmt import DANGEROUS, Cell

DATE_FORMAT = "yyyy-mm-dd"
MIN_WIDTH, MAX_WIDTH = 6, 60
_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]")


def escape(text: str) -> str:
    """`text` with characters a workbook cannot hold as `_xHHHH_`, and a literal `_xHHHH_` kept literal."""
    text = _ESCAPE.sub(lambda m: "_x005F" + m.group(), text)
    return _UNWRITABLE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def unescape(text: str) -> str:
    """The text `escape` was given."""
    return _ESCAPE.sub(lambda m: chr(int(m.group()[2:6], 16)), text) if "_x" in text else text


def display_width(text: str) -> int:
    """Columns the longest line of `text` takes: East Asian wide and full-width characters count double."""
    return max(
        (sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) for line in text.split("\n")), default=0
    )


def _shown(value: Cell) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def write_table(header: Sequence[str], rows: Iterable[Sequence[Cell]], out: IO[bytes], sheet: str = "items") -> None:
    """A workbook with one sheet: bold frozen header, filters, fitted widths, dates as dates, text as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [display_width(name) for name in header]
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            widths[column - 1] = max(widths[column - 1], display_width(_shown(value)))
            if value is None:
                continue
            cell = ws.cell(row=number, column=column)
            if isinstance(value, str):
                cell.value = escape(value)
                cell.data_type = "s"
                if value.startswith(DANGEROUS):
                    cell.quotePrefix = True
                if "\n" in value:
                    cell.alignment = wrap
            elif isinstance(value, date):
                cell.value = value
                cell.number_format = DATE_FORMAT
            else:
                cell.value = value
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = min(max(width, MIN_WIDTH), MAX_WIDTH) + 2
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    book.save(out)


def _value(value: object) -> Cell:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return unescape(value)
    if isinstance(value, bool):
        return str(value).upper()
    if value is None or isinstance(value, int | float | date):
        return value
    return str(value)


def read_table(raw: bytes) -> tuple[list[str], list[tuple[int, list[Cell]]]]:
    """The header and the non-empty rows of a workbook's first sheet, each with its row number."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError):
        raise StidiploError("not an Excel workbook (.xlsx)") from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise StidiploError("the first sheet is empty (expected a header row)")
        table = [
            (number, [_value(v) for v in values])
            for number, values in enumerate(rows, start=2)
            if any(v is not None and str(v).strip() for v in values)
        ]
    finally:
        book.close()
    return ["" if name is None else str(name) for name in header], table
