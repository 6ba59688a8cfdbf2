"""The tracker file's text: parsing it (with the checks every reader needs), migrating it, writing it.

Pure functions over bytes and parsed data (dicts), with no file access: the store reads and
writes the file; the checks and the merge driver use these on any version of it.
"""

from __future__ import annotations

import bisect
import gc
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeAlias

import orjson

from stidiplo.errors import ConflictMarkersError, StoreError
from stidiplo.schema import ITEMS, META, META_DOC, SCHEMA_VERSION, now

_CONFLICT_MARKER = re.compile(rb"^<{7}(?: |$)", re.MULTILINE)
"""The line with which git starts each conflict it leaves in a file."""
_JSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE
_RECORD_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
_ITEMS_HEAD = b'{\n  "items": {\n'
"""How a file `serialize` wrote begins, when it holds items."""


def serialize(data: dict) -> bytes:
    """The deterministic on-disk form: UTF-8, indented, keys sorted, one trailing newline."""
    return orjson.dumps(data, option=_JSON_OPTIONS)


_FIRST = re.compile(rb'{\n  "items": {\n    "([^"\\\n]*)": (?={\n      ")')
"""How a file `serialize` wrote begins: the items table and its first plain id (no quote or escape)."""
_NEXT = re.compile(rb'\n    },\n    "([^"\\\n]*)": (?={\n      ")')
"""Where one record closes and the next id opens its record, as `serialize` lays them out: a
record's own lines sit two spaces deeper, and JSON text holds no line break inside a string, so this
text is found nowhere else. A record's text between two of them is JSON if and only if the file's
text is JSON there."""
_LAST = b"\n    }\n  }"
"""The last record's close and the items table's."""


class Layout:
    """Where each item's record lies in the text of a file as `serialize` writes it.

    Such a file can be read one record at a time: `record(i)` parses only the i-th record, so a
    command that needs a few items, or one pass over all of them, never holds the whole parsed
    file (at 100,000 items that took 3 times the file's size in memory, for a moment 6 times).
    """

    __slots__ = ("ends", "ids", "raw", "starts", "tail")

    def __init__(self, raw: Any, ids: list[str], starts: list[int], ends: list[int], tail: int) -> None:
        self.raw = raw
        """The file's text: a memoryview of its bytes, or anything sliced the same way (`store.records`)."""
        self.ids = ids
        self.starts = starts
        """Where each record's opening brace is."""
        self.ends = ends
        """Just past each record's closing brace."""
        self.tail = tail
        """Where the items table closes: the tables after it (meta) follow."""

    def record(self, index: int) -> Any:
        """The parsed record of the index-th item (orjson.JSONDecodeError when its text is not JSON)."""
        return orjson.loads(self.raw[self.starts[index] : self.ends[index]])

    def other_tables(self) -> dict:
        """The tables after the items (orjson.JSONDecodeError when their text is not JSON)."""
        return orjson.loads(b"{" + self.raw[self.tail + len(b"\n  },") :])


def layout(raw: bytes) -> Layout | None:
    """The item records' places in `raw`, when it is laid out as `serialize` lays a file out; else None.

    Checked without parsing: the items table comes first; ids, one per line where `serialize`
    puts them, increase (sorted, none repeated); the table closes after the last record. What is
    left, that each record's text is JSON, the reader finds out: where it holds for every record,
    the records parsed one by one are exactly what parsing the whole file gives.
    """
    first = _FIRST.match(raw)
    if first is None:
        return None
    try:
        ids = [first[1].decode()]
        starts = [first.end()]
        ends: list[int] = []
        for found in _NEXT.finditer(raw, first.end()):
            item_id = found[1].decode()
            if item_id <= ids[-1]:
                return None
            ends.append(found.start() + 6)
            ids.append(item_id)
            starts.append(found.end())
    except UnicodeDecodeError:
        return None
    close = raw.find(_LAST, starts[-1])
    if close < 0:
        return None
    ends.append(close + 6)
    return Layout(memoryview(raw), ids, starts, ends, close + 6)


Plan: TypeAlias = "list[tuple[int, int] | str]"
"""The items of a changed file in order: runs of unchanged items (start and stop indexes into the
laid-out file's ids) and the ids of the records changed or added."""


def plan(ids: list[str], changed: Collection[str], removed: Collection[str]) -> Plan:
    """Where the `changed` records (new ones too) go among the sorted `ids`, and the `removed` ones leave."""
    steps: Plan = []
    done = 0
    for item_id in sorted({*changed, *removed}):
        at = bisect.bisect_left(ids, item_id, done)
        if at > done:
            steps.append((done, at))
        if item_id in changed:
            steps.append(item_id)
        done = at + 1 if at < len(ids) and ids[at] == item_id else at
    if done < len(ids):
        steps.append((done, len(ids)))
    return steps


def spliced(lay: Layout, steps: Plan, changed: Mapping[str, Any], tables: dict) -> tuple[bytes, Layout] | None:
    """What `serialize` writes for the laid-out file changed as `steps` say, and where its records lie.

    The unchanged records' text is copied as it is (a file this program wrote holds exactly what
    `serialize` would write for them), so a change to a few items parses and writes only those.
    None when no item is left (the file is then written whole).
    """
    if not steps:
        return None
    raw, ids, starts, ends = lay.raw, lay.ids, lay.starts, lay.ends
    parts: list[Any] = [_ITEMS_HEAD]
    size = len(_ITEMS_HEAD)
    new_ids: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    for step in steps:
        if size > len(_ITEMS_HEAD):
            parts.append(b",\n")
            size += 2
        if isinstance(step, str):
            key = b"    " + orjson.dumps(step) + b": "
            body = orjson.dumps(changed[step], option=_RECORD_OPTIONS).replace(b"\n", b"\n    ")
            parts += (key, body)
            new_ids.append(step)
            new_starts.append(size + len(key))
            size += len(key) + len(body)
            new_ends.append(size)
            continue
        first, stop = step
        begin = starts[first] - len(ids[first].encode()) - 8  # the line of its id: '    "<id>": '
        shift = size - begin
        parts.append(raw[begin : ends[stop - 1]])
        new_ids += ids[first:stop]
        new_starts += [at + shift for at in starts[first:stop]]
        new_ends += [at + shift for at in ends[first:stop]]
        size += ends[stop - 1] - begin
    parts.append(b"\n  },\n" + orjson.dumps(tables, option=_JSON_OPTIONS)[2:])
    text = b"".join(parts)
    return text, Layout(text, new_ids, new_starts, new_ends, size)


@contextmanager
def collector_paused() -> Iterator[None]:
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
        with collector_paused():
            data = orjson.loads(raw)
    except orjson.JSONDecodeError as err:
        marker = _CONFLICT_MARKER.search(raw)
        if marker is not None:
            raise ConflictMarkersError(path, raw.count(b"\n", 0, marker.start()) + 1) from None
        raise StoreError(f"{path}: not valid JSON at line {err.lineno}, column {err.colno}: {err.msg}") from None
    check_tables(data, path)
    return data


def check_tables(data: object, path: Path) -> None:
    """Refuse parsed file data that is not a tracker this program can read."""
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
