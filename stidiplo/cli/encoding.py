"""Text leaving the program in whatever encoding the console or pipe has, never a traceback.

A Japanese Windows console or pipe encodes in cp932, a cron job under `LANG=C` in ASCII. The
terminal views and messages are text in that encoding: the marks and rules stidiplo draws fall back
to characters the encoding has (✓ → v, – → -, ─ → -), and any other character it lacks is shown
as `?`, visibly, instead of ending the program; bytes of a file name the system could not decode
go back out as they came. Machine formats (JSON, CSV, Markdown, HTML, ICS)
are bytes in UTF-8 whatever the locale, as git and gh write theirs: see `write_utf8`.
"""

from __future__ import annotations

import codecs
import io
import os
import sys
import unicodedata
from typing import IO

from stidiplo.errors import UsageError

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


def stand_in(char: str) -> str:
    """What a character the stream cannot encode is shown as: its fallback, else `?` (`??` for a wide
    one, so that table columns stay aligned)."""
    if char in FALLBACK:
        return FALLBACK[char]
    return "??" if unicodedata.east_asian_width(char) in ("W", "F") else "?"


def _fallback(error: UnicodeError) -> tuple[str | bytes, int]:
    """The error handler: one character at a time, its stand-in, or the very byte the system could
    not decode (a file name in a message is shown as the user typed it)."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    char = error.object[error.start]
    if "\udc80" <= char <= "\udcff":
        return bytes([ord(char) - 0xDC00]), error.start + 1
    return stand_in(char), error.start + 1


codecs.register_error(HANDLER, _fallback)


def prepare_streams() -> None:
    """Make stdout and stderr replace what their encoding lacks instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=HANDLER)


def write_utf8(text: str, stream: IO[str] | None = None) -> None:
    """Write a machine format to `stream` (stdout by default) as UTF-8 bytes, whatever its encoding."""
    out = stream or sys.stdout
    out.flush()
    buffer = getattr(out, "buffer", None)
    if buffer is None:  # a StringIO under test: it holds text, not bytes
        out.write(text)
        return
    buffer.write(text.encode("utf-8", HANDLER))
    buffer.flush()


def argument_text(arg: str, where: str) -> str:
    """A command-line argument as text, whatever bytes it arrived as.

    Python hands bytes it could not decode in the locale's encoding over as lone surrogates (an
    ASCII locale given UTF-8, a UTF-8 locale given a stray byte): they are read as UTF-8 where
    they are, else refused with one line naming `where` and the byte.
    """
    if arg.isascii() or not any("\udc80" <= char <= "\udcff" for char in arg):
        return arg
    raw = os.fsencode(arg)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        encoding = sys.getfilesystemencoding()
        raise UsageError(
            f"{where} is not text in this system's encoding ({encoding}): it has the byte 0x{raw[err.start]:02x}"
        ) from None
