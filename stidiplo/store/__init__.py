"""The tracker file: locked, atomic, backed-up reads and writes of a TinyDB JSON file.

The bottom layer and the only module that imports tinydb. It imports nothing of stidiplo but
the errors, the file layout (`schema`), its text (`fileformat`), the atomic writer (`files`), the
backups, the records read one at a time and the index; it knows records, never items or trackers.

TinyDB is used through its documented extension points ("Extending TinyDB"): `TrackerStorage`
is a `Storage` that parses the file once, holds the lock while a change is made and writes the
result once, deterministically and atomically, after a backup; the tables' document ids are the
items' own random ids (the table class's `document_id_class`; a record inserted without one gets a
random one). Items live in the table `items`; the table `meta` holds the schema version and the
date the statuses describe.
"""

from __future__ import annotations

import errno
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinydb import TinyDB
from tinydb.storages import MemoryStorage, Storage
from tinydb.table import Document, Table

from stidiplo.errors import StoreError
from stidiplo.schema import ITEMS, META, META_DOC, SCHEMA_VERSION
from stidiplo.store.fileformat import migrate, parse, schema_version, serialize

if TYPE_CHECKING:
    from filelock import BaseFileLock

    from stidiplo.store.records import Session, Splicing, StoredItems


LOCK_TIMEOUT = 15.0
_READ_ONLY_FOLDER = (errno.EACCES, errno.EPERM, errno.EROFS)
_MISSING = "{}: no such tracker file (create one with `stidiplo init`)"
_A_FOLDER = "{}: is a folder, not a tracker file"


class TrackerTable(Table):
    """A TinyDB table keyed by the items' own random ids, strings (TinyDB's `document_id_class` hook).

    TinyDB numbers a record inserted without an id 1, 2, 3 …; here it gets a fresh random id
    like every item, so `insert` and `insert_multiple` work on the tracker's tables as on any.
    """

    document_id_class = str  # type: ignore[assignment]  # TinyDB's hints say int; the hook takes any class

    def insert(self, document: Mapping) -> Any:
        return super().insert(_with_id(document))

    def insert_multiple(self, documents: Iterable[Mapping]) -> list[Any]:
        return super().insert_multiple(_with_id(d) for d in documents)


def _with_id(document: Mapping) -> Document:
    """The document as TinyDB inserts it: with its own id, or a fresh random one."""
    return document if isinstance(document, Document) else Document(document, doc_id=_doc_id(uuid.uuid4().hex))


def _doc_id(item_id: str) -> Any:
    """An item id as TinyDB's methods take it (their hints say int, which `document_id_class` overrides)."""
    return item_id


class TrackerDB(TinyDB):
    """TinyDB with the tracker's table class (TinyDB's `table_class` hook)."""

    table_class = TrackerTable


def apply_changes(db: TinyDB, changed: Mapping[str, dict], removed: Collection[str], meta: Mapping[str, Any]) -> None:
    """Replace the `changed` records, remove the `removed` ones and update the meta record, through TinyDB."""
    items = db.table(ITEMS)
    replaced = [_doc_id(i) for i in (*changed, *removed) if items.contains(doc_id=_doc_id(i))]
    if replaced:
        items.remove(doc_ids=replaced)
    if changed:
        items.insert_multiple([Document(changed[i], doc_id=_doc_id(i)) for i in sorted(changed)])
    db.table(META).upsert(Document({**meta, "schema_version": SCHEMA_VERSION}, doc_id=_doc_id(META_DOC)))


def changed_data(
    data: dict | None, changed: Mapping[str, dict], removed: Collection[str], meta: Mapping[str, Any]
) -> dict:
    """File data with records changed and removed (a new file's data when `data` is None), in memory."""
    db = TrackerDB(storage=MemoryStorage)
    db.storage.write(data if data is not None else {ITEMS: {}, META: {META_DOC: {}}})
    apply_changes(db, changed, removed, meta)
    return db.storage.read() or {}


