"""Tables printed as lines: a Rich `Table`'s columns, header and look, with its rows rendered here.

A Rich `Table` measures and renders every cell on its own (a `Padding`, `render_lines`, a crop and
a reshape per cell), which at thousands of rows costs far more than the data behind the view.
`TableLines` keeps the table for what it decides well (the columns' widths, the title, the header
and its rule) and renders the rows itself: each column measured once over all its cells, each
cell that fits on one line padded to its column, only the cells wider than their column wrapped
or folded by Rich's `Text.wrap`. The lines are the table's own, cell for cell: `cell_len` and
Rich's fold keep Japanese text at its width.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.containers import Lines
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult

Cell = Text | str
"""A table cell: user text as `Text`, or a plain string."""

_JOIN = Text("\n")
"""What Rich joins a cell's lines with before rendering them (its base style becomes a span)."""

_WIDTHS: dict[tuple, list[int]] = {}
"""Column widths already worked out, by the table's columns, the cells' measure and the width."""


def _measure(cell: Cell) -> tuple[int, int]:
    """What Rich measures for a text cell: its longest word and its longest line, in cells."""
    plain = cell.plain if isinstance(cell, Text) else cell
    widest = max((cell_len(line) for line in plain.splitlines()), default=0) if "\n" in plain else cell_len(plain)
    words = plain.split()
    return (max(map(cell_len, words)) if words else widest), widest


def _stand_ins(widest_word: int, widest_line: int) -> tuple[Text, Text]:
    """Two cells that Rich measures as a whole column of cells measures: one word as long as the
    longest, one line as long as the longest."""
    if not widest_line:
        return Text(""), Text("")
    return Text("x" * widest_word), Text("y".ljust(widest_line))


def _padding(table: Table, index: int) -> tuple[int, int]:
    """The left and right padding Rich gives the cells of column `index` (its `_get_cells`)."""
    _, right, _, left = Padding.unpack(table.padding)
    if table.collapse_padding and index:
        left = max(0, left - right)
    if not table.pad_edge:
        left = 0 if index == 0 else left
        right = 0 if index == len(table.columns) - 1 else right
    return left, right


def column_widths_of(
    table: Table, rows: Sequence[Sequence[Cell]], console: Console, options: ConsoleOptions
) -> list[int]:
    """The width Rich gives each column of `table` (padding included) were `rows` its rows."""
    measures = [_measure(cell) for row in rows for cell in row] if rows else []
    count = len(table.columns)
    columns = [measures[at::count] for at in range(count)]
    span = tuple((max((m[0] for m in c), default=0), max((m[1] for m in c), default=0)) for c in columns)
    key = (_signature(table), span, options.max_width, options.ascii_only)
    widths = _WIDTHS.get(key)
    if widths is None:
        proxy = _copy_columns(table)
        for row in zip(*(_stand_ins(*s) for s in span), strict=True):
            proxy.add_row(*row)
        # Rich's own layout, so that the widths are the table's to the cell.
        widths = proxy._calculate_column_widths(console, options.update_width(options.max_width - _extra(table)))
        _WIDTHS[key] = widths
    return widths


def _signature(table: Table) -> tuple:
    """What decides a table's column widths, besides its cells."""
    columns = tuple(
        (str(c.header), str(c.footer), c.width, c.min_width, c.max_width, c.ratio, c.no_wrap, c.overflow)
        for c in table.columns
    )
    flags = (table.expand, table.padding, table.collapse_padding, table.pad_edge, table.show_header)
    return (columns, flags, table.show_footer, table.box, table.show_edge, table.width, table.min_width)


def _copy_columns(table: Table) -> Table:
    """A table with `table`'s look and columns and no rows."""
    copy = Table(
        box=table.box,
        padding=table.padding,
        collapse_padding=table.collapse_padding,
        pad_edge=table.pad_edge,
        expand=table.expand,
        show_header=table.show_header,
        show_footer=table.show_footer,
        show_edge=table.show_edge,
        width=table.width,
        min_width=table.min_width,
    )
    for column in table.columns:
        copy.add_column(
            column.header,
            column.footer,
            width=column.width,
            min_width=column.min_width,
            max_width=column.max_width,
            ratio=column.ratio,
            no_wrap=column.no_wrap,
            overflow=column.overflow,
        )
    return copy


def _extra(table: Table) -> int:
    """The width of a table's borders: the edges and a divider between columns."""
    if not table.box:
        return 0
    return (2 if table.show_edge else 0) + len(table.columns) - 1


class TableLines:
    """`table` (its columns, title, header and footer; no rows) with `rows`, printed line by line
    exactly as Rich would print the table holding them."""

    def __init__(self, table: Table, rows: Sequence[Sequence[Cell]]) -> None:
        self.table = table
        self.rows = rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = self.table
        max_width = options.max_width if table.width is None else table.width
        widths = column_widths_of(table, self.rows, console, options.update_width(max_width))
        render_options = options.update(width=sum(widths) + _extra(table), highlight=table.highlight, height=None)
        if table.title:
            title = table.title
            if isinstance(title, str):
                title_style = Style.pick_first(table.title_style, "table.title")
                title = console.render_str(title, style=title_style, highlight=False)
            yield from console.render(title, render_options.update(justify=table.title_justify))
        yield from _RowPrinter(table, widths, console, render_options).lines(self.rows)


