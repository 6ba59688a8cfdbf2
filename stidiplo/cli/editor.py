"""`edit --editor`: the whole record in $EDITOR, read back and checked, saved only if nobody changed it meanwhile.

The record is written as UTF-8 and read back as UTF-8, else in the system's encoding.
"""

from __future__ import annotations

import os
import shlex
from typing import TYPE_CHECKING

from stidiplo.cli.context import SESSION
from stidiplo.errors import StidiploError, UsageError
from stidiplo.system import windows

if TYPE_CHECKING:
    from stidiplo.changes import ItemChanges
    from stidiplo.model import Item


def edit_in_editor(item_id: str, changes: ItemChanges) -> tuple[str, bool]:
    """Edit the item in $EDITOR, then make `changes` too; its short id and whether anything changed.

    The editor runs before the lock is taken, so nobody waits while a person types.
    """
    before = SESSION.load().resolve(item_id)
    edited = _edited(before)
    with SESSION.transaction() as tracker:
        item = tracker.resolve(before.id)
        if item != before:
            raise StidiploError(f"{tracker.short_id(item.id)} was changed while you edited it; nothing saved")
        tracker.update(edited)
        updated = tracker.change(item.id, changes)
        return tracker.short_id(item.id), updated != item


def _edited(item: Item) -> Item:
    """Open the item's JSON in $EDITOR and read it back, validated."""
    import tempfile

    import orjson

    from stidiplo.model import Item
    from stidiplo.rules import validate

    with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as handle:
        handle.write(orjson.dumps(item.to_json(), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
        path = handle.name
    try:
        run_editor(path)
        with open(path, "rb") as handle:
            text = edited_text(handle.read())
        try:
            record = orjson.loads(text)
        except orjson.JSONDecodeError as err:
            raise UsageError(f"the edited record is not valid JSON (line {err.lineno}); nothing changed") from None
    finally:
        os.unlink(path)
    if not isinstance(record, dict) or record.get("id", item.id) != item.id:
        raise UsageError("the id cannot be changed; nothing changed")
    edited = Item.from_record(item.id, record)
    validate(edited)
    return edited


def editor_command(path: str) -> list[str] | str:
    """The command that opens `path` in $VISUAL, else $EDITOR, else notepad on Windows and vi elsewhere.

    On POSIX the setting is split as a shell splits it (`EDITOR="code --wait"`); on Windows it is
    handed over as a command line, which each Windows program splits itself.
    """
    setting = (os.environ.get("VISUAL") or os.environ.get("EDITOR") or "").strip()
    if windows():
        return f'{setting or "notepad"} "{path}"'
    try:
        words = shlex.split(setting) or ["vi"]
    except ValueError as err:
        raise UsageError(f"cannot read the editor setting {setting!r} ({err}); nothing changed") from None
    return [*words, path]


def run_editor(path: str) -> None:
    """Run the editor on `path` and wait for it; one line if it cannot start or fails."""
    import subprocess

    command = editor_command(path)
    name = command if isinstance(command, str) else command[0]
    try:
        code = subprocess.call(command)
    except OSError as err:
        raise UsageError(f"cannot start the editor {name} ({err.strerror or err}); nothing changed") from None
    if code != 0:
        raise UsageError("the editor exited with an error; nothing changed")


def edited_text(raw: bytes) -> str:
    """The edited file as text: UTF-8 (without the BOM Notepad may add), else the system's encoding
    (an editor on Japanese Windows may save in cp932)."""
    import locale

    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    encoding = locale.getencoding()
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise UsageError(f"the edited record is neither UTF-8 nor {encoding} text; nothing changed") from None
