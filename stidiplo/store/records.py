"""The items' records as reading commands get them: each parsed when it is asked for, never all held.

Parsing a whole tracker file holds, for a moment, its bytes, the parser's work and every record:
six times the file's size. A file laid out as `fileformat.serialize` writes it (every file stidiplo
wrote) is instead read a record at a time: once to check every record and make the index (see
`index`), then, while the index describes the file, only the records a command uses. Any other
file (edited by hand into another layout, or of an older schema) is parsed whole, as before.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import TYPE_CHECKING, Any, BinaryIO

import orjson

from stidiplo.errors import StoreError
from stidiplo.schema import ITEMS, META, META_DOC, SCHEMA_VERSION
from stidiplo.store import apply_changes, index
from stidiplo.store.fileformat import (
    Layout,
    check_tables,
    layout,
    parse,
    plan,
    schema_version,
    serialize,
    spliced,
    stored,
)
from stidiplo.system import windows

if TYPE_CHECKING:
    from tinydb import TinyDB

    from stidiplo.store import Store, TrackerStorage

Judge = Callable[[Any], bool]
"""Whether a stored record can be used as an item (the domain's rule, handed down)."""


class StoredItems(Mapping[str, Any]):
    """The records of a tracker file by id, in the file's order; `meta` is its meta record.

    `columns` holds the indexed stored values (see `index.FIELDS`) when the file is indexed, and
    `sound` says whether every record was judged usable when it was.
    """

    def __init__(
        self,
        ids: list[str],
        fetch: Callable[[str], Any],
        meta: dict,
        columns: Mapping[str, list] | None = None,
        places: Mapping[str, int] | None = None,
        *,
        sound: bool = False,
    ) -> None:
        self.ids = ids
        self._fetch = fetch
        self.meta = meta
        self.columns = columns
        self.places = places
        """Each id's place in `ids` (and in the columns), when the file is indexed."""
        self.sound = sound

    @classmethod
    def parsed(cls, records: dict[str, Any], meta: dict) -> StoredItems:
        """Records already parsed (a whole file's)."""
        return cls(list(records), records.__getitem__, meta)

    @classmethod
    def laid_out(cls, lay: Layout, meta: dict, found: index.Index) -> StoredItems:
        """The records of a laid-out file, parsed one at a time as they are asked for."""
        at = dict(zip(lay.ids, range(len(lay.ids)), strict=True))
        return cls(lay.ids, lambda i: lay.record(at[i]), meta, found.columns, at, sound=found.sound)

    def __getitem__(self, item_id: str) -> Any:
        return self._fetch(item_id)  # KeyError for an id not in the file

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)


def read(store: Store, judge: Judge) -> StoredItems:
    """The records of the store's file as they are now, through its index where it has one."""
    try:
        handle = open(store.path, "rb")
    except OSError:
        store.read_bytes()  # names the fault in one line
        raise
    status = os.fstat(handle.fileno())
    found = index.load(store.file, status)
    if found is not None:
        known = found.layout(_text(handle, status.st_size))
        return StoredItems.laid_out(known, _meta(known, store), found)
    raw = handle.read()
    made = _indexed(raw, status, store, judge)
    if made is None:
        handle.close()
        return _whole(raw, store)
    del raw  # the records are read again from the file as they are used, not held here
    built, meta = made
    if index.settled(status):
        index.save(store.file, built)
    return StoredItems.laid_out(built.layout(_text(handle, status.st_size)), meta, built)


def _indexed(raw: bytes, status: os.stat_result, store: Store, judge: Judge) -> tuple[index.Index, dict] | None:
    """The index of a file as `serialize` lays it out, reading each record once, and its meta record;
    None for another layout or a fault (read whole, the file names its fault as it always has)."""
    lay = layout(raw)
    if lay is None:
        return None
    try:
        return index.build(status, lay, (lay.record(k) for k in range(len(lay.ids))), judge), _meta(lay, store)
    except (orjson.JSONDecodeError, StoreError):
        return None


class FileText:
    """The text of an open file, read a piece at a time where it is sliced (what `Layout` reads records from).

    A record is read alone; when records are read in the file's order, as a view that builds
    every item reads them, the next megabyte is read at once. The file stays open, so a writer
    that replaces it meanwhile changes nothing read here; nothing of it stays in memory but the
    piece last read.
    """

    AHEAD = 1 << 20

    def __init__(self, handle: BinaryIO, size: int) -> None:
        self._handle = handle
        self._size = size
        self._piece = b""
        self._at = 0

    def __getitem__(self, part: slice) -> bytes:
        start = part.start
        stop = self._size if part.stop is None else part.stop
        end = self._at + len(self._piece)
        if not (self._at <= start and stop <= end):
            following = 0 <= start - end < 256  # the next record, a few lines on
            length = max(stop - start, self.AHEAD if following else 0)
            self._piece = os.pread(self._handle.fileno(), length, start)
            self._at = start
        return self._piece[start - self._at : stop - self._at]


