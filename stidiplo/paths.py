"""Where the tracker file is: one place that decides, and says which rule chose it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from stidiplo.errors import StoreError, UsageError
from stidiplo.system import platform_folder

ENV_DB = "STIDIPLO_DB"
TEAM_FILE = Path("data") / "db.json"


class Location(NamedTuple):  # a named tuple, not a dataclass, which would cost every command half a millisecond
    """The tracker file, and the rule that chose it (shown by `stidiplo where`)."""

    path: Path
    rule: str


def shipped_dataset() -> Path:
    """The dataset that ships: inside the installed package, or at the source tree's data/db.json."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data" / "db.json", here.parent / "data" / "db.json"):
        if candidate.is_file():
            return candidate
    raise StoreError("the shipped dataset is missing from this installation; reinstall stidiplo")


def user_db() -> Path:
    return platform_folder("data") / "db.json"


def find_team_db(start: Path) -> Path | None:
    """The nearest data/db.json in `start` or a folder above it, as git finds .git."""
    for folder in (start, *start.parents):
        candidate = folder / TEAM_FILE
        if candidate.is_file():
            return candidate
    return None


def locate(option: str | None, cwd: Path | None = None) -> Location:
    """--db, then $STIDIPLO_DB, then the nearest data/db.json, then the settings file's `db`, then the per-user file."""
    if option:
        return Location(Path(option).expanduser(), "--db option")
    env = os.environ.get(ENV_DB)
    if env:
        return Location(Path(env).expanduser(), f"${ENV_DB}")
    team = find_team_db((cwd or Path.cwd()).resolve())
    if team is not None:
        return Location(team, "nearest data/db.json above the current folder")
    from stidiplo.config import config_path, from_file

    configured = from_file("db")
    if configured is not None:  # a relative path is taken from the settings file's folder
        return Location(config_path().parent / Path(str(configured.value)).expanduser(), configured.origin)
    return Location(user_db(), "per-user data file")


def ensure_user_db(location: Location) -> bool:
    """Create the per-user file from the shipped dataset on first use; whether it was created now."""
    if location.rule != "per-user data file" or location.path.exists():
        return False
    from stidiplo.files import write_atomic

    try:
        location.path.parent.mkdir(parents=True, exist_ok=True)
        payload = shipped_dataset().read_bytes()
    except OSError as err:
        raise StoreError(f"cannot create {location.path}: {err.strerror}") from None
    write_atomic(location.path, payload, what="the per-user tracker")
    return True


def refuse_tracker_paths(target: Path, tracker: Path) -> None:
    """Refuse to write `target` when it is the tracker file `tracker`, one of its backups, or anything in
    its lock folder, however the path names it: relative, through symbolic links, or a hard link.

    The one rule every `-o FILE` and `init` obeys, so that no report ever replaces the data it
    reports on. Paths are compared resolved, and existing files by device and inode.
    """
    from stidiplo.store import Store

    store = Store(tracker)
    real, home = _resolved(tracker), _resolved(store.home)
    wanted = _resolved(target.expanduser())
    if wanted == real or _same_file(target, tracker):
        raise UsageError(f"{target} is the tracker file in use ({tracker}); write to another file")
    inside = wanted == home or home in wanted.parents
    if inside or any(_same_file(target, kept) for kept in _files_in(store.home)):
        raise UsageError(f"{target} is in the tracker's lock and backups folder ({store.home}); write to another file")


def _resolved(path: Path) -> Path:
    """`path` made absolute with every symbolic link followed, as far as the links exist."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop of links: compared as written
        return path.absolute()


def _same_file(a: Path, b: Path) -> bool:
    """Whether two existing paths are one file (a hard or symbolic link): the same device and inode."""
    try:
        first, second = a.stat(), b.stat()
    except (OSError, RuntimeError):
        return False
    return (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)


def _files_in(folder: Path) -> list[Path]:
    """Every file in `folder` and below it (none when it does not exist)."""
    try:
        return [path for path in folder.rglob("*") if path.is_file()]
    except OSError:
        return []
