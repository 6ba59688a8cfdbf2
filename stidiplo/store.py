"""The tracker file: locked, atomic, backed-up reads and writes of a TinyDB JSON file.

The only module that knows the file format or imports tinydb. Items live in the table
`items`, keyed by their random id (TinyDB's sequential ids are never used); the table
`meta` holds the schema version and the date the statuses describe.

A file written by an older schema is migrated when opened, after a backup of it is kept;
every write keeps the version it replaces in a bounded set of backups beside the file,
named by the time they were superseded and, when they are special, a mark: `undone` (a file
an undo replaced), `restored` (a backup an undo brought back), `schemaN` (before a migration).
"""

from __future__ import annotations

import gc
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from stidiplo.errors import StoreError, ValidationError
from stidiplo.model import SCHEMA_VERSION, Item, now
from stidiplo.tracker import ItemMap, Tracker

ITEMS, META, META_DOC = "items", "meta", "stidiplo"
KEEP_BACKUPS = 20
LOCK_TIMEOUT = 15.0
_JSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
_STAMP = "%Y%m%dT%H%M%S.%fZ"
UNDONE, RESTORED = "undone", "restored"


class _ItemTable(Table):
    """A TinyDB table keyed by the items' own string ids.

    TinyDB converts every id of a table to its id class and back on each change, two copies of
    the whole table; the ids here are strings already, so the table is changed where it is
    (at 100,000 items the copies cost 40 ms of every write).
    """

    document_id_class = str

    def _update_table(self, updater: Callable[[dict], None]) -> None:
        tables = self._storage.read()
        updater(tables.setdefault(self.name, {}))
        self._storage.write(tables)
        self.clear_cache()


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
    return orjson.dumps(data, option=_JSON_OPTIONS | orjson.OPT_APPEND_NEWLINE)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a whole tracker is built.

    Parsed records and items hold no reference cycles, yet each of their millions of objects
    counts towards the next collection, which scans them all again: with the collector on,
    loading 100,000 items took three times as long.
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
    """Schema 1 held one meeting in `follows` and sources as text; schema 2 holds lists and source objects.

    Each readable record is rewritten in the new form (new fields empty); one that cannot be read
    is left for `stidiplo check` to report.
    """
    items = data.get(ITEMS, {})
    for item_id, record in items.items():
        try:
            items[item_id] = Item.from_record(item_id, record).to_record()
        except ValidationError:
            continue
    return data


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


def item_records(data: dict) -> dict:
    """The stored records of parsed file data, by id, exactly as found (for checking them)."""
    return data.get(ITEMS, {})


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


def backup_mark(backup: Path) -> str:
    """The mark in a backup's name (undone, restored, schemaN), or "" for an ordinary backup."""
    _, _, mark = backup.stem.partition("-")
    return mark


