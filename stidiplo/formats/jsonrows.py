"""JSON Lines out, and item objects in from a JSON array or JSON Lines, each with where it was in the file."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

import orjson

from stidiplo.errors import StidiploError
from stidiplo.model import Item

BOM = b"\xef\xbb\xbf"


def write_jsonl(items: Iterable[Item], out: IO[bytes]) -> None:
    """One item object per line, keys sorted, for scripts that stream."""
    for item in items:
        out.write(orjson.dumps(item.to_json(), option=orjson.OPT_SORT_KEYS) + b"\n")


def read_json(raw: bytes) -> list[tuple[int, object]]:
    """The elements of a JSON array, numbered from 1."""
    try:
        data = orjson.loads(raw.removeprefix(BOM))
    except orjson.JSONDecodeError as err:
        raise StidiploError(f"not valid JSON (line {err.lineno}, column {err.colno}): {err.msg}") from None
    if not isinstance(data, list):
        raise StidiploError("expected a JSON array of items, as `stidiplo export --format json` writes")
    return list(enumerate(data, start=1))


def read_jsonl(raw: bytes) -> list[tuple[int, object]]:
    """The value on each non-blank line, with its line number."""
    rows = []
    for number, line in enumerate(raw.removeprefix(BOM).split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            rows.append((number, orjson.loads(line)))
        except orjson.JSONDecodeError as err:
            raise StidiploError(f"line {number} is not valid JSON (column {err.colno}): {err.msg}") from None
    return rows
