"""The timeline: items by year, one line each with a status mark (`timeline`), or one lane per
country or field across the years (`timeline --by`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.text import Text

from stidiplo import vocab
from stidiplo.labels import STATUS_MARK, year_of
from stidiplo.tally import Lane, runs_past
from stidiplo.views import STATUS_STYLE, status_legend, text
from stidiplo.views.items import aligned_table, column_widths, countries_cell
from stidiplo.views.lines import TableLines

if TYPE_CHECKING:
    from stidiplo.model import Item


def timeline_view(items: Sequence[Item], lang: str) -> RenderableType:
    """Items by year and month, one line each with date, countries, kind and a status mark."""
    rows = [
        (
            Text(STATUS_MARK[item.status], style=STATUS_STYLE[item.status]),
            item.when(lang),
            countries_cell(item, lang),
            vocab.kind_label(item.kind, lang),
            text(item.title_in(lang)),
        )
        for item in items
    ]
    widths = column_widths(rows)
    parts: list[RenderableType] = []
    year_rows: list[Sequence[Text | str]] = []
    current_year = None
    for item, row in zip(items, rows, strict=True):
        year = year_of(item, lang)
        if not year_rows or year != current_year:
            year_rows = []
            parts += [Text(year, style="bold"), TableLines(aligned_table(widths, title_at=4), year_rows)]
            current_year = year
        year_rows.append(row)
    return Group(*parts)


class LanesView:
    """One lane per country or field, one cell per year: a mark per item starting that year, a
    line through the years an item's support or validity runs. Sized to the console's width."""

    def __init__(self, years: Sequence[int | None], lanes: Sequence[tuple[str, Lane]], lang: str) -> None:
        self.years = list(years)
        self.lanes = list(lanes)
        self.lang = lang

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.lanes:
            return
        label_width = min(max(Text(name).cell_len for name, _ in self.lanes), max(16, options.max_width // 4))
        count_width = max(len(str(len(lane.items))) for _, lane in self.lanes) + 1
        room = options.max_width - label_width - count_width - 1
        busiest = max(len(starts) for _, lane in self.lanes for starts, _ in lane.cells.values())
        cell = max(2, min(max(busiest, 4), room // len(self.years) - 1))
        header = Text(" " * (label_width + 1))
        for year in self.years:
            label = "…" if year is None else str(year) if cell >= 4 else str(year)[-2:]
            header.append(f"{label:<{cell}} ", style="bold")
        yield header
        for name, lane in self.lanes:
            line = text(name)
            line.truncate(label_width, overflow="ellipsis", pad=True)
            line.append(" ")
            for year in self.years:
                if year is None:
                    line.append(" " * cell)
                else:
                    line.append_text(_cell(year, *lane.cells.get(year, ([], [])), cell))
                line.append(" ")
            line.append(f"{len(lane.items):>{count_width}}", style="dim")
            yield line
        yield status_legend(self.lang)


def _cell(year: int, starts: Sequence[Item], runs: Sequence[Item], width: int) -> Text:
    """Marks of the items starting in a year, then a line for those running on; '·' when quiet."""
    out = Text()
    shown = starts if len(starts) <= width else starts[: width - 1]
    for item in shown:
        out.append(STATUS_MARK[item.status], style=STATUS_STYLE[item.status])
    if len(shown) < len(starts):
        out.append("+", style="bold")
    running = [*runs, *(i for i in starts if runs_past(i, year))]
    if running and out.cell_len < width:
        out.append("─" * (width - out.cell_len), style=STATUS_STYLE[running[0].status])
    if not out:
        out.append("·", style="dim")
    out.pad_right(width - out.cell_len)
    return out