def backup_time(backup: Path) -> datetime | None:
    """When the backed-up version was superseded, from the backup's name."""
    try:
        return datetime.strptime(backup.stem.partition("-")[0], _STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None


def tracker_from_data(data: dict) -> Tracker:
    """Build the domain view of parsed file data; each item is built from its record when used.

    The items table is read as the JSON object it is stored as: a TinyDB Document per record
    would cost a copy of every record and add nothing (TinyDB writes the tables).
    """
    return Tracker(ItemMap.of_records(item_records(data)), dict(data[META][META_DOC]))


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
        """Read the tracker once, without a lock: replaces are atomic, so any read sees a whole file.

        A file of an older schema is migrated first (under the lock, after a backup).
        """
        data = parse(self.read_bytes(), self.path)
        if schema_version(data) < SCHEMA_VERSION:
            data = self.read_data()
        return tracker_from_data(data)

    def read_data(self) -> dict:
        """The file's parsed data, under the lock, migrated (and saved so) if its schema is older."""
        with self.lock():
            return self.current_data()

    def current_data(self) -> dict:
        """Parse the file and migrate it if needed; the caller holds the lock (it is not reentrant)."""
        data = parse(self.read_bytes(), self.path)
        version = schema_version(data)
        if version < SCHEMA_VERSION:
            data = migrate(data, self.path)
            self.write(serialize(data), backup_mark=f"schema{version}")
        return data

    def read_backup(self, backup: Path) -> dict:
        """A backup's parsed data, migrated in memory to the current schema."""
        return parse(self.backup_payload(backup), backup)

    def backup_payload(self, backup: Path) -> bytes:
        """The bytes that bring a backup back: as they are, or migrated when of an older schema."""
        try:
            raw = backup.read_bytes()
        except OSError as err:
            raise StoreError(f"{backup}: cannot read: {err.strerror}") from None
        data = parse(raw, backup)
        if schema_version(data) == SCHEMA_VERSION:
            return raw
        return serialize(migrate(data, backup))

    @contextmanager
    def transaction(self) -> Iterator[Tracker]:
        """Lock, re-read, let the caller change the tracker, then write it once if it changed."""
        with self.lock():
            data = self.current_data()
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
            lock.acquire()
        except Timeout:
            raise StoreError(
                f"{self.path}: locked by another stidiplo for over {LOCK_TIMEOUT:.0f} s; try again"
            ) from None
        except OSError as err:
            raise StoreError(f"{self.path}: cannot lock {lock.lock_file}: {err.strerror}") from None
        try:
            yield
        finally:
            lock.release()

    def _prepare_home(self) -> None:
        try:
            self.backups.mkdir(parents=True, exist_ok=True)
            ignore = self.home / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# stidiplo's lock and backups: never committed\n*\n", encoding="utf-8")
        except OSError as err:
            raise StoreError(f"{self.path}: cannot prepare {self.home}: {err.strerror}") from None

    def write(self, payload: bytes, *, backup_mark: str = "") -> Path | None:
        """Atomically replace the file with `payload`, keeping the old version as a backup.

        Call it under `lock()`. The new content is written to a temporary file in the same folder,
        flushed and fsynced, then renamed over the tracker; a failure at any step leaves the old
        file as it was. Temporary files a killed writer left behind are removed first.
        Returns the backup of the replaced version (None when there was no file).
        """
        tmp, kept = None, None
        try:
            for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):
                stale.unlink(missing_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
            with os.fdopen(fd, "wb") as out:
                out.write(payload)
                out.flush()
                os.fsync(out.fileno())
            if self.path.exists():
                os.chmod(tmp, self.path.stat().st_mode & 0o777)
                kept = self.keep_backup(f"-{backup_mark}" if backup_mark else "")
            os.replace(tmp, self.path)
            tmp = None
            _fsync_dir(self.path.parent)
        except OSError as err:
            raise StoreError(f"{self.path}: cannot write ({err.strerror}); the file is unchanged") from None
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
        return kept

    def keep_backup(self, suffix: str = "") -> Path:
        """Keep the current file as the newest backup, and drop the oldest beyond the limit.

        A hard link costs no space; where links fail, a copy is made under a partial name and
        renamed when whole, so no backup is ever a torn file.
        """
        self._prepare_home()
        stamp = datetime.now(UTC).strftime(_STAMP)
        target = self.backups / f"{stamp}{suffix}.json"
        try:
            os.link(self.path, target)
        except OSError:
            import shutil

            partial = target.with_suffix(".part")
            try:
                shutil.copy2(self.path, partial)
                os.replace(partial, target)
            finally:
                partial.unlink(missing_ok=True)
        for old in self.list_backups()[KEEP_BACKUPS:]:
            old.unlink(missing_ok=True)
        return target

    def list_backups(self) -> list[Path]:
        """Backups, newest first."""
        if not self.backups.is_dir():
            return []
        return sorted(self.backups.glob("*.json"), reverse=True)

    def mark_backup(self, backup: Path, mark: str) -> None:
        """Rename a backup to carry `mark` (e.g. restored), keeping its time; gone already is fine."""
        try:
            backup.rename(backup.with_name(f"{backup.stem.partition('-')[0]}-{mark}.json"))
        except FileNotFoundError:
            pass
        except OSError as err:
            raise StoreError(f"{backup}: cannot rename: {err.strerror}") from None


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
