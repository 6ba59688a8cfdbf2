"""The tracker file: locked, atomic, backed-up reads and writes of a TinyDB JSON file.

The only module that knows the file format or imports tinydb. Items live in the table
`items`, keyed by their random id (TinyDB's sequential ids are never used); the table
`meta` holds the schema version and the date the statuses describe.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from stidiplo.errors import StoreError
from stidiplo.model import SCHEMA_VERSION, Item
from stidiplo.tracker import Tracker

ITEMS, META, META_DOC = "items", "meta", "stidiplo"
KEEP_BACKUPS = 20
LOCK_TIMEOUT = 15.0
_JSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


class _ItemTable(Table):
    document_id_class = str


class _MemoryStorage(Storage):
    """TinyDB storage over data already parsed; the Store does the file I/O once per command."""

    def __init__(self, data: dict) -> None:
        self.data = data

    def read(self) -> dict:
        return self.data

    def write(self, data: dict) -> None:
        self.data = data


def _tinydb(data: dict) -> TinyDB:
    db = TinyDB(storage=_MemoryStorage, data=data)
    db.table_class = _ItemTable
    return db


def serialize(data: dict) -> bytes:
    """The deterministic on-disk form: UTF-8, indented, keys sorted, one trailing newline."""
    return orjson.dumps(data, option=_JSON_OPTIONS) + b"\n"


def parse(raw: bytes, path: Path) -> dict:
    """Parse a tracker file's bytes, naming the file and position of any fault."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as err:
        raise StoreError(f"{path}: not valid JSON at line {err.lineno}, column {err.colno}: {err.msg}") from None
    if not isinstance(data, dict) or not isinstance(data.get(META), dict) or META_DOC not in data[META]:
        raise StoreError(f"{path}: not a stidiplo tracker (no {META}.{META_DOC} record); refusing to use it")
    version = data[META][META_DOC].get("schema_version")
    if not isinstance(version, int):
        raise StoreError(f"{path}: the schema version is missing or malformed")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: written by a newer stidiplo (schema {version}; this one knows {SCHEMA_VERSION}); "
            "upgrade stidiplo to use it"
        )
    if not isinstance(data.get(ITEMS, {}), dict):
        raise StoreError(f"{path}: the items table is malformed")
    return data


def tracker_from_data(data: dict) -> Tracker:
    """Build the domain view of parsed file data."""
    items = {doc.doc_id: Item.from_record(doc.doc_id, doc) for doc in _tinydb(data).table(ITEMS)}
    return Tracker(items, dict(data[META][META_DOC]))


def data_from_tracker(tracker: Tracker, data: dict | None = None) -> dict:
    """Apply the tracker's changes to file data (a fresh file when `data` is None) through TinyDB."""
    if data is None:
        data = {ITEMS: {}, META: {META_DOC: {}}}
        changed, removed = set(tracker.items), set()
    else:
        changed, removed = tracker.changed_ids, tracker.removed_ids
    db = _tinydb(data)
    items = db.table(ITEMS)
    gone = [i for i in (changed | removed) if i in data.get(ITEMS, {})]
    if gone:
        items.remove(doc_ids=gone)
    fresh = [Document(tracker.items[i].to_record(), doc_id=i) for i in sorted(changed) if i in tracker.items]
    if fresh:
        items.insert_multiple(fresh)
    db.table(META).upsert(Document({**tracker.meta, "schema_version": SCHEMA_VERSION}, doc_id=META_DOC))
    return db.storage.data


class Store:
    """One tracker file and the folder of its lock and backups beside it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.home = path.parent / f".{path.name}.stidiplo"
        self.backups = self.home / "backups"

    def read_bytes(self) -> bytes:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            raise StoreError(f"{self.path}: no such tracker file (create one with `stidiplo init`)") from None
        except OSError as err:
            raise StoreError(f"{self.path}: cannot read: {err.strerror}") from None

    def load(self) -> Tracker:
        """Read the tracker once, without a lock: replaces are atomic, so any read sees a whole file."""
        return tracker_from_data(parse(self.read_bytes(), self.path))

    @contextmanager
    def transaction(self) -> Iterator[Tracker]:
        """Lock, re-read, let the caller change the tracker, then write it once if it changed."""
        with self.lock():
            data = parse(self.read_bytes(), self.path)
            tracker = tracker_from_data(data)
            yield tracker
            if tracker.changed_ids or tracker.removed_ids or tracker.meta_changed:
                self.write(serialize(data_from_tracker(tracker, data)))

    @contextmanager
    def lock(self) -> Iterator[None]:
        from filelock import FileLock, Timeout

        self._prepare_home()
        lock = FileLock(self.home / "lock", timeout=LOCK_TIMEOUT)
        try:
            with lock:
                yield
        except Timeout:
            raise StoreError(
                f"{self.path}: locked by another stidiplo for over {LOCK_TIMEOUT:.0f} s; try again"
            ) from None

    def _prepare_home(self) -> None:
        try:
            self.backups.mkdir(parents=True, exist_ok=True)
            ignore = self.home / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# stidiplo's lock and backups: never committed\n*\n", encoding="utf-8")
        except OSError as err:
            raise StoreError(f"{self.path}: cannot prepare {self.home}: {err.strerror}") from None

    def write(self, payload: bytes) -> None:
        """Atomically replace the file with `payload`, keeping the old version as a backup.

        The new content is written to a temporary file in the same folder, flushed and fsynced,
        then renamed over the tracker; a failure at any step leaves the old file as it was.
        """
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
            with os.fdopen(fd, "wb") as out:
                out.write(payload)
                out.flush()
                os.fsync(out.fileno())
            if self.path.exists():
                os.chmod(tmp, self.path.stat().st_mode & 0o777)
                self.keep_backup()
            os.replace(tmp, self.path)
            tmp = None
            _fsync_dir(self.path.parent)
        except OSError as err:
            raise StoreError(
                f"{self.path}: cannot write ({err.strerror}); the file is unchanged"
            ) from None
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)

    def keep_backup(self, suffix: str = "") -> Path:
        """Keep the current file as the newest backup, and drop the oldest beyond the limit."""
        self._prepare_home()
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
        target = self.backups / f"{stamp}{suffix}.json"
        try:
            os.link(self.path, target)
        except OSError:
            import shutil

            shutil.copy2(self.path, target)
        for old in self.list_backups()[KEEP_BACKUPS:]:
            old.unlink(missing_ok=True)
        return target

    def list_backups(self) -> list[Path]:
        """Backups, newest first."""
        if not self.backups.is_dir():
            return []
        return sorted(self.backups.glob("*.json"), reverse=True)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
