"""Going back: what changed between two versions of the tracker, undo, and restoring a backup.

Every write keeps the version it replaced as a backup (see `store.backups`). `undo` brings back the
newest ordinary backup and keeps the file it replaces as a backup marked `undone`; the backup it
brought back is marked `restored`, so the next undo walks one step further back. Marked backups
are never chosen by undo, but `restore` brings back any backup, as an ordinary change.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path

from stidiplo.errors import ConflictMarkersError, NotFoundError, StidiploError
from stidiplo.model import Item
from stidiplo.store import Store
from stidiplo.store.backups import RESTORED, UNDONE, backup_mark, backup_time, bare_name
from stidiplo.tracker import DamagedItemError, Tracker
from stidiplo.tracker_file import load, tracker_from_data

_COMPARED = tuple(f.name for f in fields(Item) if f.name not in ("id", "updated"))


@dataclass(frozen=True)
class Change:
    """One item that differs between two versions: added, removed or changed (which fields)."""

    item: Item
    short: str
    change: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Diff:
    """What turns one version of the tracker into another."""

    changes: list[Change]
    meta: tuple[str, ...]

    def count(self, change: str) -> int:
        return sum(1 for c in self.changes if c.change == change)


@dataclass(frozen=True)
class Reverted:
    """The outcome of an undo or a restore: the backup brought back, the backup kept, the diff."""

    backup: Path
    kept: Path | None
    diff: Diff
    unreadable: str | None = None
    """Why the replaced file could not be read (its diff is then unknown)."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup as `stidiplo backups` shows it; `diff` is the change that replaced it."""

    index: int
    path: Path
    time: datetime | None
    mark: str
    size: int
    items: int | None
    diff: Diff | None
    problem: str | None = None


def diff(old: Tracker, new: Tracker) -> Diff:
    """The items added, removed and changed from `old` to `new`, by id; a changed stamp alone is no change."""
    both = Tracker({**old.items, **new.items}, {})
    changes = []
    for item_id in sorted(old.items.keys() | new.items.keys()):
        before, after = old.items.get(item_id), new.items.get(item_id)
        if before is None:
            if after is not None:
                changes.append(Change(after, both.short_id(item_id), "added"))
        elif after is None:
            changes.append(Change(before, both.short_id(item_id), "removed"))
        else:
            differ = tuple(name for name in _COMPARED if getattr(before, name) != getattr(after, name))
            if differ:
                changes.append(Change(after, both.short_id(item_id), "changed", differ))
    keys = (old.meta.keys() | new.meta.keys()) - {"schema_version"}
    meta = tuple(sorted(k for k in keys if old.meta.get(k) != new.meta.get(k)))
    return Diff(changes, meta)


def undo_choice(store: Store, current: bytes) -> tuple[Path, list[Path]]:
    """The backup an undo brings back, and the newer ordinary backups it passes over.

    The choice is the newest ordinary (unmarked) backup that differs from the current file;
    ordinary backups equal to the current file are passed over and consumed with it, so
    undo never brings back what is already there nor walks forward again.
    """
    passed: list[Path] = []
    for backup in store.list_backups():
        if backup_mark(backup):
            continue
        if store.backup_bytes(backup) != current:
            return backup, passed
        passed.append(backup)
    raise _nothing_to_undo(store)


def _nothing_to_undo(store: Store) -> StidiploError:
    return StidiploError(f"nothing to undo: no earlier version in {store.backups}")


def undo(store: Store) -> Reverted:
    """Revert the last change: bring back the newest ordinary backup, keeping the current file as undone."""
    if not store.list_backups():
        raise _nothing_to_undo(store)
    with store.lock():
        current, unreadable = _current(store)
        backup, passed = undo_choice(store, store.read_bytes() if store.path.exists() else b"")
        payload, earlier = _readable(store, backup)
        kept = store.write(payload, backup_mark=UNDONE)
        for consumed in (backup, *passed):
            store.mark_backup(consumed, RESTORED)
    return Reverted(backup, kept, _diff_from(current, earlier), unreadable)


def _current(store: Store) -> tuple[Tracker | None, str | None]:
    """The current tracker, every item readable, or why it cannot be read: a broken file can still be undone."""
    try:
        tracker = tracker_from_data(store.current_data())
        tracker.all()  # an item damaged by hand is found now, not halfway through the diff
        return tracker, None
    except ConflictMarkersError:
        raise  # git is merging the file: an undo would drop the local change, resolving keeps it
    except StidiploError as err:
        return None, str(err)


def _diff_from(current: Tracker | None, earlier: Tracker) -> Diff:
    found = _diff_or_none(current, earlier) if current is not None else None
    return found or Diff([], ())


def _diff_or_none(old: Tracker, new: Tracker) -> Diff | None:
    """The diff between two versions, or None when one holds an item damaged by hand."""
    try:
        return diff(old, new)
    except DamagedItemError:
        return None


def _readable(store: Store, backup: Path) -> tuple[bytes, Tracker]:
    """A backup's bytes and tracker, or an error naming the backup when it cannot be brought back."""
    try:
        payload, data = store.backup_version(backup)
        return payload, tracker_from_data(data)
    except StidiploError as err:
        raise StidiploError(
            f"backup {backup.name} cannot be brought back ({err}); choose another with `stidiplo restore`"
        ) from None


def find_backup(store: Store, ref: str) -> Path:
    """A backup by its number in `stidiplo backups` (1 = newest) or by its file name, compressed since or not."""
    backups = store.list_backups()
    key = ref.strip()
    if key.isdecimal():  # any decimal digits, full-width too; not '²', which int() refuses
        index = int(key)
        if 1 <= index <= len(backups):
            return backups[index - 1]
        raise NotFoundError(f"no backup number {key}: there are {len(backups)} (see `stidiplo backups`)")
    name = bare_name(Path(key).name)
    for backup in backups:
        if name == bare_name(backup.name):
            return backup
    raise NotFoundError(f"no backup named {ref!r} in {store.backups} (see `stidiplo backups`)")


def restore(store: Store, ref: str) -> Reverted | None:
    """Bring back a backup as an ordinary change (so undo reverts it); None when it equals the file."""
    find_backup(store, ref)
    with store.lock():
        backup = find_backup(store, ref)
        payload, earlier = _readable(store, backup)
        if payload == store.read_bytes():
            return None
        current, unreadable = _current(store)
        kept = store.write(payload)
    return Reverted(backup, kept, _diff_from(current, earlier), unreadable)


def backup_history(store: Store) -> list[BackupInfo]:
    """Every backup, newest first, with the change that replaced it (its diff to the next newer version)."""
    newer = load(store)
    history = []
    for index, path in enumerate(store.list_backups(), start=1):
        try:
            size = path.stat().st_size
            tracker = tracker_from_data(store.read_backup(path))
        except (OSError, StidiploError) as err:
            problem = err.strerror if isinstance(err, OSError) else str(err)
            history.append(BackupInfo(index, path, backup_time(path), backup_mark(path), 0, None, None, problem))
            continue
        history.append(
            BackupInfo(
                index,
                path,
                backup_time(path),
                backup_mark(path),
                size,
                len(tracker.items),
                _diff_or_none(tracker, newer),
            )
        )
        newer = tracker
    return history
