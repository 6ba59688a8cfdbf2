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

import queue
import threading
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, TypeAlias

from rich.console import ConsoleRenderable, Group
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
    if console.record or console.quiet or console.legacy_windows or console.is_jupyter:
        for piece, crop in printed_pieces(console, renderable):
            console.print(piece, crop=crop)
        return
    with _WriteBehind(console) as out:
        for piece, crop in printed_pieces(console, renderable):
            with console.capture() as captured:
                console.print(piece, crop=crop)
            out.write(captured.get())


class _WriteBehind:
    """Writes texts to a stream from a thread of its own, in order, while the next piece of a view is
    rendered: a terminal or a pipe takes its time to accept a long view, which the rendering need not
    wait for. What the console writes for a piece it prints is the text it captures for it; an error
    writing is raised where the view is printed (the reader gone, a broken pipe, handled as the
    console handles it)."""

    def __init__(self, console: Console) -> None:
        self.console, self.stream = console, console.file
        self.texts: queue.Queue[str | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="stidiplo-output", daemon=True)

    def __enter__(self) -> _WriteBehind:
        self.thread.start()
        return self

    def write(self, text: str) -> None:
        if self.error is None:
            self.texts.put(text)
        self._raise()

    def __exit__(self, *exc: object) -> None:
        self.texts.put(None)
        self.thread.join()
        if exc[0] is None:
            self._raise()

    def _raise(self) -> None:
        if isinstance(self.error, BrokenPipeError):
            self.console.on_broken_pipe()  # as the console does when it writes: quiet exit 1
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        while (text := self.texts.get()) is not None:
            if self.error is not None:
                continue
            try:
                self.stream.write(text)
                self.stream.flush()
            except BaseException as error:  # raised again in the printing thread
                self.error = error


def printed_pieces(console: Console, renderable: RenderableType) -> Iterator[tuple[RenderableType, bool]]:
    """`renderable` in pieces of about `PIECE_LINES` lines (small pieces together), each with whether
    `console.print` must crop it: printed one after another they print `renderable`."""
    batch: list[RenderableType] = []
    lines, crop = 0, False
    for piece in _pieces(renderable, console):
        crop = crop or _needs_crop(piece, console)
        batch.append(piece)
        lines += len(piece.rows) if isinstance(piece, _Rows) else 1
        if lines >= PIECE_LINES:
            yield _batch(batch, crop), crop
            batch, lines, crop = [], 0, False
    if batch:
        yield _batch(batch, crop), crop


def _needs_crop(piece: RenderableType, console: Console) -> bool:
    """Whether `console.print` must crop `piece` to print it as it prints a whole view: not for rows
    laid out no wider than the console (cropping would measure every line again), nor for text that
    Rich's wrap keeps within the width (any overflow but `ignore`)."""
    if isinstance(piece, _Rows):
        return piece.width > console.width
    return not (isinstance(piece, _Line) or (isinstance(piece, Text) and piece.overflow != "ignore"))


def _batch(pieces: list[RenderableType], crop: bool) -> RenderableType:
    """Pieces printed at once; rows printed uncropped write their styles out themselves."""
    for piece in pieces:
        if isinstance(piece, _Rows):
            piece.uncropped = not crop
    return pieces[0] if len(pieces) == 1 else Group(*pieces)


def _pieces(renderable: RenderableType, console: Console) -> Iterator[RenderableType]:
    if isinstance(renderable, Group):
        for part in renderable.renderables:
            yield from _pieces(part, console)
    elif hasattr(renderable, "pieces"):
        for part in renderable.pieces(console, console.options):
            yield from _pieces(part, console)
    elif isinstance(renderable, Text) and _one_line(renderable, console.width):
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
