"""A table's cells printed as lines (see `lines` and `rows`): each cell laid out in its column as
Rich's table lays it out, quicker where that gives the same (plain and styled strings, folded
text), and segments written out as the console writes them."""

from __future__ import annotations

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


class CellPrinter:
    """Lays out a table's cells in their columns, with the columns' widths already known."""

    def __init__(self, table: Table, widths: list[int], console: Console, options: ConsoleOptions) -> None:
        self.table, self.widths, self.console, self.options = table, widths, console, options
        self.pads = [cell_padding(table, at) for at in range(len(widths))]
        self.styles = [console.get_style(c.style or "") for c in table.columns]
        self.plain = console.color_system is None
        literal = _literal(console, options)
        self.literal = [literal and not c.highlight for c in table.columns]
        """Whether the column's strings print as they are written (no markup, emoji or highlighting)."""
        self.text_styles: dict[str, Style] = {}
        self.writer = _Writer(console)

    def written(self, segments: list[Segment]) -> str:
        """What the console writes for one line's segments (its styles as escape codes)."""
        return self.writer.written(segments)

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
