"""The backups kept beside a tracker: named by when they were superseded, bounded, older ones compressed.

A backup is named `<time>[-<mark>].json`, the time (UTC, to the microsecond) when the version
it holds was replaced, and a mark when it is special: `undone` (a file an undo replaced),
`restored` (a backup an undo brought back), `schemaN` (before a migration). The newest backup is
kept as it is, a hard link to the replaced file where the file system allows it, so that undo
brings it back at once; older ones of 1 MB or more are compressed with gzip (`.json.gz`, a sixth
to a tenth of the size; smaller ones would save less than the time spent flushing them to disk),
by a background process once the write's command has ended (`compress_later`).
The backups are bounded both by count and by total size on disk, the newest always kept:
$STIDIPLO_BACKUPS_KEEP, else `backups.keep` in the settings file (default 20), and
$STIDIPLO_BACKUPS_MAX_MB, else `backups.max_mb` (default 200).
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from stidiplo.errors import StoreError, UsageError

PLAIN = 1
"""How many of the newest backups stay uncompressed."""
COMPRESS_FROM = 1_000_000
"""Backups smaller than this (in bytes) stay uncompressed."""
UNDONE, RESTORED = "undone", "restored"
PLAIN_SUFFIX, GZIP_SUFFIX = ".json", ".json.gz"
_STAMP = "%Y%m%dT%H%M%S.%fZ"
_GZIP_LEVEL = 3
"""Fast and still small: 104 MB of tracker become 15 MB in 0.45 s (level 6: 13 MB in 0.85 s)."""


def limits() -> tuple[int, int]:
    """(how many backups, how many bytes in all) may be kept: the settings `backups.keep` and
    `backups.max_mb`, from $STIDIPLO_BACKUPS_KEEP and $STIDIPLO_BACKUPS_MAX_MB, the settings file or
    the defaults (see stidiplo.config)."""
    from stidiplo.config import number

    try:
        return number("backups.keep"), number("backups.max_mb") * 1_000_000
    except UsageError as err:
        raise StoreError(f"{err}; nothing was written") from None


def bare_name(name: str) -> str:
    """A backup's name without `.json` or `.json.gz` (a name given as `<time>.gz` too)."""
    return name.removesuffix(".gz").removesuffix(PLAIN_SUFFIX)


def _parts(backup: Path) -> tuple[str, str]:
    """(time stamp, mark) from a backup's name."""
    stamp, _, mark = bare_name(backup.name).partition("-")
    return stamp, mark


def backup_mark(backup: Path) -> str:
    """The mark in a backup's name (undone, restored, schemaN), or "" for an ordinary backup."""
    return _parts(backup)[1]


