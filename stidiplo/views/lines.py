"""Tables printed as lines: a Rich `Table`'s columns, header and look, with its rows rendered here.

A Rich `Table` measures and renders every cell on its own (a `Padding`, `render_lines`, a crop and
a reshape per cell), which at thousands of rows costs far more than the data behind the view.
`TableLines` keeps the table for what it decides well (the columns' widths, the title, the header
and its rule) and renders the rows itself: each column measured once over all its cells (see
`layout`), each cell that fits on one line padded to its column, only the cells wider than their
column wrapped or folded by Rich's `Text.wrap`. The lines are the table's own, cell for cell:
`cell_len` and Rich's fold keep Japanese text at its width.

A cell is best a plain string, or a `Styled` string where it has a style of its own: neither costs
a `Text`, and a value repeated down a column (a kind, a status, a date) is laid out once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, TypeAlias

from rich.console import ConsoleRenderable, Group
from rich.rule import Rule
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from stidiplo.views.cells import Styled, cell_width
from stidiplo.views.layout import border_width, column_widths_of, measure_table, widest_table
from stidiplo.views.rows import RowPrinter

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
    from rich.measure import Measurement
    from rich.table import Table

Cell: TypeAlias = "Text | str | Styled | ConsoleRenderable"
"""A table cell: user text as a plain string or `Text`, a string with a style (`Styled`), or another
renderable (a group of texts)."""

_JOIN = Text("\n")
"""What Rich joins a text's lines with before rendering them (its base style becomes a span)."""
_PAD = Style.null()
PIECE_LINES = 2000
"""About how many lines of a view are printed at once: the console holds one such piece at a time."""


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
        return measure_table(self.table, self.rows, console, options.update_width(max_width))

    def inner_lines(self, console: Console, options: ConsoleOptions) -> list[list[Segment]] | None:
        """The table's lines as a cell of another shows them (each padded to the cell's width), or
        None where a line would be wider than the cell (Rich crops it)."""
        table, width = self.table, options.max_width
        if table.title:
            return None
        widths = column_widths_of(
            table, self.rows, console, options if table.width is None else options.update_width(table.width)
        )
        used = sum(widths) + border_width(table)
        if used > width:
            return None
        printer = RowPrinter(table, widths, console, options.update(width=used, highlight=table.highlight))
        pad = Segment(" " * (width - used), _PAD)
        lines = []
        for line in printer.laid_out_lines(self.rows):
            segments = [Segment(line)] if type(line) is str else list(line)
            if pad.text:
                segments.append(pad)
            lines.append(segments)
        return lines

    def widest(self, console: Console, options: ConsoleOptions) -> int:
        """The widest Rich measures the table (the maximum of `__rich_measure__`), worked out quicker."""
        return widest_table(self.table, self.rows, console, options)

    def pieces(self, console: Console, options: ConsoleOptions, size: int = 1000) -> Iterator[RenderableType]:
        """The table in pieces of `size` rows, laid out once: printed one after another they print the
        table, and the console holds one piece at a time."""
        table = self.table
        max_width = options.max_width if table.width is None else table.width
        widths = column_widths_of(table, self.rows, console, options.update_width(max_width))
        render_options = options.update(width=sum(widths) + border_width(table), highlight=table.highlight, height=None)
        if table.title:
            title = table.title
            if isinstance(title, str):
                title_style = Style.pick_first(table.title_style, "table.title")
                title = console.render_str(title, style=title_style, highlight=False)
            yield _Rendered(list(console.render(title, render_options.update(justify=table.title_justify))))
        printer = RowPrinter(table, widths, console, render_options)
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

    def __init__(self, printer: RowPrinter, rows: Sequence[Sequence[Cell]], *, head: bool, foot: bool) -> None:
        self.printer, self.rows, self.head, self.foot = printer, rows, head, foot
        self.width = sum(printer.widths) + border_width(printer.table)
        """The width of every line, which Rich's layout lets exceed the console's where columns cannot shrink."""
        self.uncropped = False
        """Set where the console prints the rows without cropping them: their styles can then be
        written out here, as the console would write them."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        printer = self.printer
        if printer.plain or self.uncropped:
            lines = printer.laid_out_lines(self.rows, head=self.head, foot=self.foot, written=not printer.plain)
            yield Segment("\n".join(lines) + "\n")
            return
        yield from printer.lines(self.rows, head=self.head, foot=self.foot)


def print_in_pieces(console: Console, renderable: RenderableType) -> None:
    """Print `renderable` as `console.print` would, a piece at a time where it is made of pieces
    (a `Group`, or an object with a `pieces` method such as `TableLines`), so that the console
    holds one piece of a long view at a time rather than all of it."""
    for piece, crop in printed_pieces(console, renderable):
        console.print(piece, crop=crop)


def printed_pieces(console: Console, renderable: RenderableType) -> Iterator[tuple[RenderableType, bool]]:
    """`renderable` in pieces of about `PIECE_LINES` lines (small pieces together), each with whether
    `console.print` must crop it: printed one after another they print `renderable`."""
    batch: list[RenderableType] = []
    lines, crop = 0, False
    options = console.options  # a terminal's size is asked for once, not for every piece
    for piece in _pieces(renderable, console, options):
        crop = crop or _needs_crop(piece, options.max_width)
        batch.append(piece)
        lines += len(piece.rows) if isinstance(piece, _Rows) else 1
        if lines >= PIECE_LINES:
            yield _batch(batch, crop), crop
            batch, lines, crop = [], 0, False
    if batch:
        yield _batch(batch, crop), crop


def _needs_crop(piece: RenderableType, width: int) -> bool:
    """Whether `console.print` must crop `piece` to print it as it prints a whole view: not for rows
    laid out no wider than the console (cropping would measure every line again), nor for text that
    Rich's wrap keeps within the width (any overflow but `ignore`), nor for a rule across it."""
    if isinstance(piece, _Rows):
        return piece.width > width
    if isinstance(piece, Text):
        return piece.overflow == "ignore"
    return not isinstance(piece, _Line | Rule)


def _batch(pieces: list[RenderableType], crop: bool) -> RenderableType:
    """Pieces printed at once; rows printed uncropped write their styles out themselves."""
    for piece in pieces:
        if isinstance(piece, _Rows):
            piece.uncropped = not crop
    return pieces[0] if len(pieces) == 1 else Group(*pieces)


def _pieces(renderable: RenderableType, console: Console, options: ConsoleOptions) -> Iterator[RenderableType]:
    if isinstance(renderable, Group):
        for part in renderable.renderables:
            yield from _pieces(part, console, options)
    elif hasattr(renderable, "pieces"):
        for part in renderable.pieces(console, options):
            yield from _pieces(part, console, options)
    elif isinstance(renderable, Text) and _one_line(renderable, options.max_width):
        # what Rich's `Text.__rich_console__` yields for a line its wrap leaves whole
        yield _Line(list(_JOIN.join([renderable]).render(console, end=renderable.end)))
    else:
        yield renderable


def _one_line(text: Text, width: int) -> bool:
    """Whether Rich prints `text` as it is on one line of `width` (no wrap, padding or crop)."""
    plain = text.plain
    if text.justify not in (None, "default") or text.overflow == "ignore" or "\n" in plain or "\t" in plain:
        return False
    return len(plain) <= width and cell_width(plain) <= width


class _Line(_Rendered):
    """A line of text rendered already, which needs no crop."""
