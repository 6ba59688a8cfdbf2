"""Terminal cells: how many a text takes, and where Rich's wrap breaks it, quicker than Rich's own
walk through every character for the common one- and two-cell ranges (Latin, Japanese)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.cells import cell_len, chop_cells, set_cell_size

if TYPE_CHECKING:
    from rich.text import Text

_NARROW = "\x20-\x7e\xa0-\u02ff\u0370-\u0482\u048a-\u04ff\u2010-\u2027\u202f-\u205e\u2190-\u21ff\u2500-\u25fc"
_WIDE = "\u3000-\u3029\u3030-\u303e\u3041-\u3096\u309b-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uff01-\uff60"
NARROW_OR_WIDE = re.compile(f"[{_NARROW}{_WIDE}]*")
"""Text of characters one cell wide or two (Latin, Greek, Cyrillic, punctuation, arrows, boxes;
Japanese, Chinese, Korean), each as wide as Rich's `cell_len` makes it (a test checks them all)."""
WIDE = re.compile(f"[{_WIDE}]{{1}}")
"""One wide character. (`{1}` keeps the compiler from building the ranges' table a second time, for
a search's first-character check that saves nothing here: a millisecond of every start-up.)"""
_WORD = re.compile(r"\s*\S+\s*")
"""A word and the spaces around it, as Rich's wrap finds words."""


def cell_width(plain: str) -> int:
    """Terminal cells taken by `plain`, as Rich's `cell_len` counts them, without its walk through
    every character where the characters are of the common one- and two-cell ranges."""
    if plain.isascii():
        return len(plain) if plain.isprintable() else cell_len(plain)
    if NARROW_OR_WIDE.fullmatch(plain):
        return len(plain) + len(WIDE.findall(plain))
    return cell_len(plain)


def breaks(plain: str, size: int) -> list[int]:
    """Where Rich's `divide_line` breaks `plain` to fit `size` cells, folding long words (its
    algorithm, with the quicker `cell_width`)."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(plain):
        start, word = match.start(), match.group(0)
        length = cell_width(word.rstrip())
        if size - offset >= length:
            offset += cell_width(word)
        elif length > size:
            folded = chop_cells(word, width=size)
            for piece in folded[:-1]:
                if start:
                    breaks.append(start)
                start += len(piece)
            if start:
                breaks.append(start)
            offset = cell_width(folded[-1])
        elif offset and start:
            breaks.append(start)
            offset = cell_width(word)
    return breaks


def fold(plain: str, size: int) -> list[str]:
    """`plain` wrapped at words and folded within words to `size` cells, each line padded to it:
    what Rich's `Text.wrap` gives a left-justified, folding column (without the styles)."""
    offsets = breaks(plain, size)
    lines = []
    for start, end in zip([0, *offsets], [*offsets, len(plain)], strict=True):
        line = plain[start:end]
        if len(line) > size:
            spaces = len(line) - len(line.rstrip())
            line = line[: len(line) - min(spaces, len(line) - size)]
        used = cell_width(line)
        lines.append(set_cell_size(line, size) if used > size else line + " " * (size - used))
    return lines


class Styled(tuple[str, str]):
    """A plain string shown in a style: what `Text(text, style=style)` shows, as a hashable pair that
    costs no `Text` until it is printed (a status mark, an action name)."""

    __slots__ = ()

    def __new__(cls, text: str, style: str) -> Styled:
        return super().__new__(cls, (text, style))

    @property
    def plain(self) -> str:
        return self[0]

    @property
    def style(self) -> str:
        return self[1]

    def as_text(self) -> Text:
        """The cell as Rich's `Text`."""
        from rich.text import Text

        return Text(self[0], style=self[1])
