"""JSON: the stable scripting interface (every data-model key, always present)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

import orjson

from stidiplo.model import Item

_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE


def dumps(value: object) -> bytes:
    """Indented, keys sorted, one trailing newline (appended by orjson: no copy of a large output)."""
    return orjson.dumps(value, option=_OPTIONS)


def write_items(items: Iterable[Item], out: IO[bytes]) -> None:
    """A JSON array of item objects."""
    out.write(dumps([item.to_json() for item in items]))


def write_value(value: object, out: IO[bytes]) -> None:
    """Any JSON-ready value (counts, reports) in the same deterministic form."""
    out.write(dumps(value))