class TrackerStorage(Storage):
    """TinyDB's storage of one tracker file.

    `read` parses the file once (and migrates an older schema, after a backup); `write` keeps
    TinyDB's tables in memory, like TinyDB's CachingMiddleware, and `flush` writes them once: the
    deterministic JSON, through the atomic writer, after a backup. It holds the store's lock from
    its creation to `close`, so that a change is made to the version it read; unflushed changes are
    dropped at `close`, so a failed command writes nothing.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._data: dict | None = None
        self._changed = False
        self._lock: _Lock | None = store.lock()
        self._lock.acquire()

    def read(self) -> dict:
        if self._data is None:
            self._data = self.store.current_data()
        return self._data

    def write(self, data: dict) -> None:
        self._data = data
        self._changed = True

    def flush(self) -> bytes | None:
        """Write the tables if they changed (after a backup of the version they replace); the bytes written."""
        if not self._changed or self._data is None:
            return None
        payload = serialize(self._data)
        self.store.write(payload)
        self._changed = False
        return payload

    def close(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None


class _Lock:
    """The tracker's lock file; where the folder cannot hold one, a read-only stand-in (nobody can write there)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.file_lock: BaseFileLock | None = None
        self.created_home = False

    def acquire(self) -> None:
        from filelock import FileLock, Timeout

        store = self.store
        self.created_home = not store.home.exists()
        try:
            store.prepare_home()
        except OSError as err:
            if err.errno in _READ_ONLY_FOLDER and store.file.is_file():
                store.read_only = True
                return
            raise StoreError(f"{store.path}: cannot prepare {store.home}: {err.strerror}") from None
        lock = FileLock(store.home / "lock", timeout=LOCK_TIMEOUT)
        try:
            lock.acquire()
        except Timeout:
            raise StoreError(
                f"{store.path}: locked by another stidiplo for over {LOCK_TIMEOUT:.0f} s; try again"
            ) from None
        except OSError as err:
            raise StoreError(f"{store.path}: cannot lock {lock.lock_file}: {err.strerror}") from None
        self.file_lock = lock

    def release(self) -> None:
        if self.file_lock is not None:
            self.file_lock.release()
            self.file_lock = None
        if self.created_home and self.store.unreadable:
            self.store.forget_home()

    def __enter__(self) -> _Lock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class Store:
    """One tracker file, and the folder of its lock and backups beside it (beside the real file, for a link)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        """The file as the user named it (used in every message)."""
        try:
            self.file = path.resolve() if path.is_symlink() else path
        except (OSError, RuntimeError):
            raise StoreError(f"{path}: its symbolic links never reach a file") from None
        """The file itself, at the end of any symbolic links: replaced by writes, with the lock beside it."""
        self.home = self.file.parent / f".{self.file.name}.stidiplo"
        self.backups = self.home / "backups"
        self.read_only = False
        """Set when the folder cannot hold a lock: the file may be read, never written."""
        self.unreadable = False
        """Set when reading under the lock failed (no tracker there): a lock folder made for it is removed."""

    def read_bytes(self) -> bytes:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            raise StoreError(_MISSING.format(self.path)) from None
        except IsADirectoryError:
            raise StoreError(_A_FOLDER.format(self.path)) from None
        except OSError as err:
            raise StoreError(f"{self.path}: cannot read: {err.strerror}") from None

    def data(self) -> dict:
        """The file's parsed data, read without the lock: replaces are atomic, so any read sees a whole file.

        A file of an older schema is migrated first (under the lock, after a backup), or in memory
        only where its folder is read-only.
        """
        data = parse(self.read_bytes(), self.path)
        if schema_version(data) < SCHEMA_VERSION:
            with self.lock():
                return self.current_data()
        return data

    def records(self, judge: Callable[[Any], bool]) -> StoredItems:
        """The items' records as they are now, each parsed when asked for, through the file's index
        where it has one (`judge` says whether a record is usable as an item; see `store.records`)."""
        from stidiplo.store.records import read

        return read(self, judge)

    def snapshot(self) -> tuple[bytes, dict]:
        """One version of the file, without the lock: its bytes and their data (an older schema migrated
        in memory only). For reading commands that need the bytes too, such as `check`."""
        raw = self.read_bytes()
        data = parse(raw, self.path)
        return raw, data if schema_version(data) == SCHEMA_VERSION else migrate(data, self.path)

    def current_data(self) -> dict:
        """Parse the file and migrate it if needed; the caller holds the lock (it is not reentrant)."""
        try:
            data = parse(self.read_bytes(), self.path)
        except StoreError:
            self.unreadable = True
            raise
        version = schema_version(data)
        if version < SCHEMA_VERSION:
            data = migrate(data, self.path)
            if not self.read_only:
                self.write(serialize(data), backup_mark=f"schema{version}")
        return data

    @contextmanager
    def session(self) -> Iterator[Session | Splicing]:
        """Lock, re-read, let the caller save records, then write the file once if they changed.

        A file its index describes is changed by splicing the saved records into its text
        (`store.records.Splicing`); any other is read and written whole through TinyDB.
        """
        from stidiplo.files import READ_ONLY, is_read_only
        from stidiplo.store.records import Session, splicing

        self.refuse_missing()
        if is_read_only(self.file):
            raise StoreError(self._cannot_write(READ_ONLY))
        db = TrackerDB(storage=TrackerStorage, store=self)
        storage = db.storage
        assert isinstance(storage, TrackerStorage)
        try:
            change = splicing(self) or Session(storage, db)
            yield change
            change.write()
        finally:
            db.close()

    def refuse_missing(self) -> None:
        """Refuse a file that is missing or a folder, before anything is created beside it."""
        if not self.file.exists():
            raise StoreError(_MISSING.format(self.path))
        if self.file.is_dir():
            raise StoreError(_A_FOLDER.format(self.path))

    def lock(self) -> _Lock:
        """The lock every change takes (a context manager; not reentrant)."""
        return _Lock(self)

    def prepare_home(self) -> None:
        """Create the folder of the lock and backups, which git is told to ignore."""
        self.backups.mkdir(parents=True, exist_ok=True)
        ignore = self.home / ".gitignore"
        if not ignore.exists():  # a two-line marker, not the user's data: a plain write is enough
            ignore.write_text("# stidiplo's lock and backups: never committed\n*\n", encoding="utf-8")

    def forget_home(self) -> None:
        """Remove the lock folder this command created for a file that turned out not to be a tracker."""
        for leftover in (self.home / "lock", self.home / ".gitignore"):
            leftover.unlink(missing_ok=True)
        for folder in (self.backups, self.home):
            try:
                folder.rmdir()
            except OSError:
                return

    def write(self, payload: bytes, *, backup_mark: str = "") -> Path | None:
        """Atomically replace the file with `payload`, keeping the old version as a backup.

        Call it under `lock()`. The file is replaced through `files.write_atomic`; a failure at any
        step leaves the old file, and the backups, as they were. Temporary files a killed writer
        left behind are removed first. Returns the backup of the replaced version (None when there
        was no file).
        """
        from stidiplo.files import WriteError, remove_stale_temporaries, write_atomic
        from stidiplo.store import backups

        if self.read_only:
            raise StoreError(f"{self.path}: cannot write: its folder is read-only; the file is unchanged")
        bounds = backups.limits()  # a bad setting refuses the write before anything is touched
        try:
            remove_stale_temporaries(self.path)
            kept = self.keep_backup(backup_mark) if self.file.exists() else None
        except (OSError, WriteError) as err:
            raise StoreError(self._cannot_write(err.reason if isinstance(err, WriteError) else err.strerror)) from None
        try:
            write_atomic(self.path, payload)
        except BaseException as err:
            if kept is not None:
                kept.unlink(missing_ok=True)
            if isinstance(err, WriteError):
                raise StoreError(self._cannot_write(err.reason)) from None
            raise
        backups.compress_later(self.file, backups.tidy(self.backups, bounds))
        return kept

    def _cannot_write(self, reason: str | None) -> str:
        """The one line a failed write of the tracker ends with."""
        from stidiplo.files import READ_ONLY

        if reason == READ_ONLY:
            return f"{self.path}: cannot write: the file is read-only; the file is unchanged"
        return f"{self.path}: cannot write ({reason}); the file is unchanged"

    def keep_backup(self, mark: str = "") -> Path:
        """Keep the current file as the newest backup (see `store.backups`)."""
        from stidiplo.store import backups

        self.prepare_home()
        return backups.keep(self.file, self.backups, mark)

    def list_backups(self) -> list[Path]:
        """Backups, newest first."""
        from stidiplo.store import backups

        return backups.listed(self.backups)

    def backup_bytes(self, backup: Path) -> bytes:
        """A backup's content as it was written (uncompressed)."""
        from stidiplo.store import backups

        return backups.read(backup)

    def read_backup(self, backup: Path) -> dict:
        """A backup's parsed data, migrated in memory to the current schema."""
        return self.backup_version(backup)[1]

    def backup_version(self, backup: Path) -> tuple[bytes, dict]:
        """The bytes that bring a backup back (as they are, or migrated when of an older schema) and
        their data, parsed once."""
        raw = self.backup_bytes(backup)
        data = parse(raw, backup)
        if schema_version(data) == SCHEMA_VERSION:
            return raw, data
        data = migrate(data, backup)
        return serialize(data), data

    def mark_backup(self, backup: Path, mark: str) -> None:
        """Rename a backup to carry `mark` (e.g. restored), keeping its time; gone already is fine."""
        from stidiplo.store import backups

        backups.rename(backup, mark)