class _RowPrinter:
    """Renders a table's rows as Rich's `Table._render` does, with widths already known."""

    def __init__(self, table: Table, widths: list[int], console: Console, options: ConsoleOptions) -> None:
        self.table, self.widths, self.console, self.options = table, widths, console, options
        self.pads = [_padding(table, at) for at in range(len(widths))]
        self.styles = [console.get_style(c.style or "") for c in table.columns]
        self.border = console.get_style(table.style or "") + console.get_style(table.border_style or "")
        box = (
            table.box.substitute(options, safe=table.safe_box if table.safe_box is not None else console.safe_box)
            if table.box
            else None
        )
        self.box = box.get_plain_headed_box() if box and not table.show_header else box

    def lines(self, rows: Sequence[Sequence[Cell]]) -> Iterator[Segment]:
        """The header, its rule, every row and the footer, as segments and line ends."""
        table, get_style = self.table, self.console.get_style
        if self.box and table.show_edge:
            yield Segment(self.box.get_top(self.widths), self.border)
            yield Segment.line()
        if table.show_header:
            header = get_style(table.header_style or "")
            styles = [header + get_style(c.header_style) for c in table.columns]
            yield from self._row([c.header for c in table.columns], styles, "head", vertical="bottom")  # type: ignore[misc]
            if self.box:
                yield Segment(self.box.get_row(self.widths, "head", edge=table.show_edge), self.border)
                yield Segment.line()
        for row in rows:
            yield from self._row(row, self.styles, "mid")
        if table.show_footer:
            if self.box:
                yield Segment(self.box.get_row(self.widths, "foot", edge=table.show_edge), self.border)
                yield Segment.line()
            footer = get_style(table.footer_style or "")
            styles = [footer + get_style(c.footer_style) for c in table.columns]
            yield from self._row([c.footer for c in table.columns], styles, "foot")  # type: ignore[misc]
        if self.box and table.show_edge:
            yield Segment(self.box.get_bottom(self.widths), self.border)
            yield Segment.line()

    def _row(self, row: Sequence[Cell], styles: Sequence[Style], part: str, vertical: str = "top") -> Iterator[Segment]:
        cells = [self._cell(cell, at, styles[at]) for at, cell in enumerate(row)]
        height = max(len(cell) for cell in cells)
        for at, cell in enumerate(cells):
            if len(cell) < height:
                blank = [Segment(" " * self.widths[at], styles[at])]
                cell[len(cell) if vertical == "top" else 0 : len(cell) if vertical == "top" else 0] = [blank] * (
                    height - len(cell)
                )
        left = right = divider = None
        if self.box:
            box = self.box
            edges = {
                "head": (box.head_left, box.head_vertical, box.head_right),
                "mid": (box.mid_left, box.mid_vertical, box.mid_right),
                "foot": (box.foot_left, box.foot_vertical, box.foot_right),
            }[part]
            left, divider, right = (Segment(edge, self.border) for edge in edges)
            if not self.table.show_edge:
                left = right = None
        for line in range(height):
            if left is not None:
                yield left
            for at, cell in enumerate(cells):
                if at and divider is not None:
                    yield divider
                yield from cell[line]
            if right is not None:
                yield right
            yield Segment.line()

    def _cell(self, cell: Cell | None, at: int, style: Style) -> list[list[Segment]]:
        """One cell's lines, each padded to its column's width."""
        column = self.table.columns[at]
        left, right = self.pads[at]
        width = self.widths[at] - left - right
        if width < 1:
            return [[Segment(" " * self.widths[at], style)]]
        if cell is None:
            cell = ""
        if isinstance(cell, str):
            value = self.console.render_str(cell, highlight=column.highlight, markup=self.options.markup)
        else:
            value = cell
        justify = value.justify or column.justify
        overflow = value.overflow or column.overflow
        plain = value.plain
        if "\n" not in plain and "\t" not in plain and cell_len(plain) <= width:
            wrapped = Lines([value.copy()])
            wrapped.justify(self.console, width, justify=justify, overflow=overflow)
        else:
            no_wrap = value.no_wrap if value.no_wrap is not None else column.no_wrap
            wrapped = value.wrap(self.console, width, justify=justify, overflow=overflow, no_wrap=no_wrap)
        pad = Style.null()
        out = []
        for line in wrapped:
            segments = list(_JOIN.join([line]).render(self.console))
            if cell_len(line.plain) < width:
                segments.append(Segment(" " * (width - cell_len(line.plain)), pad))
            if left:
                segments.insert(0, Segment(" " * left, pad))
            if right:
                segments.append(Segment(" " * right, pad))
            if style:
                segments = [Segment(t, style + s if s else style) for t, s, _ in segments]
            out.append(segments)
        return out or [[Segment(" " * self.widths[at], style)]]
