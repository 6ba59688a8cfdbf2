"""The rows of a table printed as lines (see `lines`): the header, the body and the footer between
their rules, a value repeated down a column laid out once, a column of short values padded at
once, and the lines written out as the console writes them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from rich.segment import Segment

from stidiplo.views.celllines import CellPrinter
from stidiplo.views.cells import Styled

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions
    from rich.style import Style
    from rich.table import Table

    from stidiplo.views.lines import Cell

_NONE = Segment("")


class RowPrinter(CellPrinter):
    """Renders a table's rows as Rich's `Table._render` does, with widths already known."""

    def __init__(self, table: Table, widths: list[int], console: Console, options: ConsoleOptions) -> None:
        super().__init__(table, widths, console, options)
        self.border = console.get_style(table.style or "") + console.get_style(table.border_style or "")
        box = (
            table.box.substitute(options, safe=table.safe_box if table.safe_box is not None else console.safe_box)
            if table.box
            else None
        )
        self.box = box.get_plain_headed_box() if box and not table.show_header else box
        self.known: list[dict[str | Styled, list]] = [{} for _ in widths]
        """Each column's plain and styled cells laid out already, by value (a few pieces' worth at most)."""
        self.known_written: list[dict[str | Styled, list[str]]] = [{} for _ in widths]
        plain_columns = [
            literal and column.justify == "left" and width - sum(pads) >= 1
            for literal, column, width, pads in zip(self.literal, table.columns, widths, self.pads, strict=True)
        ]
        self.quick_written = [
            width - sum(pads) if plain and not style else 0
            for plain, width, pads, style in zip(plain_columns, widths, self.pads, self.styles, strict=True)
        ]
        """Each column's width for short values padded as they are (0: each laid out in full), in
        lines as the console writes them."""
        self.quick = self.quick_written if self.plain else [0] * len(widths)
        self.blank_lines: dict[bool, list] = {}
        self.written_edges: tuple[str, str, str] | None = None
        self.edges = {part: self._edges(part) for part in ("head", "mid", "foot")}

    def lines(self, rows: Sequence[Sequence[Cell]], *, head: bool = True, foot: bool = True) -> Iterator[Segment]:
        """The header and its rule (with `head`), the rows, the footer (with `foot`), as segments and line ends."""
        end = Segment.line()
        for line in self.laid_out_lines(rows, head=head, foot=foot):
            if type(line) is str:
                yield Segment(line)
            else:
                yield from line
            yield end

    def laid_out_lines(
        self, rows: Sequence[Sequence[Cell]], *, head: bool = True, foot: bool = True, written: bool = False
    ) -> Iterator:
        """The lines of `lines`, each a string where the console prints no styles, else a list of
        segments; with `written`, each the string the console writes for those segments."""
        if not written:
            yield from self._lines(rows, head, foot)
            return
        write = self.written
        for line in self._lines(rows, head, foot, written=True):
            yield line if type(line) is str else write(line)

    def _lines(self, rows: Sequence[Sequence[Cell]], head: bool, foot: bool, written: bool = False) -> Iterator:
        table, get_style = self.table, self.console.get_style
        if head and self.box and table.show_edge:
            yield self._rule(self.box.get_top(self.widths))
        if head and table.show_header:
            header = get_style(table.header_style or "")
            styles = [header + get_style(c.header_style) for c in table.columns]
            yield from self._row([c.header for c in table.columns], styles, "head", vertical="bottom")  # type: ignore[misc]
            if self.box:
                yield self._rule(self.box.get_row(self.widths, "head", edge=table.show_edge))
        for known in (*self.known, *self.known_written):
            if len(known) > _KEPT:  # a column of many values starts afresh; one of few keeps them all
                known.clear()
        if written or self.plain:
            yield from self._body(rows, written)
        else:
            for row in rows:
                yield from self._row(row, self.styles, "mid")
        if not foot:
            return
        if table.show_footer:
            if self.box:
                yield self._rule(self.box.get_row(self.widths, "foot", edge=table.show_edge))
            footer = get_style(table.footer_style or "")
            styles = [footer + get_style(c.footer_style) for c in table.columns]
            yield from self._row([c.footer for c in table.columns], styles, "foot")  # type: ignore[misc]
        if self.box and table.show_edge:
            yield self._rule(self.box.get_bottom(self.widths))

    def _rule(self, text: str) -> str | list[Segment]:
        return text if self.plain else [Segment(text, self.border)]

    def _row(self, row: Sequence[Cell], styles: Sequence[Style], part: str, vertical: str = "top") -> list:
        if part == "mid":
            cells = [self._column([cell], at, written=False)[0] for at, cell in enumerate(row)]
        else:
            cells = [self._cell(cell, at, styles[at]) for at, cell in enumerate(row)]
        height = max(map(len, cells))
        if height > 1:
            blanks = self._blanks(False) if part == "mid" else self._blanks(False, styles)
            cells = _tall(cells, blanks, height, vertical)
        left, divider, right = self.edges[part]
        if self.plain:
            sides, between = (left.text, right.text), divider.text
            if height == 1:
                return [sides[0] + between.join([cell[0] for cell in cells]) + sides[1]]
            return [sides[0] + between.join([cell[line] for cell in cells]) + sides[1] for line in range(height)]
        return [_merged(left, divider, right, [cell[line] for cell in cells]) for line in range(height)]

    def _body(self, rows: Sequence[Sequence[Cell]], written: bool) -> Iterator[str]:
        """The lines of the table's body, each a string (as the console writes it, with `written`):
        laid out column by column, then joined row by row."""
        if not rows:
            return
        columns = [self._column([row[at] for row in rows], at, written) for at in range(len(self.widths))]
        if written:
            if self.written_edges is None:
                self.written_edges = tuple(self.written([edge]) for edge in self.edges["mid"])  # type: ignore[assignment]
            left, divider, right = self.written_edges  # type: ignore[misc]
        else:
            left, divider, right = (edge.text for edge in self.edges["mid"])
        join, blanks = divider.join, self._blanks(written)
        heights = map(max, *[map(len, column) for column in columns]) if len(columns) > 1 else map(len, columns[0])
        for cells, height in zip(zip(*columns, strict=True), heights, strict=True):
            if height == 1:
                yield left + join([cell[0] for cell in cells]) + right
                continue
            tall = _tall(list(cells), blanks, height, "top")
            for line in range(height):
                yield left + join([cell[line] for cell in tall]) + right

    def _column(self, values: list[Cell], at: int, written: bool) -> list[list]:
        """Each cell's lines in one column of the table's body: short Latin values padded as they are
        all at once, any other plain or styled string laid out once per value."""
        width = (self.quick_written if written else self.quick)[at]
        if width and set(map(type, values)) == {str}:
            joined = "".join(values)  # type: ignore[arg-type]
            if joined.isascii() and joined.isprintable() and max(map(len, values)) <= width:  # type: ignore[arg-type]
                left, right = self.pads[at]
                before, after = " " * left, " " * right
                return [[before + value + " " * (width - len(value)) + after] for value in values]  # type: ignore[operator,arg-type]
        known = (self.known_written if written else self.known)[at]
        try:
            found = [known.get(value) for value in values]  # type: ignore[arg-type]
        except TypeError:  # a `Text` among the cells
            found = [None] * len(values)
        where = -1
        for _ in range(found.count(None)):
            where = found.index(None, where + 1)
            found[where] = self._body_cell(values[where], at, known, written)
        return found  # type: ignore[return-value]

    def _blanks(self, written: bool, styles: Sequence[Style] | None = None) -> list:
        """Each column's blank line (under `styles`, else the body's), as the console writes it with `written`."""
        known = self.blank_lines.get(written) if styles is None else None
        if known is None:
            spaces = [" " * width for width in self.widths]
            known = spaces
            if not self.plain:
                segments = [[Segment(blank, style)] for blank, style in zip(spaces, styles or self.styles, strict=True)]
                known = [self.written(line) for line in segments] if written else segments
            if styles is None:
                self.blank_lines[written] = known
        return known

    def _body_cell(self, cell: Cell, at: int, known: dict, written: bool) -> list:
        """One cell's lines in the table's body, laid out (and kept in `known` where it is a string)."""
        width = (self.quick_written if written else self.quick)[at]
        if width and type(cell) is str and len(cell) <= width and cell.isascii() and cell.isprintable():
            # a short Latin value (a stamp, a title) in a plain left-justified column: padded as it is
            left, right = self.pads[at]
            return [" " * left + cell + " " * (width - len(cell) + right)]
        text = cell[0] if type(cell) is Styled else ""
        if width and text and len(text) <= width and text.isascii() and text.isprintable() and self.writer.plain_styles:
            # the same in a style of its own (an id): the style covers the text and the spaces up to the column's width
            left, right = self.pads[at]
            styled = self.writer.styled(text + " " * (width - len(text)), self._text_style(cell[1]))  # type: ignore[index,arg-type]
            known[cell] = [" " * left + styled + " " * right]
            return known[cell]
        if type(cell) is str or type(cell) is Styled:
            known[cell] = self._string(cell, at, self.styles[at], written=written)
            return known[cell]
        lines = self._laid_out(cell, at, self.styles[at])
        return [self.written(line) for line in lines] if written else lines

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


_KEPT = 20_000
"""The most laid-out values one column keeps between pieces (so that a long view's memory stays bounded)."""


def _tall(cells: list[list], blanks: list, height: int, vertical: str) -> list[list]:
    """Each cell's lines with blank lines below (or above, for `vertical` bottom) up to `height`."""
    if vertical == "top":
        return [
            cell if len(cell) == height else cell + [blank] * (height - len(cell))
            for cell, blank in zip(cells, blanks, strict=True)
        ]
    return [
        cell if len(cell) == height else [blank] * (height - len(cell)) + cell
        for cell, blank in zip(cells, blanks, strict=True)
    ]


def _merged(left: Segment, divider: Segment, right: Segment, cells: list[list[Segment]]) -> list[Segment]:
    """One line of a row: its edges, cells and dividers, with each run of unstyled text as one segment
    (the console prints unstyled text as it is, so the line prints the same)."""
    run: list[str] = []
    parts = [left] if left.text else []
    for at, cell in enumerate(cells):
        if at and divider.text:
            parts.append(divider)
        parts += cell
    if right.text:
        parts.append(right)
    merged: list[Segment] = []
    for segment in parts:
        if segment.style or segment.control:
            if run:
                merged.append(Segment("".join(run)))
                run = []
            merged.append(segment)
        else:
            run.append(segment.text)
    if run:
        merged.append(Segment("".join(run)))
    return merged
