"""Text leaving the program in whatever encoding the console or pipe has, never a traceback.

A Japanese Windows console or pipe encodes in cp932, a cron job under `LANG=C` in ASCII. The
terminal views and messages are text in that encoding: the marks and rules stidiplo draws fall back
to characters the encoding has (✓ → v, – → -, ─ → -), and any other character it lacks is shown
as `?`, visibly, instead of ending the program. Machine formats (JSON, CSV, Markdown, HTML, ICS)
are bytes in UTF-8 whatever the locale, as git and gh write theirs: see `write_utf8`.
"""

from __future__ import annotations

import codecs
import io
import sys
import unicodedata
from typing import IO

HANDLER = "stidiplo-fallback"
FALLBACK = {
    "✓": "v",
    "✗": "x",
    "▶": ">",
    "○": "o",
    "●": "*",
    "…": "...",
    "≈": "~",
    "→": "->",
    "←": "<-",
    "×": "x",
    "·": ".",
    "–": "-",
    "—": "-",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "─": "-",
    "━": "-",
    "│": "|",
    "┃": "|",
    "┌": "+",
    "┐": "+",
    "└": "+",
    "┘": "+",
    "├": "+",
    "┤": "+",
    "┬": "+",
    "┴": "+",
    "┼": "+",
    "■": "#",
    "\u00a0": " ",
}
"""Stand-ins for the characters stidiplo itself draws; anything else unencodable becomes `?`."""

_UNICODE = {"utf-8", "utf8", "utf-16", "utf-32", "utf_8", "utf_16", "utf_32"}


def stand_in(char: str) -> str:
    """What a character the stream cannot encode is shown as: its fallback, else `?` (`??` for a wide one,
    so that table columns stay aligned)."""
    if char in FALLBACK:
        return FALLBACK[char]
    return "??" if unicodedata.east_asian_width(char) in ("W", "F") else "?"


def _fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(stand_in(char) for char in bad), error.end


codecs.register_error(HANDLER, _fallback)


def covers_unicode(encoding: str | None) -> bool:
    """Whether a stream in `encoding` can carry every character."""
    return bool(encoding) and codecs.lookup(encoding or "ascii").name in _UNICODE


def prepare_streams() -> None:
    """Make stdout and stderr replace what their encoding lacks instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and not covers_unicode(stream.encoding):
            stream.reconfigure(errors=HANDLER)


def write_utf8(text: str, stream: IO[str] | None = None) -> None:
    """Write a machine format to `stream` (stdout by default) as UTF-8 bytes, whatever its encoding."""
    out = stream or sys.stdout
    out.flush()
    buffer = getattr(out, "buffer", None)
    if buffer is None:  # a StringIO under test: it holds text, not bytes
        out.write(text)
        return
    buffer.write(text.encode("utf-8", "surrogateescape"))
    buffer.flush()
