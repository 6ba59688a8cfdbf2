"""Rich rendering: the only package that builds Rich objects.

User text always enters as `Text` (never markup) after `literal` has made control characters
visible, so a title can neither style nor steer the terminal.
"""

from __future__ import annotations

import re

from rich.console import Console
from rich.text import Text

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

STATUS_STYLE = {
    "exploring": "magenta",
    "coordinating": "yellow",
    "scheduled": "cyan",
    "ongoing": "blue",
    "done": "green",
    "dropped": "dim",
}
STATUS_MARK = {
    "exploring": "?",
    "coordinating": "~",
    "scheduled": "○",
    "ongoing": "▶",
    "done": "✓",
    "dropped": "✗",
}


def literal(value: str) -> str:
    """`value` with terminal control characters shown as escapes instead of obeyed."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], value)


def text(value: str | None, style: str = "") -> Text:
    """User text as a Rich Text that is displayed, never interpreted."""
    return Text(literal(value or ""), style=style)


def console(*, stderr: bool = False) -> Console:
    """The console every command prints through (COLUMNS pins its width)."""
    return Console(stderr=stderr, highlight=False, soft_wrap=False, emoji=False, markup=False)
