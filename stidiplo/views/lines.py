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
from typing import TYPE_CHECKING, TypeAlias

from rich.console import ConsoleRenderable, Group
from rich.measure import Measurement
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from stidiplo.views.cells import cell_width, fold

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

Cell: TypeAlias = "Text | str | ConsoleRenderable"
"""A table cell: user text as `Text`, a plain string, or another renderable (a group of texts)."""

_JOIN = Text("\n")
"""What Rich joins a cell's lines with before rendering them (its base style becomes a span)."""

_PAD = Style.null()
_NONE = Segment("")

_WIDTHS: dict[tuple, list[int]] = {}
"""Column widths already worked out, by the table's columns, the cells' measure and the width."""


def _measure(cell: Cell, console: Console, options: ConsoleOptions) -> tuple[int, int]:
    """What Rich measures for a cell: for text its longest word and its longest line, in cells."""
    if not isinstance(cell, Text | str):
        least, most = Measurement.get(console, options, cell)
        return least, most
    plain = cell.plain if isinstance(cell, Text) else str(cell)
    widest = max((cell_width(line) for line in plain.splitlines()), default=0) if "\n" in plain else cell_width(plain)
    if plain.isascii() and plain.isprintable():
        return max(map(len, plain.split()), default=widest), widest
    return max(map(cell_width, plain.split()), default=widest), widest


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


def _span(table: Table, rows: Sequence[Sequence[Cell]], console: Console, options: ConsoleOptions) -> tuple:
    """Each column's longest word and longest line over `rows`, measured as Rich measures them."""
    inner = options.update_width(options.max_width - _extra(table))
    measures = [_measure(cell, console, inner) for row in rows for cell in row] if rows else []
    count = len(table.columns)
    columns = [measures[at::count] for at in range(count)]
    return tuple((max((m[0] for m in c), default=0), max((m[1] for m in c), default=0)) for c in columns)


def _proxy(table: Table, span: tuple) -> Table:
    """`table`'s columns with two rows of stand-ins that Rich measures as it would measure the rows."""
    proxy = _copy_columns(table)
    for row in zip(*(_stand_ins(*s) for s in span), strict=True):
        proxy.add_row(*row)
    return proxy


def column_widths_of(
    table: Table, rows: Sequence[Sequence[Cell]], console: Console, options: ConsoleOptions
) -> list[int]:
    """The width Rich gives each column of `table` (padding included) were `rows` its rows."""
    span = _span(table, rows, console, options)
    key = (_signature(table), span, options.max_width, options.ascii_only)
    widths = _WIDTHS.get(key)
    if widths is None:
        # Rich's own layout, so that the widths are the table's to the cell.
        inner = options.update_width(options.max_width - _extra(table))
        widths = _proxy(table, span)._calculate_column_widths(console, inner)
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
        yield from self.pieces(console, options, len(self.rows) or 1)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        """How wide the table would be, as Rich measures it (for a table nested in another's cell)."""
        max_width = options.max_width if self.table.width is None else self.table.width
        span = _span(self.table, self.rows, console, options.update_width(max_width))
        return Measurement.get(console, options, _proxy(self.table, span))

    def pieces(self, console: Console, options: ConsoleOptions, size: int = 1000) -> Iterator[RenderableType]:
        """The table in pieces of `size` rows, laid out once: printed one after another they print the
        table, and the console holds one piece at a time."""
        table = self.table
        max_width = options.max_width if table.width is None else table.width
        widths = column_widths_of(table, self.rows, console, options.update_width(max_width))
        render_options = options.update(width=sum(widths) + _extra(table), highlight=table.highlight, height=None)
        if table.title:
            title = table.title
            if isinstance(title, str):
                title_style = Style.pick_first(table.title_style, "table.title")
                title = console.render_str(title, style=title_style, highlight=False)
            yield _Rendered(list(console.render(title, render_options.update(justify=table.title_justify))))
        printer = _RowPrinter(table, widths, console, render_options)
        starts = range(0, max(len(self.rows), 1), size)
        for start in starts:
            yield _Rows(printer, self.rows[start : start + size], head=start == 0, foot=start == starts[-1])


class _Rendered:
    """Segments already rendered."""

    def __init__(self, segments: list[Segment]) -> None:
        self.segments = segments

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.segments


