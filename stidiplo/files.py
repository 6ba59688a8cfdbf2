"""Writing a file so that a failure never leaves it half-written: the one place the tool replaces a file.

Everything stidiplo writes (the tracker, its backups, `-o` outputs, merge results) goes through
`write_atomic`: the bytes go to a temporary file in the target's folder, are flushed and fsynced,
and the temporary file is renamed over the target, then the folder is fsynced. A symbolic link is
written through to the file it names. A replaced file keeps its mode and, where the user may set
it, its group; a new file gets the mode the umask allows, as any other tool's would.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from stidiplo.errors import StidiploError
from stidiplo.system import windows


class WriteError(StidiploError):
    """A file could not be written; the message names the file as the user gave it."""


def real_target(path: Path) -> Path:
    """The file a write to `path` must replace: the end of its symbolic links, if any."""
    return path.resolve() if path.is_symlink() else path


def new_file_mode() -> int:
    """The mode a new regular file gets under the current umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: Path, payload: bytes, *, what: str = "") -> None:
    """Replace `path` with `payload` atomically; raise WriteError with one line on any failure.

    `what` names the file in the message (for example "the tracker"); the path is always named
    as the caller gave it, never the temporary file.
    """
    target = real_target(path)
    label = f"{path} ({what})" if what else str(path)
    folder = target.parent
    if not folder.is_dir():
        raise WriteError(f"cannot write {label}: the folder {folder} does not exist")
    old = _stat(target)
    if old is not None and not os.access(target, os.W_OK):
        raise WriteError(f"cannot write {label}: the file is read-only; it is unchanged")
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        _keep_attributes(tmp, old)
        replace_file(tmp, target)
        tmp = None
        fsync_folder(folder)
    except OSError as err:
        raise WriteError(f"cannot write {label}: {err.strerror or err}; it is unchanged") from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except FileNotFoundError:
        return None


def _keep_attributes(tmp: str, old: os.stat_result | None) -> None:
    """Give the temporary file the mode (and group) of the file it replaces, or the umask's mode."""
    if old is None:
        os.chmod(tmp, new_file_mode())
        return
    if hasattr(os, "chown"):
        try:
            os.chown(tmp, -1, old.st_gid)
        except OSError:
            pass  # not a member of that group: the file takes the user's, as any editor's save would
    os.chmod(tmp, old.st_mode & 0o7777)


REPLACE_RETRIES = (0.05, 0.1, 0.2, 0.4, 0.8)
"""Seconds to wait before each new try of a replace that Windows refused because the file is open."""


def replace_file(tmp: str, target: Path) -> None:
    """Rename `tmp` over `target`. On Windows a file another program holds open (a reader, a virus
    scanner, Excel) refuses for a moment: try again for about a second and a half, then say so."""
    for delay in (*REPLACE_RETRIES, None):
        try:
            os.replace(tmp, target)
            return
        except PermissionError as err:
            if not windows():
                raise
            if delay is None:
                raise PermissionError(err.errno, "another program has it open; close it and try again") from None
            time.sleep(delay)


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable; a no-op on Windows, where folders cannot be opened."""
    if windows():
        return
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
