"""Writing a file so that a failure never leaves it half-written: the one place the tool replaces a file.

Everything stidiplo writes (the tracker, its backups, `-o` outputs, merge results) goes through
`write_atomic`: the bytes go to a temporary file in the target's folder, are flushed and fsynced,
and the temporary file is renamed over the target, then the folder is fsynced. A symbolic link is
written through to the file it names, and stays a link. A replaced file keeps its mode, its group
(where the user may set it) and, for root, its owner; a new file gets the mode the umask allows,
as any other tool's would. A read-only file is refused, never replaced.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

from stidiplo.errors import StidiploError
from stidiplo.system import windows

TEMP_SUFFIX = ".tmp"
"""Temporary files are named `.<target name>.<random>.tmp`, in the target's folder."""
READ_ONLY = "the file is read-only"
"""The reason a WriteError gives for a file nobody may change."""


class WriteError(StidiploError):
    """A file could not be written; the message names the file as the user gave it, never a temporary file."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message
        """Why, in a few words (the system's "No space left on device"), for callers that name the file otherwise."""


def real_target(path: Path) -> Path:
    """The file a write to `path` must replace: the end of its symbolic links, if any."""
    if not path.is_symlink():
        return path
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        raise WriteError(f"cannot write {path}: its symbolic links never reach a file") from None


def new_file_mode() -> int:
    """The mode a new regular file gets under the current umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def is_read_only(path: Path) -> bool:
    """Whether `path` is a file its user may not change: no write permission for anyone, or not for us.

    The mode is looked at too, because root may write any file and still expects chmod 444 to mean
    "do not change this".
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return False
    return not mode & 0o222 or not os.access(path, os.W_OK)


def write_atomic(path: Path, payload: bytes, *, what: str = "") -> None:
    """Replace `path` with `payload` atomically; raise WriteError with one line on any failure.

    The message reads "cannot write PATH (WHAT): REASON; it is unchanged", `what` naming the file
    (for example "the merged tracker"), the path as the caller gave it, never the temporary file;
    `WriteError.reason` holds REASON alone. On any failure the file is as it was and no temporary
    file is left behind.
    """
    target = real_target(path)
    old = _stat(target)
    label = f"{path} ({what})" if what else str(path)
    unchanged = "it is unchanged" if old is not None else "nothing was written"
    if old is not None and stat.S_ISDIR(old.st_mode):
        raise WriteError(f"cannot write {label}: it is a folder", "it is a folder")
    if not target.parent.is_dir():
        raise WriteError(f"cannot write {label}: the folder {target.parent} does not exist", "no such folder")
    if old is not None and is_read_only(target):
        raise WriteError(f"cannot write {label}: the file is read-only; {unchanged}", READ_ONLY)
    try:
        _replace(target, payload, old)
    except OSError as err:
        reason = err.strerror or str(err)
        raise WriteError(f"cannot write {label}: {reason}; {unchanged}", reason) from None


def _replace(target: Path, payload: bytes, old: os.stat_result | None) -> None:
    import tempfile

    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX)
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        _keep_attributes(tmp, old)
        replace_file(tmp, target)
        tmp = None
        fsync_folder(target.parent)
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def remove_stale_temporaries(path: Path) -> None:
    """Remove the temporary files a killed writer left beside `path`; call it only under the file's lock."""
    target = real_target(path)
    for stale in target.parent.glob(f".{target.name}.*{TEMP_SUFFIX}"):
        stale.unlink(missing_ok=True)


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except FileNotFoundError:
        return None


def _keep_attributes(tmp: str, old: os.stat_result | None) -> None:
    """Give the temporary file the mode, group and owner of the file it replaces, or the umask's mode."""
    if old is None:
        os.chmod(tmp, new_file_mode())
        return
    if hasattr(os, "chown"):
        for uid in (old.st_uid, -1):
            try:
                os.chown(tmp, uid, old.st_gid)
                break
            except OSError:
                continue  # not root, or not a member of that group: the file takes ours, as an editor's save would
    os.chmod(tmp, stat.S_IMODE(old.st_mode))


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