def _text(handle: BinaryIO, size: int) -> Any:
    """The file's text, read as it is used, or whole on Windows: there an open file cannot be
    replaced, and a reading command may stay open behind a pager."""
    if not windows():
        return FileText(handle, size)
    with handle:
        handle.seek(0)
        return memoryview(handle.read())


def _meta(lay: Layout, store: Store) -> dict:
    """The meta record of a laid-out file; StoreError when its tables are not those of a current
    tracker (read whole, the file then names its fault, or is migrated)."""
    tables = lay.other_tables()
    data = {**tables, "items": {}}
    check_tables(data, store.path)
    version = data[META][META_DOC]["schema_version"]
    if version != SCHEMA_VERSION:
        raise StoreError(f"{store.path}: schema {version}")
    return data[META][META_DOC]


def _whole(raw: bytes, store: Store) -> StoredItems:
    """The records of a file parsed whole (any layout; an older schema migrated as the store does)."""
    data = parse(raw, store.path)
    if schema_version(data) < SCHEMA_VERSION:
        data = store.data()
    records, meta = stored(data)
    return StoredItems.parsed(records, meta)


class Session:
    """One change to the tracker file, made under its lock, through TinyDB: the records read, and the
    records to save."""

    def __init__(self, storage: TrackerStorage, db: TinyDB) -> None:
        self._storage, self._db = storage, db
        self.records = StoredItems.parsed(*stored(storage.read()))
        self.sound = False

    def save(
        self, changed: Mapping[str, dict], removed: Collection[str], meta: Mapping[str, Any], *, sound: bool = False
    ) -> None:
        """Replace the `changed` records, remove the `removed` ones, set the meta record; written at the end.
        `sound`: every record was checked usable as an item (the file written is then indexed)."""
        apply_changes(self._db, changed, removed, meta)
        self.sound = sound

    def write(self) -> None:
        """Write the saved changes, if any, and index the file written when every record was checked."""
        written = self._storage.flush()
        if written is not None and self.sound:
            index_written(self._storage.store, written, stored(self._storage.read())[0])


class Splicing:
    """One change to a file its index describes, made under the lock: the records saved are spliced
    into the file's text (`fileformat.spliced`), so that adding one item to 100,000 neither parses
    nor writes out the others anew; the index is brought up to date with the file."""

    def __init__(self, store: Store, lay: Layout, found: index.Index) -> None:
        self.store = store
        self._layout = lay
        self._index = found
        self.records = StoredItems.laid_out(lay, _meta(lay, store), found)
        self._changes: tuple[Mapping[str, dict], Collection[str], Mapping[str, Any]] | None = None

    def save(
        self, changed: Mapping[str, dict], removed: Collection[str], meta: Mapping[str, Any], *, sound: bool = False
    ) -> None:
        """Replace the `changed` records, remove the `removed` ones, set the meta record; written at the end.
        (`sound` is the index's already: every record was judged when it was made.)"""
        self._changes = (changed, removed, meta)

    def write(self) -> None:
        """Write the saved changes, if any, as TinyDB's tables would hold them (see `store.apply_changes`)."""
        if self._changes is None:
            return
        changed, removed, meta = self._changes
        tables = self._layout.other_tables()
        tables[META][META_DOC] = {**tables[META][META_DOC], **meta, "schema_version": SCHEMA_VERSION}
        steps = plan(self._layout.ids, changed, removed)
        made = spliced(self._layout, steps, changed, tables)
        if made is None:  # no item is left: the file is its other tables
            self.store.write(serialize({ITEMS: {}, **tables}))
            return
        payload, lay = made
        self.store.write(payload)
        status = os.stat(self.store.file)
        index.save(self.store.file, index.after(self._index, steps, changed, lay, status))


def splicing(store: Store) -> Splicing | None:
    """A change through the file's index, when it has one that describes it (call it under the lock)."""
    try:
        with open(store.file, "rb") as handle:
            found = index.load(store.file, os.fstat(handle.fileno()))
            if found is None:
                return None
            raw = memoryview(handle.read())
        return Splicing(store, found.layout(raw), found)
    except (OSError, orjson.JSONDecodeError, StoreError):
        return None


def index_written(store: Store, payload: bytes, records: Mapping[str, Any]) -> None:
    """Index the file a writer has just written whole from `records`, every one of them checked
    (so that the commands after it read it through the index, as after a change spliced in)."""
    lay = layout(payload)
    if lay is not None:
        index.save(store.file, index.build(os.stat(store.file), lay, (records[i] for i in lay.ids), None))
