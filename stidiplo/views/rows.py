"""The rows of a table printed as lines (see `lines`): each cell laid out in its column, a value
repeated down a column laid out once, and the lines written out as the console writes them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from rich.console import COLOR_SYSTEMS, Group
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from stidiplo.views.cells import Styled, cell_width, fold
from stidiplo.views.layout import cell_padding

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, ConsoleRenderable
    from rich.table import Table

    from stidiplo.views.lines import Cell

_JOIN = Text("\n")
"""What Rich joins a cell's lines with before rendering them (its base style becomes a span)."""

_PAD = Style.null()
_NONE = Segment("")
_PROBE = "[b]x[/b] :smile:"
"""A string that prints as it is written only where the console reads neither markup nor emoji codes."""
_LITERAL: WeakKeyDictionary[Console, dict[bool | None, bool]] = WeakKeyDictionary()


def _literal(console: Console, options: ConsoleOptions) -> bool:
    """Whether `console` prints strings as they are written (no markup, no emoji codes)."""
    known = _LITERAL.setdefault(console, {})
    if options.markup not in known:
        known[options.markup] = console.render_str(_PROBE, markup=options.markup, highlight=False).plain == _PROBE
    return known[options.markup]


class _Writer:
    """Writes segments as the console writes them (`Console._render_buffer`): each styled segment
    with its style's escape codes for the console's colour system, colours dropped under NO_COLOR."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.system = COLOR_SYSTEMS.get(console.color_system or "")
        self.legacy = console.legacy_windows
        self.colourless = bool(console.no_color and self.system)

    @property
    def plain_styles(self) -> bool:
        """Whether a style is written as its escape codes alone (no colours to drop)."""
        return not self.colourless

    def styled(self, text: str, style: Style | None) -> str:
        """`text` in `style` as the console writes it."""
        return style.render(text, color_system=self.system, legacy_windows=self.legacy) if style else text

    def written(self, segments: list[Segment]) -> str:
        if self.colourless or any(segment.control for segment in segments):
            return self.console._render_buffer(segments)
        system, legacy = self.system, self.legacy
        return "".join(
            [
                style.render(text, color_system=system, legacy_windows=legacy) if style else text
                for text, style, _ in segments
            ]
        )


class RowPrinter:
    """Renders a table's rows as Rich's `Table._render` does, with widths already known."""

    def __init__(self, table: Table, widths: list[int], console: Console, options: ConsoleOptions) -> None:
        self.table, self.widths, self.console, self.options = table, widths, console, options
        self.pads = [cell_padding(table, at) for at in range(len(widths))]
        self.styles = [console.get_style(c.style or "") for c in table.columns]
        self.border = console.get_style(table.style or "") + console.get_style(table.border_style or "")
        box = (
            table.box.substitute(options, safe=table.safe_box if table.safe_box is not None else console.safe_box)
            if table.box
            else None
        )
        self.box = box.get_plain_headed_box() if box and not table.show_header else box
        self.plain = console.color_system is None
        literal = _literal(console, options)
        self.literal = [literal and not c.highlight for c in table.columns]
        """Whether the column's strings print as they are written (no markup, emoji or highlighting)."""
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
        self.text_styles: dict[str, Style] = {}
        self.edges = {part: self._edges(part) for part in ("head", "mid", "foot")}
        self.writer = _Writer(console)

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

    def written(self, segments: list[Segment]) -> str:
        """What the console writes for one line's segments (its styles as escape codes)."""
        return self.writer.written(segments)

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
        if sum(map(len, self.known)) + sum(map(len, self.known_written)) > 20_000:
            self.known = [{} for _ in self.widths]
            self.known_written = [{} for _ in self.widths]
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

    def _cell(self, cell: Cell | None, at: int, style: Style) -> list:
        """One cell's lines, each padded to its column's width: strings when the console prints no
        styles, else lists of segments."""
        if type(cell) is str or type(cell) is Styled:
            return self._string(cell, at, style)
        return self._laid_out(cell, at, style)

    def _string(self, cell: str | Styled, at: int, style: Style, written: bool = False) -> list:
        """The lines of a plain or styled string, padded to its column (without a `Text` where it is
        one line or folds as Rich folds it); with `written`, as the console writes them."""
        laid_out = self._string_lines(cell, at)
        if laid_out is None:
            lines = self._laid_out(cell.as_text() if isinstance(cell, Styled) else cell, at, style)
            return [self.written(line) for line in lines] if written else lines
        lines, text_style = laid_out
        left, right = self.pads[at]
        if self.plain:
            return [" " * left + line + " " * right for line in lines]
        base = self._text_style(text_style) if text_style else None
        if written and not style:  # the padding unstyled: written as it is
            edges = " " * left, " " * right
            return [edges[0] + (self.written([Segment(line, base)]) if base else line) + edges[1] for line in lines]
        segments = [self._styled(self._padded([Segment(line, base)], left, right), style) for line in lines]
        return [self.written(line) for line in segments] if written else segments

    def _string_lines(self, cell: str | Styled, at: int) -> tuple[list[str], str] | None:
        """A string's lines within its column (unpadded) and its style, or None where only Rich's
        wrap lays it out as Rich does (markup, line breaks, tabs, other justifications)."""
        if isinstance(cell, Styled):
            plain, text_style = cell
        elif self.literal[at]:
            plain, text_style = cell, ""
        else:
            return None
        width = self.widths[at] - sum(self.pads[at])
        column = self.table.columns[at]
        if width < 1 or "\n" in plain or "\t" in plain:
            return None
        used = cell_width(plain)
        if used <= width and column.justify == "right":
            plain = plain.rstrip()
            return [" " * (width - cell_width(plain)) + plain], text_style
        if used <= width and column.justify == "left":
            return [plain + " " * (width - used)], text_style
        if column.justify == "left" and column.overflow == "fold" and not column.no_wrap:
            return fold(plain, width), text_style
        return None

    def _text_style(self, name: str) -> Style | None:
        known = self.text_styles.get(name)
        if known is None:
            known = self.text_styles[name] = self.console.get_style(name)
        return known or None

    def _laid_out(self, cell: Cell | None, at: int, style: Style) -> list:
        """The lines of any cell, through Rich where a quicker way does not give the same."""
        column = self.table.columns[at]
        left, right = self.pads[at]
        width = self.widths[at] - left - right
        if width < 1:
            return [" " * self.widths[at] if self.plain else [Segment(" " * self.widths[at], style)]]
        if cell is None:
            cell = ""
        if isinstance(cell, Styled):
            value = cell.as_text()
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
        """The lines of a cell that is not text (a group, a table): a group's parts one below the
        other, each as though it were the cell; anything else rendered by Rich."""
        if isinstance(cell, Group):
            lines = [line for part in cell.renderables for line in self._cell(part, at, style)]  # type: ignore[arg-type]
            return lines or [" " * self.widths[at] if self.plain else [Segment(" " * self.widths[at], style)]]
        column = self.table.columns[at]
        left, right = self.pads[at]
        options = self.options.update(
            width=width, justify=column.justify, no_wrap=column.no_wrap, overflow=column.overflow, height=None
        )
        options = options.update(highlight=column.highlight)
        inner_lines = getattr(cell, "inner_lines", None)  # table lines
        inner = None if inner_lines is None else inner_lines(self.console, options)
        if inner is not None:
            if self.plain:
                return [" " * left + "".join(segment.text for segment in line) + " " * right for line in inner]
            return [self._styled(self._padded(line, left, right), style) for line in inner]
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
