"""The timeline: items by year, one line each with a status mark (`timeline`), or one lane per
country or field across the years (`timeline --by`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.text import Text

from stidiplo import vocab
from stidiplo.labels import STATUS_MARK, country_names, year_of
from stidiplo.tally import Lane, runs_past
from stidiplo.views import STATUS_STYLE, plain, status_legend, text
from stidiplo.views.cells import Styled, cell_width
from stidiplo.views.items import aligned_table
from stidiplo.views.lines import TableLines

if TYPE_CHECKING:
    from stidiplo.model import Item


def timeline_view(items: Sequence[Item], lang: str) -> TimelineView:
    """Items by year and month, one line each with date, countries, kind and a status mark."""
    return TimelineView(items, lang)


class TimelineView:
    """The timeline, made a year at a time as it is printed (`pieces`): a long one never holds the rows
    of every item at once. Its columns are as wide as the widest value over all the years, so that
    the years' tables line up."""

    def __init__(self, items: Sequence[Item], lang: str) -> None:
        self.items = items
        self.lang = lang
        self.widths = _widths(items, lang)

    def pieces(self, console: Console, options: ConsoleOptions) -> Iterator[RenderableType]:
        lang = self.lang
        for year, of_year in groupby(self.items, key=lambda item: year_of(item, lang)):
            yield Text(year, style="bold")
            yield TableLines(aligned_table(self.widths, title_at=4), [_row(item, lang) for item in of_year])

    __rich_console__ = pieces


def _row(item: Item, lang: str) -> tuple[Styled, str, str, str, str]:
    return (*_fixed(item, lang), plain(item.title_in(lang)))


def _fixed(item: Item, lang: str) -> tuple[Styled, str, str, str]:
    """The cells of the columns of fixed width: status mark, date, countries, kind."""
    mark = Styled(STATUS_MARK[item.status], STATUS_STYLE[item.status])
    return mark, item.when(lang), plain(country_names(item.countries, lang)), vocab.kind_label(item.kind, lang)


def _widths(items: Iterable[Item], lang: str) -> list[int]:
    """The widest mark, date, countries and kind over all `items` (the title takes the rest of the line)."""
    seen: dict[str, int] = {}
    widest = [0, 0, 0, 0]
    for item in items:
        mark, when, countries, kind = _fixed(item, lang)
        for at, value in enumerate((mark.plain, when, countries, kind)):
            width = seen.get(value)
            if width is None:
                width = seen[value] = cell_width(value)
            if width > widest[at]:
                widest[at] = width
    return [*widest, 0]


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