def backup_time(backup: Path) -> datetime | None:
    """When the backed-up version was superseded, from the backup's name."""
    try:
        return datetime.strptime(_parts(backup)[0], _STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None


def is_compressed(backup: Path) -> bool:
    return backup.name.endswith(GZIP_SUFFIX)


def listed(folder: Path) -> list[Path]:
    """The backups in `folder`, newest first; a compressed copy whose original is still there is left out."""
    if not folder.is_dir():
        return []
    plain = {p.name for p in folder.glob(f"*{PLAIN_SUFFIX}")}
    found = [p for p in folder.glob(f"*{GZIP_SUFFIX}") if p.name.removesuffix(".gz") not in plain]
    found += [folder / name for name in plain]
    return sorted(found, key=lambda p: _parts(p), reverse=True)


def read(backup: Path) -> bytes:
    """A backup's content, uncompressed; StoreError naming the backup when it cannot be read."""
    try:
        raw = backup.read_bytes()
        return gzip.decompress(raw) if is_compressed(backup) else raw
    except OSError as err:
        raise StoreError(f"{backup}: cannot read: {err.strerror or err}") from None
    except (EOFError, gzip.BadGzipFile):
        raise StoreError(f"{backup}: the compressed backup is damaged") from None


def keep(source: Path, folder: Path, mark: str = "") -> Path:
    """Keep `source` as the newest backup in `folder`: a hard link, else a copy through the atomic writer."""
    from stidiplo.files import write_atomic

    stamp = datetime.now(UTC).strftime(_STAMP)
    target = folder / f"{stamp}{'-' + mark if mark else ''}{PLAIN_SUFFIX}"
    try:
        os.link(source, target)
    except OSError:
        write_atomic(target, source.read_bytes())
    return target


def rename(backup: Path, mark: str) -> Path:
    """Give a backup `mark` (e.g. restored), keeping its time and form; gone already is fine.

    A plain backup compressed since it was listed is found in its compressed form.
    """
    if not backup.exists() and not is_compressed(backup):
        backup = backup.with_name(backup.name + ".gz")
    stamp, _ = _parts(backup)
    suffix = GZIP_SUFFIX if is_compressed(backup) else PLAIN_SUFFIX
    renamed = backup.with_name(f"{stamp}-{mark}{suffix}")
    try:
        backup.rename(renamed)
    except FileNotFoundError:
        pass
    except OSError as err:
        raise StoreError(f"{backup}: cannot rename: {err.strerror}") from None
    return renamed


def waiting(folder: Path, backups: list[Path] | None = None) -> list[Path]:
    """The backups due for compression: plain, of COMPRESS_FROM bytes or more, older than the newest PLAIN."""
    found = listed(folder) if backups is None else backups
    return [b for b in found[PLAIN:] if not is_compressed(b) and _size(b) >= COMPRESS_FROM]


def tidy(folder: Path, bounds: tuple[int, int] | None = None) -> list[Path]:
    """Drop the oldest backups beyond the count and the total size (`bounds`, else `limits()`), the
    newest always kept; return the backups waiting for compression.

    Called under the tracker's lock after a successful write, and by the background compression
    once it has compressed. A backup waiting for compression counts for nothing against the size
    here: the compression that follows the write shrinks it, then applies the size limit itself.
    """
    count, budget = limits() if bounds is None else bounds
    for stale in folder.glob(".*.tmp"):  # left by a writer killed while compressing
        stale.unlink(missing_ok=True)
    backups = listed(folder)
    for old in backups[count:]:
        old.unlink(missing_ok=True)
    backups = backups[:count]
    pending = waiting(folder, backups)
    total = 0
    for at, backup in enumerate(backups):
        total += 0 if backup in pending else _size(backup)
        if at > 0 and total > budget:
            for old in backups[at:]:
                old.unlink(missing_ok=True)
            return [b for b in pending if b not in backups[at:]]
    return pending


_STARTED: list[subprocess.Popen] = []
"""The background compressions this process started (see `settle`)."""


def compress_later(tracker: Path, pending: list[Path]) -> None:
    """Compress `pending`, the backups a write made older, in a process of their own after this command ends.

    Like `git gc --auto`: the command does not wait for it. The process is detached (its own
    session, no terminal, no output) and takes the tracker's lock only to put each compressed
    backup in place of the plain one, so an undo, restore or write meanwhile is never disturbed;
    a backup renamed or removed meanwhile is left alone, and one it could not finish is taken up
    by the next write's.
    """
    if not pending:
        return
    _STARTED.append(
        subprocess.Popen(
            [sys.executable, "-m", __name__, str(tracker)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
        )
    )


def settle() -> None:
    """Wait for the background compressions this process started (for callers that must see them done)."""
    while _STARTED:
        _STARTED.pop().wait()


def compress_waiting(tracker: Path) -> None:
    """Compress every backup waiting for it, each outside the lock and put in place under it; then tidy."""
    from stidiplo.store import Store

    store = Store(tracker)
    for backup in waiting(store.backups):
        try:
            packed = _gzip(backup.read_bytes())
        except OSError:
            continue
        with store.lock():
            if backup.exists():
                _compressed(backup, packed)
    with store.lock():
        tidy(store.backups)


def _gzip(raw: bytes) -> bytes:
    return gzip.compress(raw, compresslevel=_GZIP_LEVEL, mtime=0)


def _size(backup: Path) -> int:
    try:
        return backup.stat().st_size
    except FileNotFoundError:
        return 0


def _compressed(backup: Path, made: bytes | None = None) -> Path:
    """Replace a plain backup by its gzip form (whole, then the plain one removed); the path kept."""
    from stidiplo.files import WriteError, write_atomic

    packed = backup.with_name(backup.name + ".gz")
    try:
        write_atomic(packed, made if made is not None else _gzip(backup.read_bytes()))
    except (OSError, WriteError):
        return backup
    backup.unlink(missing_ok=True)
    return packed


def main(arguments: list[str]) -> int:
    """The background compression (`compress_later`): the tracker's waiting backups, at a low priority,
    so that the commands a person runs meanwhile come first."""
    if hasattr(os, "nice"):
        os.nice(10)
    try:
        compress_waiting(Path(arguments[0]))
    except (StoreError, OSError):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
