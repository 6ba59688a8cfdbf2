"""`edit --editor`: the whole record in $EDITOR, read back and checked, saved only if nobody changed it meanwhile."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stidiplo.cli.context import SESSION
from stidiplo.errors import StidiploError, UsageError

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
    import os
    import subprocess
    import tempfile

    import orjson

    from stidiplo.model import Item, validate

    with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as handle:
        handle.write(orjson.dumps(item.to_json(), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
        path = handle.name
    try:
        command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        if subprocess.call([*command.split(), path]) != 0:
            raise UsageError("the editor exited with an error; nothing changed")
        with open(path, "rb") as handle:
            try:
                record = orjson.loads(handle.read())
            except orjson.JSONDecodeError as err:
                raise UsageError(f"the edited record is not valid JSON (line {err.lineno}); nothing changed") from None
    finally:
        os.unlink(path)
    if not isinstance(record, dict) or record.get("id", item.id) != item.id:
        raise UsageError("the id cannot be changed; nothing changed")
    edited = Item.from_record(item.id, record)
    validate(edited)
    return edited
