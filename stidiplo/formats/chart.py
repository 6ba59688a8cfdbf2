"""The scorecard as an Excel workbook: the table, and a native bar chart of the share completed.

The table is written by the project's workbook writer (text stays text, widths fit); the chart is
an openpyxl bar chart over the "completed" column, one bar per meeting, country, field or year,
so Excel and LibreOffice draw it themselves and it follows any edit of the numbers.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from stidiplo import vocab
from stidiplo.formats.documents import missing
from stidiplo.model import STATUSES
from stidiplo.tally import Tally

SHEET = "scorecard"
PERCENT = "0%"


def scorecard_workbook(rows: Sequence[tuple[str, Tally]], total: Tally, by: str, lang: str) -> bytes:
    """The scorecard's rows and total under headings in `lang`, with a bar chart of each row's share completed."""
    try:
        from openpyxl import load_workbook
    except ImportError:
        raise missing(".xlsx", "openpyxl") from None
    from stidiplo.formats.xlsx import write_table

    header = [
        vocab.header(by, lang),
        *(vocab.status_label(s, lang) for s in STATUSES),
        vocab.header("total", lang),
        vocab.header("completed", lang),
    ]
    cells = [[name, *(row.counts[s] for s in STATUSES), row.total, row.completed] for name, row in rows]
    cells.append([vocab.header("total", lang), *(total.counts[s] for s in STATUSES), total.total, total.completed])
    raw = io.BytesIO()
    write_table(header, cells, raw, sheet=SHEET)
    book = load_workbook(io.BytesIO(raw.getvalue()))
    sheet = book[SHEET]
    share = len(header)
    for (cell,) in sheet.iter_rows(min_row=2, min_col=share, max_col=share):
        cell.number_format = PERCENT
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToHeight = 0
    if rows:
        sheet.add_chart(_chart(sheet, len(rows), share, header[-1]), f"A{len(cells) + 4}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _chart(sheet: Any, count: int, share: int, title: str) -> Any:
    """Horizontal bars, first row on top, the axis from 0 % to 100 %."""
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()
    chart.type = "bar"
    chart.title = title
    chart.legend = None
    chart.add_data(Reference(sheet, min_col=share, min_row=1, max_row=count + 1), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=count + 1))
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    chart.y_axis.number_format = PERCENT
    chart.y_axis.majorGridlines = None
    chart.x_axis.scaling.orientation = "maxMin"
    chart.y_axis.delete = chart.x_axis.delete = False
    chart.width, chart.height = 18, max(6.0, 0.6 * count + 2)
    return chart
