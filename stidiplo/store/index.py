"""The tracker's index: where each item's record lies in the file, and the fields listings filter by.

A listing of one country's items need not parse 100,000 records to show 50: the index says where
each record lies in the file and holds the few stored values a filter looks at, so that only the
records shown are parsed. It is kept between commands in the user's cache folder, one file per
tracker (reading commands create nothing beside a tracker), and trusted only while the tracker is
the very file it was made from: the same size, inode, device, and modification and change times,
one of which every write changes. A file changed less than a second before a reader would index
it is left unindexed, as a change within the same tick of the clock could not be told apart.
Writers, which hold the tracker's lock, index the file they have just written.

Losing the index costs time, never data: a missing, unreadable or stale one is made anew.
"""

from __future__ import annotations

import binascii
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from stidiplo.store.fileformat import Layout, Plan, collector_paused

FIELDS = ("kind", "status", "countries", "fields", "follows", "related", "date")
"""The stored values the index holds for every item, as they are stored."""
VERSION = 1
"""Bumped whenever what the index holds, or the rule that judges records, changes."""
SETTLED = 1.0
"""Seconds since its last change after which a file's times tell any later change apart."""
ENV_CACHE = "STIDIPLO_CACHE"
"""A folder for the index instead of the platform's cache folder."""


class Columns(Mapping[str, list]):
    """The stored values of FIELDS for every item, in the order of the ids; each column is decoded
    from its distinct values (see `_encoded`) the first time it is used."""

    def __init__(self, kept: dict[str, dict[str, list]], decoded: dict[str, list] | None = None) -> None:
        self.kept = kept
        self._decoded = decoded or {}

    def __getitem__(self, name: str) -> list:
        column = self._decoded.get(name)
        if column is None:
            values = self.kept[name]["values"]
            column = self._decoded[name] = [values[code] for code in self.kept[name]["codes"]]
        return column

    def __iter__(self) -> Iterator[str]:
        return iter(self.kept)

    def __len__(self) -> int:
        return len(self.kept)


class Index:
    """The places of a file's records, the stored values of FIELDS for each, and the file they describe."""

    __slots__ = ("columns", "ends", "fingerprint", "ids", "sound", "starts", "tail")

    def __init__(self, fingerprint: list[int], lay: Layout, columns: Columns, *, sound: bool) -> None:
        self.fingerprint = fingerprint
        self.ids, self.starts, self.ends, self.tail = lay.ids, lay.starts, lay.ends, lay.tail
        self.columns = columns
        """Each of FIELDS → its stored value for every item, in the order of `ids` (None where absent)."""
        self.sound = sound
        """Whether every record was judged usable as an item when the index was made."""

    def layout(self, raw: Any) -> Layout:
        """The records' places over `raw`, the text of the file this index describes."""
        return Layout(raw, self.ids, self.starts, self.ends, self.tail)


def fingerprint(status: os.stat_result) -> list[int]:
    """What tells one version of a file from another without reading it."""
    return [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev]


def settled(status: os.stat_result) -> bool:
    """Whether a file last changed long enough ago that its times would show a later change."""
    return time.time() - status.st_mtime > SETTLED


def build(status: os.stat_result, lay: Layout, records: Iterable[Any], judge: Callable[[Any], bool] | None) -> Index:
    """The index of a laid-out file from its records, in the layout's order, taken one at a time (a
    record read from the file raises orjson.JSONDecodeError when it is not JSON). `judge` says whether
    a record can be used as an item; None when every one is known to be (a writer checked them all)."""
    columns: dict[str, list] = {name: [] for name in FIELDS}
    appends = [columns[name].append for name in FIELDS]
    sound = True
    with collector_paused():
        for record in records:
            if type(record) is dict:
                get = record.get
                for name, append in zip(FIELDS, appends, strict=True):
                    append(get(name))
            else:
                for append in appends:
                    append(None)
            sound = sound and (judge is None or judge(record))
    kept = {name: _encoded(columns[name]) for name in FIELDS}
    return Index(fingerprint(status), lay, Columns(kept, columns), sound=sound)


def after(old: Index, steps: Plan, changed: Mapping[str, Any], lay: Layout, status: os.stat_result) -> Index:
    """The index of a file spliced from the one `old` describes (see `fileformat.spliced`): the unchanged
    items keep their codes, each changed record's value is added to the distinct values."""
    kept: dict[str, dict[str, list]] = {}
    for name in FIELDS:
        values = list(old.columns.kept[name]["values"])
        before = old.columns.kept[name]["codes"]
        codes: list[int] = []
        for step in steps:
            if isinstance(step, str):
                record = changed[step]
                codes.append(len(values))
                values.append(record.get(name) if type(record) is dict else None)
            else:
                codes += before[step[0] : step[1]]
        kept[name] = {"values": values, "codes": codes}
    return Index(fingerprint(status), lay, Columns(kept), sound=old.sound)


def _encoded(column: list) -> dict[str, list]:
    """A column as each of its distinct values once and, for each item, which of them it holds.

    Items share few kinds, statuses, dates and sets of countries: read back, each distinct value
    is one object however many items hold it, which keeps the index at 100,000 items to a fifth
    of the memory (and the time to read it to about half).
    """
    values: list = []
    found: dict[object, int] = {}
    seen: dict[int, int] = {}  # by object: a column read back holds each distinct value once
    codes = []
    for value in column:
        code = seen.get(id(value))
        if code is None:
            key = value if value is None or type(value) is str else orjson.dumps(value)
            code = found.get(key)
            if code is None:
                code = found[key] = len(values)
                values.append(value)
            seen[id(value)] = code
        codes.append(code)
    return {"values": values, "codes": codes}


def cache_file(tracker: Path) -> Path:
    """Where the index of a tracker file is kept: $STIDIPLO_CACHE, else the platform's cache folder.

    Named by a checksum of the file's full path: two trackers that share a name could only make
    each other's index stale, never wrong, as an index is used only for the very file it describes.
    """
    from stidiplo.system import platform_folder

    chosen = os.environ.get(ENV_CACHE)
    folder = Path(chosen).expanduser() if chosen else platform_folder("cache")
    where = os.fsencode(tracker.resolve())
    return folder / "index" / f"{binascii.crc32(where):08x}-{tracker.name}"


def load(tracker: Path, status: os.stat_result) -> Index | None:
    """The index of `tracker` as it is now (`status`), or None when there is none that describes it."""
    try:
        kept = orjson.loads(cache_file(tracker).read_bytes())
        if kept["version"] != VERSION or kept["fingerprint"] != fingerprint(status):
            return None
        lay = Layout(b"", kept["ids"], kept["starts"], kept["ends"], kept["tail"])
        columns = Columns({name: kept["columns"][name] for name in FIELDS})
        return Index(kept["fingerprint"], lay, columns, sound=kept["sound"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(tracker: Path, index: Index) -> None:
    """Keep `index` for the next command; a cache that cannot be written is done without.

    Nothing is kept once the tracker has changed since the index was made: a reader slow to index
    an older version would otherwise replace the index a writer has just made of the newer one.
    """
    from stidiplo.files import WriteError, write_atomic

    try:
        if fingerprint(os.stat(tracker)) != index.fingerprint:
            return
    except OSError:
        return
    where = cache_file(tracker)
    kept = {
        "version": VERSION,
        "fingerprint": index.fingerprint,
        "ids": index.ids,
        "starts": index.starts,
        "ends": index.ends,
        "tail": index.tail,
        "columns": index.columns.kept,
        "sound": index.sound,
    }
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(where, orjson.dumps(kept))
    except (OSError, WriteError):
        return
