"""Help that reads well at any width: each paragraph of a command's help flowed to the terminal,
and Japanese text never cut where a line ends.

Loaded only when a command's help is shown (`app.HelpCommand`).
"""

from __future__ import annotations

import re

_TRAILING_SPACE = re.compile(r"\s+$")


def flowed(text: str) -> str:
    """`text` with each paragraph's lines joined into one, so the terminal, not the source, breaks them.

    Typer keeps a docstring's single line breaks, so a paragraph wrapped at 100 columns in the
    source came out ragged at 80.
    """
    import inspect

    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(" ".join(line.strip() for line in paragraph.splitlines()) for paragraph in paragraphs)


def mend_wide_wrapping() -> None:
    """Make Rich drop the space ending a wrapped line by its width in cells, not in characters.

    Rich 15 measures that space in characters, so a line ending in Japanese that exactly fills
    its column keeps its space, is one cell too wide, and is cut with an ellipsis ("量子技 …").
    """
    from rich.cells import cell_len
    from rich.text import Text

    def rstrip_end(self: Text, size: int) -> None:
        excess = cell_len(self.plain) - size
        trailing = _TRAILING_SPACE.search(self.plain) if excess > 0 else None
        if trailing is not None:
            self.right_crop(min(len(trailing.group()), excess))

    Text.rstrip_end = rstrip_end  # type: ignore[method-assign]
