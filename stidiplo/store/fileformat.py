"""The tracker file's text: parsing it (with the checks every reader needs), migrating it, writing it.

Pure functions over bytes and parsed data (dicts), with no file access: the store reads and
writes the file; the checks and the merge driver use these on any version of it.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from stidiplo.errors import ConflictMarkersError, StoreError
from stidiplo.schema import ITEMS, META, META_DOC, SCHEMA_VERSION, now

_CONFLICT_MARKER = re.compile(rb"^<{7}(?: |$)", re.MULTILINE)
"""The line with which git starts each conflict it leaves in a file."""
_JSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE


def serialize(data: dict) -> bytes:
    """The deterministic on-disk form: UTF-8, indented, keys sorted, one trailing newline."""
    return orjson.dumps(data, option=_JSON_OPTIONS)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a whole file is parsed.

    Parsed records hold no reference cycles, yet each of their millions of objects counts
    towards the next collection, which scans them all again: with the collector on, loading
    100,000 items took three times as long.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def parse(raw: bytes, path: Path) -> dict:
    """Parse a tracker file's bytes, naming the file and position of any fault."""
    try:
        with _collector_paused():
            data = orjson.loads(raw)
    except orjson.JSONDecodeError as err:
        marker = _CONFLICT_MARKER.search(raw)
        if marker is not None:
            raise ConflictMarkersError(path, raw.count(b"\n", 0, marker.start()) + 1) from None
        raise StoreError(f"{path}: not valid JSON at line {err.lineno}, column {err.colno}: {err.msg}") from None
    if not isinstance(data, dict) or not isinstance(data.get(META), dict) or META_DOC not in data[META]:
        raise StoreError(f"{path}: not a stidiplo tracker (no {META}.{META_DOC} record); refusing to use it")
    version = data[META][META_DOC].get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise StoreError(f"{path}: the schema version is missing or malformed")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: written by a newer stidiplo (schema {version}; this one knows {SCHEMA_VERSION}); "
            "upgrade stidiplo to use it"
        )
    if not isinstance(data.get(ITEMS, {}), dict):
        raise StoreError(f"{path}: the items table is malformed")
    return data


def _schema_0_to_1(data: dict) -> dict:
    """Schema 0 items lack `related` and `history`: no links, and the current status since creation."""
    for record in data.get(ITEMS, {}).values():
        if not isinstance(record, dict):
            continue
        record.setdefault("related", [])
        if not record.get("history") and isinstance(record.get("status"), str):
            since = record.get("created") or record.get("updated") or now()
            record["history"] = [{"at": since, "status": record["status"]}]
    return data


def _schema_1_to_2(data: dict) -> dict:
    """Schema 1 held one meeting id (or null) in `follows` and each source as text; schema 2 holds a list
    of meeting ids, each source as {document, page, heading, quote}, and the new fields (estimated
    dates, English place, people and participants, programmes, provenance) empty."""
    for record in data.get(ITEMS, {}).values():
        if not isinstance(record, dict):
            continue
        follows = record.get("follows")
        record["follows"] = [] if follows is None else [follows] if isinstance(follows, str) else follows
        sources = record.get("sources")
        if isinstance(sources, list):
            record["sources"] = [
                {"document": s, "heading": None, "page": None, "quote": None} if isinstance(s, str) else s
                for s in sources
            ]
        for key, empty in _NEW_IN_2.items():
            record.setdefault(key, empty() if callable(empty) else empty)
    return data


_NEW_IN_2: dict[str, Any] = {
    "date_estimated": False,
    "end_estimated": False,
    "people_en": list,
    "programmes": list,
    "place_en": None,
    "participants_en": None,
    "provenance": None,
}


MIGRATIONS: dict[int, Callable[[dict], dict]] = {0: _schema_0_to_1, 1: _schema_1_to_2}
"""Schema version N → the function that turns parsed data of version N into version N + 1."""


def schema_version(data: dict) -> int:
    """The schema version of parsed file data."""
    return data[META][META_DOC]["schema_version"]


def migrate(data: dict, path: Path) -> dict:
    """Bring parsed data of an older schema up to this program's, one version at a time."""
    version = schema_version(data)
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise StoreError(f"{path}: no migration from schema {version}; use a stidiplo that reads it")
        data = step(data)
        version += 1
        data[META][META_DOC]["schema_version"] = version
    return data


def stored(data: dict) -> tuple[dict[str, Any], dict[str, Any]]:
    """The items table (records by id, exactly as found) and the meta record of parsed file data.

    The one read that bypasses TinyDB, on every command's path: reading the items through TinyDB
    (`{doc.doc_id: doc for doc in table}`) copies each record into a Document, which for 100,000
    items took 660 ms (median of 5, collector paused, 2 busy cores) against nothing for handing
    over the table already parsed; `list --country X` takes about 1 s in all at that size.
    """
    return data.get(ITEMS, {}), data[META][META_DOC]


def item_records(data: dict) -> dict:
    """The stored records of parsed file data, by id, exactly as found (for checking them)."""
    return stored(data)[0]


def repeated_keys(raw: bytes) -> dict[str | None, list[str]]:
    """Keys written twice in the file text, which a JSON reader silently collapses to the last.

    Returns {None: ids repeated in the items object, item id: keys repeated in its record}.
    """
    import json

    try:
        data = json.loads(raw, object_pairs_hook=_remember_repeats)
    except ValueError:
        return {}
    found: dict[str | None, list[str]] = {}
    items = data.get(ITEMS) if isinstance(data, dict) else None
    if isinstance(items, _KeyedDict):
        if items.repeated:
            found[None] = items.repeated
        for item_id, record in items.items():
            if isinstance(record, _KeyedDict) and record.repeated:
                found[item_id] = record.repeated
    return found


class _KeyedDict(dict):
    """A JSON object that remembers which of its keys the text repeated."""

    repeated: list[str]


def _remember_repeats(pairs: list[tuple[str, object]]) -> _KeyedDict:
    obj = _KeyedDict(pairs)
    seen: set[str] = set()
    obj.repeated = []
    for key, _ in pairs:
        if key in seen:
            obj.repeated.append(key)
        seen.add(key)
    return obj
