"""Tables of items: the listing `list` prints, counts per country or field, and the column helpers
that make the tables of one view line up."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from stidiplo import vocab
from stidiplo.labels import country_names
from stidiplo.model import Item
from stidiplo.tracker import Tracker
from stidiplo.views import plain, status_mark, text
from stidiplo.views.cells import Styled, cell_width
from stidiplo.views.lines import TableLines


def countries_cell(item: Item, lang: str) -> Text:
    """The item's country and bloc names in `lang`."""
    return text(country_names(item.countries, lang))


def _countries(item: Item, lang: str) -> str:
    """The item's country and bloc names in `lang`, as a table cell of lines."""
    return plain(country_names(item.countries, lang))


_MAX_WIDTH = {"date": 16, "kind": 12, "status": 15, "countries": 18, "name": 24}
_MIN_WIDTH = {"date": 10, "kind": 12, "status": 12, "countries": 12}
TITLE_SHARE = 0.35
"""The share of the width a title keeps when the columns beside it must give way."""
TITLE_MIN = 16


def _caps(needed: dict[str, int], headers: dict[str, int], width: int) -> dict[str, int]:
    """The widest each column beside the title may be: what its cells need, up to a preferred cap;
    where that leaves the title less than its share of `width`, less, down to a minimum (never
    narrower than the column's header), and below that only to keep the title TITLE_MIN wide.

    `needed` and `headers` give, for every column, the widest cell and the header's width.
    """
    side = [c for c in needed if c in _MIN_WIDTH]
    want = {c: min(_MAX_WIDTH[c], needed[c]) for c in side}
    least = {c: min(max(_MIN_WIDTH[c], headers[c]), want[c]) for c in side}
    fixed = 2 * (len(needed) - 1) + needed.get("id", 0)
    room = width * (1 - TITLE_SHARE) - fixed
    if room >= sum(want.values()):
        return want
    if room >= sum(least.values()):
        keep = (room - sum(least.values())) / (sum(want.values()) - sum(least.values()))
        return {c: least[c] + int(keep * (want[c] - least[c])) for c in side}
    squeeze = min(1.0, (width - fixed - TITLE_MIN) / sum(least.values()))
    return {c: max(4, int(least[c] * squeeze)) for c in side}


def _table(lang: str, columns: Sequence[str], title: str | None = None, caps: dict[str, int] | None = None) -> Table:
    """A table whose `title` column takes the width left, folding Japanese text by character.

    The other columns are capped so the title keeps room; giving the title a ratio (not letting
    Rich shrink it) also avoids Rich dropping wide characters where a folded line meets the edge.
    """
    caps = caps or _MAX_WIDTH
    table = Table(
        box=box.SIMPLE_HEAD,
        title=title,
        title_justify="left",
        pad_edge=False,
        show_edge=False,
        collapse_padding=True,
        expand="title" in columns,
    )
    for column in columns:
        table.add_column(
            vocab.header(column, lang),
            overflow="fold",
            no_wrap=column == "id",
            max_width=caps.get(column),
            ratio=1 if column == "title" else None,
            min_width=TITLE_MIN if column == "title" else None,
        )
    return table


class ItemsTable:
    """One row per item: id, date, kind, status, countries, title; laid out for the width it is given."""

    COLUMNS = ("id", "date", "kind", "status", "countries", "title")

    def __init__(self, items: Sequence[Item], tracker: Tracker, lang: str, title: str | None = None) -> None:
        self.lang, self.title = lang, title
        kinds: dict[str, str] = {}
        names: dict[tuple[str, ...], str] = {}
        self.rows = [
            (
                Styled(tracker.short_id(item.id), "bold"),
                item.when(lang),
                kinds.get(item.kind) or kinds.setdefault(item.kind, vocab.kind_label(item.kind, lang)),
                status_mark(item.status, lang),
                names.get(key := tuple(item.countries)) or names.setdefault(key, _countries(item, lang)),
                plain(item.title_in(lang)),
            )
            for item in items
        ]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.laid_out(options.max_width)

    def pieces(self, console: Console, options: ConsoleOptions) -> Iterator[RenderableType]:
        """The listing in pieces of rows, for printing a long one a piece at a time."""
        return self.laid_out(options.max_width).pieces(console, options)

    def laid_out(self, width: int) -> TableLines:
        """The listing's table for `width` columns: each column capped so the title keeps room."""
        headers = [vocab.header(c, self.lang) for c in self.COLUMNS]
        needed = dict(zip(self.COLUMNS, column_widths([headers, *self.rows]), strict=True))
        caps = _caps(needed, {c: cell_len(h) for c, h in zip(self.COLUMNS, headers, strict=True)}, width)
        date_width = caps["date"]
        rows = self.rows
        if needed["date"] > date_width:
            rows = [
                (ident, _fit_date(when, date_width), kind, status, countries, title)
                for ident, when, kind, status, countries, title in self.rows
            ]
        return TableLines(_table(self.lang, self.COLUMNS, self.title, caps), rows)


def _fit_date(when: str, width: int) -> str:
    """A date too wide for its column, broken after its dash, month or year, never inside a number."""
    if cell_len(when) <= width:
        return when
    for mark in ("～", "–", "月", "年"):
        at = when.find(mark) + 1
        if at and cell_len(when[:at]) <= width:
            return f"{when[:at].rstrip()}\n{when[at:].lstrip()}"
    return when


def column_widths(rows: Iterable[Sequence[str | Text | Styled]]) -> list[int]:
    """The widest cell of each column in terminal cells, so that the tables of one view line up."""
    return [max(cell_width(c if isinstance(c, str) else c.plain) for c in column) for column in zip(*rows, strict=True)]


def aligned_table(widths: Sequence[int], title_at: int) -> Table:
    """A borderless table as wide as the terminal: each column `widths` wide but the title's, which takes the rest."""
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1), expand=True)
    for at, width in enumerate(widths):
        if at == title_at:
            table.add_column(overflow="fold", ratio=1)
        else:
            table.add_column(overflow="fold", no_wrap=True, min_width=width)
    return table


def names_table(rows: Sequence[tuple[str, str, str, str]], lang: str) -> Table:
    """Codes with their English and Japanese names and other accepted words: what `values` lists."""
    table = _table(lang, ("code", "name_en", "name_ja", "aliases"))
    for row in rows:
        table.add_row(*(text(cell) for cell in row))
    return table


def counts_table(rows: Sequence[tuple[str, str, int]], lang: str) -> Table:
    """A code, its name in `lang` and how many items use it."""
    table = _table(lang, ("code", "name", "count"))
    for code, name, count in rows:
        table.add_row(text(code), text(name), str(count))
    return table