class _Rows:
    """Some rows of a table laid out already, with its header first or its footer last."""

    def __init__(self, printer: _RowPrinter, rows: Sequence[Sequence[Cell]], *, head: bool, foot: bool) -> None:
        self.printer, self.rows, self.head, self.foot = printer, rows, head, foot
        self.width = sum(printer.widths) + _extra(printer.table)
        """The width of every line, which Rich's layout lets exceed the console's where columns cannot shrink."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.printer.lines(self.rows, head=self.head, foot=self.foot)


def print_in_pieces(console: Console, renderable: RenderableType) -> None:
    """Print `renderable` as `console.print` would, a piece at a time where it is made of pieces
    (a `Group`, or an object with a `pieces` method such as `TableLines`), so that the console
    holds one piece of a long view at a time rather than all of it."""
    for piece in _pieces(renderable, console):
        # rows laid out no wider than the console need no crop, which would measure every line again
        console.print(piece, crop=not (isinstance(piece, _Rows) and piece.width <= console.width))


def _pieces(renderable: RenderableType, console: Console) -> Iterator[RenderableType]:
    if isinstance(renderable, Group):
        for part in renderable.renderables:
            yield from _pieces(part, console)
    elif hasattr(renderable, "pieces"):
        for part in renderable.pieces(console, console.options):
            yield from _pieces(part, console)
    else:
        yield renderable


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
        self.plain = console.color_system is None

    def lines(self, rows: Sequence[Sequence[Cell]], *, head: bool = True, foot: bool = True) -> Iterator[Segment]:
        """The header and its rule (with `head`), the rows, the footer (with `foot`), as segments and line ends."""
        table, get_style = self.table, self.console.get_style
        if head and self.box and table.show_edge:
            yield Segment(self.box.get_top(self.widths), self.border)
            yield Segment.line()
        if head and table.show_header:
            header = get_style(table.header_style or "")
            styles = [header + get_style(c.header_style) for c in table.columns]
            yield from self._row([c.header for c in table.columns], styles, "head", vertical="bottom")  # type: ignore[misc]
            if self.box:
                yield Segment(self.box.get_row(self.widths, "head", edge=table.show_edge), self.border)
                yield Segment.line()
        for row in rows:
            yield from self._row(row, self.styles, "mid")
        if not foot:
            return
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
                blank = " " * self.widths[at] if self.plain else [Segment(" " * self.widths[at], styles[at])]
                where = len(cell) if vertical == "top" else 0
                cell[where:where] = [blank] * (height - len(cell))
        left, divider, right = self._edges(part)
        if self.plain:
            for line in range(height):
                yield Segment(left.text + divider.text.join(cell[line] for cell in cells) + right.text)
                yield Segment.line()
            return
        for line in range(height):
            if left.text:
                yield left
            for at, cell in enumerate(cells):
                if at and divider.text:
                    yield divider
                yield from cell[line]
            if right.text:
                yield right
            yield Segment.line()

    def _edges(self, part: str) -> tuple[Segment, Segment, Segment]:
        """The left edge, the divider between cells and the right edge of a row of `part`."""
        box = self.box
        if not box:
            return _NONE, _NONE, _NONE
        left, divider, right = {
            "head": (box.head_left, box.head_vertical, box.head_right),
            "mid": (box.mid_left, box.mid_vertical, box.mid_right),
            "foot": (box.foot_left, box.foot_vertical, box.foot_right),
        }[part]
        if not self.table.show_edge:
            left = right = ""
        return Segment(left, self.border), Segment(divider, self.border), Segment(right, self.border)

    def _cell(self, cell: Cell | None, at: int, style: Style) -> list:
        """One cell's lines, each padded to its column's width: strings when the console prints no
        styles, else lists of segments."""
        column = self.table.columns[at]
        left, right = self.pads[at]
        width = self.widths[at] - left - right
        if width < 1:
            return [" " * self.widths[at] if self.plain else [Segment(" " * self.widths[at], style)]]
        if cell is None:
            cell = ""
        if isinstance(cell, str) and "[" not in cell and ":" not in cell:
            value = Text(cell)
        elif isinstance(cell, str):
            value = self.console.render_str(cell, highlight=column.highlight, markup=self.options.markup)
        elif isinstance(cell, Text):
            value = cell
        else:
            return self._nested(cell, at, width, style)
        justify = value.justify or column.justify
        plain = value.plain
        if justify in ("left", "right") and "\n" not in plain and "\t" not in plain and (self.plain or not value.spans):
            used = cell_width(plain)
            if used <= width:
                if justify == "right":
                    plain = plain.rstrip()
                    plain = " " * (width - cell_width(plain)) + plain
                else:
                    plain += " " * (width - used)
                if self.plain:
                    return [" " * left + plain + " " * right]
                segments = [Segment(plain, self.console.get_style(value.style) if value.style else None)]
                return [self._styled(self._padded(segments, left, right), style)]
        overflow = value.overflow or column.overflow
        no_wrap = value.no_wrap if value.no_wrap is not None else column.no_wrap
        if justify == "left" and overflow == "fold" and not no_wrap and "\n" not in plain and "\t" not in plain:
            if self.plain:
                return [" " * left + line + " " * right for line in fold(plain, width)]
            if not value.spans:
                base = self.console.get_style(value.style) if value.style else None
                return [
                    self._styled(self._padded([Segment(line, base)], left, right), style) for line in fold(plain, width)
                ]
        wrapped = value.wrap(self.console, width, justify=justify, overflow=overflow, no_wrap=no_wrap)
        out: list = []
        for line in wrapped:
            short = " " * (width - cell_width(line.plain))
            if self.plain:
                out.append(" " * left + line.plain + short + " " * right)
                continue
            segments = list(_JOIN.join([line]).render(self.console))
            if short:
                segments.append(Segment(short, _PAD))
            out.append(self._styled(self._padded(segments, left, right), style))
        return out or [" " * self.widths[at] if self.plain else [Segment(" " * self.widths[at], style)]]

    def _nested(self, cell: ConsoleRenderable, at: int, width: int, style: Style) -> list:
        """The lines of a cell that is not text (a group, a table), rendered by Rich."""
        column = self.table.columns[at]
        left, right = self.pads[at]
        options = self.options.update(
            width=width, justify=column.justify, no_wrap=column.no_wrap, overflow=column.overflow, height=None
        )
        options = options.update(highlight=column.highlight)
        lines = self.console.render_lines(cell, options, style=_PAD, pad=True)
        padded = [self._styled(self._padded(list(line), left, right), style) for line in lines]
        if self.plain:
            return ["".join(segment.text for segment in line) for line in padded]
        return padded

    @staticmethod
    def _padded(segments: list[Segment], left: int, right: int) -> list[Segment]:
        """A cell's line between its padding, as Rich's `Padding` yields it."""
        if left:
            segments.insert(0, Segment(" " * left, _PAD))
        if right:
            segments.append(Segment(" " * right, _PAD))
        return segments

    @staticmethod
    def _styled(segments: list[Segment], style: Style) -> list[Segment]:
        """Segments under a cell's style, as Rich's `render_lines` applies it."""
        if not style:
            return segments
        return [Segment(t, style + s if s else style) for t, s, _ in segments]
