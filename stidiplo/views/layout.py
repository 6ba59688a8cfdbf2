"""Column widths of a Rich `Table` worked out from its cells' widest lines, without measuring each cell.

Rich's `Table` measures every cell (a `Padding` around it, the text split into lines and words)
before it lays the columns out. Only the widest line of each column decides the widths Rich
gives the columns (a column's narrowest measure, its longest word, matters only to a table
nested in another's cell), so the columns are measured here once over all their cells, and
Rich's own layout (`Table._calculate_column_widths`: ratios, collapsing, expanding) runs on a
table that knows only those widths.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Column, Table
from rich.text import Text

from stidiplo.views.cells import Styled, cell_width

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, ConsoleRenderable

    from stidiplo.views.lines import Cell

_LAYOUTS: dict[tuple, _Layout] = {}
_WIDTHS: dict[tuple, list[int]] = {}
"""Column widths already worked out, by the table's columns, the columns' widest lines and the width."""
_STEADY: dict[tuple, list[int]] = {}
"""The same for expanding tables that need not shrink, by the widest lines of their columns without a ratio."""


def widest_line(cell: Cell | None, console: Console, options: ConsoleOptions) -> int:
    """The widest line of a cell in terminal cells, as Rich measures it; for a cell that is not text,
    the widest Rich measures it at `options`' width."""
    if isinstance(cell, str):
        plain = cell
    elif cell is None:
        return 0
    elif isinstance(cell, Text | Styled):
        plain = cell.plain
    elif isinstance(cell, Group):
        limit = max(options.max_width, 0)
        return max((min(widest_line(part, console, options), limit) for part in cell.renderables), default=0)  # type: ignore[arg-type]
    else:
        return _widest_renderable(cell, console, options)
    return _widest(plain) if "\n" in plain else cell_width(plain)


def _widest_renderable(cell: object, console: Console, options: ConsoleOptions) -> int:
    widest = getattr(cell, "widest", None)
    if widest is not None:  # table lines
        return int(widest(console, options))
    return Measurement.get(console, options, cell).maximum  # type: ignore[arg-type]


def column_maxima(
    rows: Sequence[Sequence[Cell]],
    count: int,
    console: Console,
    options: ConsoleOptions,
    skip: Sequence[bool] | None = None,
) -> list[int]:
    """The widest line of each of `count` columns over `rows` (a value repeated down a column measured
    once); 0 for the columns `skip` marks."""
    maxima = []
    for at in range(count):
        if skip and skip[at]:
            maxima.append(0)
            continue
        column = [row[at] for row in rows]
        try:
            values = list(set(column))
        except TypeError:  # a column of `Text`
            values = column
        plain = [cell for cell in values if type(cell) is str]
        widest = 0
        if plain:
            joined = "".join(plain)
            if joined.isascii() and joined.isprintable():
                widest = max(map(len, plain))
            else:
                widest = max(map(cell_width, plain)) if "\n" not in joined else max(map(_widest, plain))
        others = [cell for cell in values if type(cell) is not str]
        if others:
            widest = max(widest, max(widest_line(cell, console, options) for cell in others))
        maxima.append(widest)
    return maxima


def _widest(plain: str) -> int:
    return max((cell_width(line) for line in plain.splitlines()), default=0)


def cell_padding(table: Table, index: int) -> tuple[int, int]:
    """The left and right padding Rich gives the cells of column `index` (its `_get_cells`)."""
    _, right, _, left = Padding.unpack(table.padding)
    if table.collapse_padding and index:
        left = max(0, left - right)
    if not table.pad_edge:
        left = 0 if index == 0 else left
        right = 0 if index == len(table.columns) - 1 else right
    return left, right


def border_width(table: Table) -> int:
    """The width of a table's borders: the edges and a divider between columns."""
    if not table.box:
        return 0
    return (2 if table.show_edge else 0) + len(table.columns) - 1


def column_widths_of(
    table: Table, rows: Sequence[Sequence[Cell]], console: Console, options: ConsoleOptions
) -> list[int]:
    """The width Rich gives each column of `table` (padding included) were `rows` its rows."""
    inner = options.update_width(options.max_width - border_width(table))
    signature = _signature(table)
    # in a table that expands, columns with a ratio share the width its other columns leave, whatever
    # their cells, unless the columns must shrink to fit: their cells need not be measured then
    flexible = [c.flexible for c in table.columns]
    steady = bool(rows) and table.expand and any(c.ratio for c in table.columns if c.flexible)
    maxima = column_maxima(rows, len(table.columns), console, inner, skip=flexible if steady else None)
    steady_key = (signature, tuple(maxima), options.max_width, options.ascii_only)
    if steady and steady_key in _STEADY:
        return _STEADY[steady_key]
    if steady:
        rest = column_maxima(rows, len(table.columns), console, inner, skip=[not f for f in flexible])
        maxima = [r if f else m for m, r, f in zip(maxima, rest, flexible, strict=True)]
    key = (signature, tuple(maxima), bool(rows), options.max_width, options.ascii_only)
    widths = _WIDTHS.get(key)
    if widths is None:
        layout = _layout(table, signature, console)
        widths = _WIDTHS[key] = layout.widths(maxima if rows else None, console, inner)
        if steady and not layout.collapsed:
            _STEADY[steady_key] = widths
    return widths


def _layout(table: Table, signature: tuple, console: Console) -> _Layout:
    layout = _LAYOUTS.get(signature)
    if layout is None:
        layout = _LAYOUTS[signature] = _Layout(table, console)
    return layout


