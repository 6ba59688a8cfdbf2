"""JSON: the stable scripting interface (every data-model key, always present)."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import IO

import orjson

from stidiplo.errors import UsageError
from stidiplo.model import JSON_KEYS, Item

_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE
_BATCH = 1000


def dumps(value: object) -> bytes:
    """Indented, keys sorted, one trailing newline (appended by orjson: no copy of a large output)."""
    return orjson.dumps(value, option=_OPTIONS)


def write_items(items: Iterable[Item], out: IO[bytes]) -> None:
    """A JSON array of item objects."""
    _write_array((item.to_json() for item in items), out)


def _write_array(values: Iterable[object], out: IO[bytes]) -> None:
    """A JSON array, byte for byte as `dumps` writes it, written a thousand values at a time: the
    whole array of 100,000 items held twice the tracker file's size in memory at once."""
    values = iter(values)
    opening = b"[\n"
    while batch := list(islice(values, _BATCH)):
        text = orjson.dumps(batch, option=_OPTIONS & ~orjson.OPT_APPEND_NEWLINE)
        out.write(opening + memoryview(text)[2:-2])
        opening = b",\n"
    out.write(b"[]\n" if opening == b"[\n" else b"\n]\n")


def write_value(value: object, out: IO[bytes]) -> None:
    """Any JSON-ready value (counts, reports) in the same deterministic form."""
    out.write(dumps(value))


def write_value_text(value: object, out: IO[str]) -> None:
    """The same, onto a text stream (a document written to a file or to stdout)."""
    out.write(dumps(value).decode("utf-8"))


def chosen_keys(text: str) -> list[str]:
    """The item keys `--json id,title,status` names, in the order given; a usage error names any unknown one."""
    keys = [key.strip() for key in text.split(",") if key.strip()]
    unknown = [key for key in keys if key not in JSON_KEYS]
    if unknown or not keys:
        named = f"unknown key(s) {', '.join(unknown)}" if unknown else "no key given"
        raise UsageError(f"--json: {named}; use any of: {', '.join(JSON_KEYS)}")
    return keys


def write_fields(items: Iterable[Item], keys: list[str], out: IO[bytes]) -> None:
    """A JSON array of item objects holding only `keys`, as `gh --json` prints."""
    _write_array(({key: record[key] for key in keys} for record in (item.to_json() for item in items)), out)
