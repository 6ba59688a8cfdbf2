"""Where a command's result goes: the terminal (a Rich view or a machine format) or an `-o` file.

A view is text in the console's encoding; a machine format on stdout is UTF-8 bytes whatever
the locale (see `stidiplo.cli.encoding`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from io import StringIO
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from stidiplo.cli.context import SESSION
from stidiplo.cli.encoding import write_utf8
from stidiplo.errors import UsageError

if TYPE_CHECKING:
    from stidiplo.model import Item
    from stidiplo.tracker import Tracker

FILE_WIDTH = 100
"""Columns of the terminal view when it is written to a file."""


def print_renderable(renderable: Any) -> None:
    """Print a Rich renderable on the terminal's console, through the pager when it is a terminal;
    without a pager, a piece at a time where it has pieces."""
    from stidiplo.views import console
    from stidiplo.views.lines import print_in_pieces

    out = console(color=SESSION.color)
    if SESSION.paging and sys.stdout.isatty():
        from stidiplo.cli.pager import pager_command, print_paged

        command = pager_command()
        if command is not None:
            print_paged(out, renderable, command)
            return
    print_in_pieces(out, renderable)


def write_stream(write: Callable[[IO[str]], None]) -> None:
    """Send what `write` writes to a text stream to stdout as UTF-8 bytes, whatever the console's encoding."""
    buffer = StringIO()
    write(buffer)
    write_utf8(buffer.getvalue())


def write_text(writer: Callable[[Any, Any], None], value: Any) -> None:
    """Run a text serialiser onto stdout, as UTF-8."""
    write_stream(lambda out: writer(value, out))


def write_bytes(writer: Callable[[Any, Any], None], value: Any) -> None:
    """Run a bytes serialiser onto stdout."""
    sys.stdout.flush()
    writer(value, sys.stdout.buffer)
    sys.stdout.buffer.flush()


def save_file(path: str, payload: bytes) -> None:
    """Write `payload` to the file the user named with -o, whole or not at all."""
    from stidiplo.files import write_atomic
    from stidiplo.paths import refuse_tracker_paths

    target = Path(path).expanduser()
    refuse_tracker_paths(target, SESSION.location().path)
    if not target.parent.is_dir():
        raise UsageError(f"cannot write {path}: the folder {target.parent} does not exist")
    write_atomic(target, payload)


def emit_document(
    fmt: str,
    output: str | None,
    view: Callable[[], Any],
    writers: dict[str, Callable[[IO[str]], None]],
    files: dict[str, Callable[[], bytes]] | None = None,
) -> None:
    """A document in `fmt` to the terminal or to FILE: the Rich `view`, one of the text `writers`,
    or one of the binary `files` (slides, Word, PDF, workbook), which never go to a terminal.

    A file is written whole or not at all, and its name is printed.
    """
    if files and fmt in files:
        emit_file(fmt, output, files[fmt])
        return
    if fmt == "table" and output is None:
        print_renderable(view())
        return
    if output is None:
        write_stream(writers[fmt])
        return
    if fmt == "table":
        from stidiplo.views import plain_text

        content = plain_text(view(), FILE_WIDTH)
    else:
        buffer = StringIO()
        writers[fmt](buffer)
        content = buffer.getvalue()
    save_file(output, content.encode("utf-8"))
    print(f"wrote {output}")


def send_bytes(payload: bytes, output: str | None) -> bool:
    """`payload` to the file named with -o (whole or not at all), else to stdout; whether a file was written."""
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
        return False
    save_file(output, payload)
    return True


def emit_file(fmt: str, output: str | None, payload: Callable[[], bytes]) -> None:
    """A binary document to FILE, or to stdout when it is not a terminal."""
    if output is None and sys.stdout.isatty():
        raise UsageError(f"a {fmt} document is not for the terminal: add -o FILE.{fmt}")
    if send_bytes(payload(), output):
        print(f"wrote {output}")


def emit_items(chosen: Iterable[Item], tracker: Tracker, fmt: str, title: str | None = None) -> None:
    """Print items as a table or in a machine format."""
    rows = list(chosen)
    if fmt == "json":
        from stidiplo.formats.jsonfmt import write_items

        write_bytes(write_items, rows)
    elif fmt == "csv":
        from stidiplo.formats.table import write_csv

        write_text(write_csv, rows)
    elif fmt == "md":
        from stidiplo.formats.markdown import write_md

        write_text(write_md, rows)
    else:
        from stidiplo.views.items import ItemsTable

        print_renderable(ItemsTable(rows, tracker, SESSION.lang, title))