def widest_table(table: Table, rows: Sequence[Sequence[Cell]], console: Console, options: ConsoleOptions) -> int:
    """The widest Rich measures `table` holding `rows` (its measure's maximum, which a table
    nesting it in a cell lays its columns out by), from the columns' widest lines."""
    limit = options.max_width if table.width is None else table.width
    if limit < 1 or options.max_width < 1:
        return 0
    extra = border_width(table)
    inner = options.update_width(limit - extra)
    widths = column_widths_of(table, rows, console, options.update_width(limit))
    layout = _layout(table, _signature(table), console)
    layout.maxima = column_maxima(rows, len(table.columns), console, inner) if rows else None
    total = options.update_width(sum(widths))
    most = sum(layout._measure_column(console, total, column).maximum for column in layout.columns) + extra
    if table.width is not None:
        most = table.width
    if table.min_width is not None:
        most = max(most, table.min_width)
    return max(0, min(most, limit, options.max_width))


def _signature(table: Table) -> tuple:
    """What decides a table's column widths, besides its cells."""
    columns = tuple(
        (str(c.header), str(c.footer), c.width, c.min_width, c.max_width, c.ratio, c.no_wrap, c.overflow)
        for c in table.columns
    )
    flags = (table.expand, table.padding, table.collapse_padding, table.pad_edge, table.show_header)
    return (columns, flags, table.show_footer, table.box, table.show_edge, table.width, table.min_width)


def copy_columns(table: Table) -> Table:
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


class _Layout(Table):
    """A table's columns without rows, laid out by Rich as though its columns' widest lines were
    those given: Rich's `_measure_column` worked out from a width instead of from every cell."""

    def __init__(self, table: Table, console: Console) -> None:
        copy = copy_columns(table)
        self.__dict__.update(copy.__dict__)
        self.headers = [self._annotation(c.header, console) for c in self.columns] if self.show_header else []
        self.footers = [self._annotation(c.footer, console) for c in self.columns] if self.show_footer else []
        self.maxima: Sequence[int] | None = None
        self.collapsed = False

    @staticmethod
    def _annotation(value: object, console: Console) -> int:
        """The widest line of a header or footer (a string is rendered as Rich renders it: markup)."""
        if isinstance(value, str):
            value = console.render_str(value, highlight=False)
        assert isinstance(value, Text), "headers and footers are text"
        return max((cell_width(line) for line in value.plain.splitlines()), default=0)

    def widths(self, maxima: Sequence[int] | None, console: Console, options: ConsoleOptions) -> list[int]:
        """Rich's widths of the columns (padding included) for rows whose columns' widest lines are
        `maxima` (None: no rows)."""
        self.maxima, self.collapsed = maxima, False
        return self._calculate_column_widths(console, options)

    def _collapse_widths(self, widths: list[int], wrapable: list[bool], max_width: int) -> list[int]:  # type: ignore[override]
        """Rich's shrinking of the columns to fit, noted: the widths then depend on every column's cells."""
        self.collapsed = True
        return Table._collapse_widths(widths, wrapable, max_width)

    def _measure_column(self, console: Console, options: ConsoleOptions, column: Column) -> Measurement:
        """Rich's measure of a column of text cells: the widest cell, padded, within the width and the
        column's bounds (only the maximum counts in the layout, so it is both)."""
        limit = options.max_width
        if limit < 1:
            return Measurement(0, 0)
        index = column._index
        if column.width is not None:
            fixed = min(column.width + self._get_padding_width(index), limit)
            return Measurement(fixed, fixed)
        left, right = cell_padding(self, index)
        cells = [self.headers[index]] if self.headers else []
        if self.maxima is not None:
            cells.append(self.maxima[index])
        if self.footers:
            cells.append(self.footers[index])
        widest = max((_padded_measure(width, left + right, limit) for width in cells), default=limit)
        widest = min(widest, limit)
        padding = self._get_padding_width(index)
        if column.min_width is not None:
            widest = max(widest, column.min_width + padding)
        if column.max_width is not None:
            widest = min(widest, column.max_width + padding)
        return Measurement(widest, widest)


def _padded_measure(width: int, extra: int, limit: int) -> int:
    """The widest Rich measures a cell whose widest line is `width`, in a `Padding` of `extra`."""
    if limit - extra < 1:
        return limit
    return min(min(width, limit) + extra, limit)


def measure_cell(cell: Cell | ConsoleRenderable, console: Console, options: ConsoleOptions) -> tuple[int, int]:
    """What Rich measures for a cell: for text its longest word and its longest line, in cells."""
    if isinstance(cell, Styled):
        cell = cell.as_text()
    if not isinstance(cell, Text | str):
        least, most = Measurement.get(console, options, cell)
        return least, most
    plain = cell.plain if isinstance(cell, Text) else str(cell)
    widest = max((cell_width(line) for line in plain.splitlines()), default=0) if "\n" in plain else cell_width(plain)
    if plain.isascii() and plain.isprintable():
        return max(map(len, plain.split()), default=widest), widest
    return max(map(cell_width, plain.split()), default=widest), widest


def measure_table(
    table: Table, rows: Sequence[Sequence[Cell]], console: Console, options: ConsoleOptions
) -> Measurement:
    """How wide `table` holding `rows` would be, as Rich measures it (for a table nested in another's
    cell): a copy of its columns with two rows of stand-ins measured as the rows would be."""
    inner = options.update_width(options.max_width - border_width(table))
    measures = [measure_cell(cell, console, inner) for row in rows for cell in row] if rows else []
    count = len(table.columns)
    proxy = copy_columns(table)
    stand_ins = []
    for at in range(count):
        column = measures[at::count]
        word, line = max((m[0] for m in column), default=0), max((m[1] for m in column), default=0)
        stand_ins.append((Text("x" * word), Text("y".ljust(line))) if line else (Text(""), Text("")))
    for row in zip(*stand_ins, strict=True):
        proxy.add_row(*row)
    return Measurement.get(console, options, proxy)
