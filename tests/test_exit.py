"""The program ends without tearing the interpreter down: its outputs and the tracker are whole first."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

from stidiplo.store import Store
from tests.helpers import fixed_id, fixture_items, item, write_tracker

if TYPE_CHECKING:
    from pathlib import Path


def stidiplo(db: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """The installed program in a process of its own, as a user runs it."""
    env = {**os.environ, "STIDIPLO_TODAY": "2019-04-30", "STIDIPLO_LANG": "en", "COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-m", "stidiplo", "--db", str(db), *args], capture_output=True, env=env, timeout=120
    )


def tracker(tmp_path: Path) -> Path:
    fillers = [item(f"filler-{n}", kind="event", title=f"Workshop number {n}", date="2018-05") for n in range(3000)]
    return write_tracker(tmp_path / "db.json", [*fixture_items(), *fillers])


def test_a_long_output_to_a_pipe_is_whole(tmp_path: Path) -> None:
    db = tracker(tmp_path)
    listed = stidiplo(db, "list", "--format", "json")
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 3000 + len(fixture_items())
    table = stidiplo(db, "list")
    assert table.returncode == 0 and table.stdout.decode().count("Workshop number") == 3000
    assert table.stdout.endswith(b"\n")


def test_a_write_and_its_file_output_are_whole_and_synced_before_the_end(tmp_path: Path) -> None:
    db = tracker(tmp_path)
    before = db.read_bytes()
    added = stidiplo(
        db,
        "add",
        "--kind",
        "event",
        "--title",
        "Japan–Sweden quantum workshop",
        "--date",
        "2019-05-20",
        "--country",
        "SE",
    )
    assert added.returncode == 0 and added.stdout.endswith(b"\n")
    short = added.stdout.decode().strip()  # the new item's id, printed after the write
    records = json.loads(db.read_bytes())["items"]
    assert [r["title"] for k, r in records.items() if k.startswith(short)] == ["Japan–Sweden quantum workshop"]
    backups = Store(db).list_backups()
    assert len(backups) == 1 and backups[0].read_bytes() == before
    written = stidiplo(db, "timeline", "--format", "csv", "-o", str(tmp_path / "out.csv"))
    assert written.returncode == 0 and written.stdout.startswith(b"wrote ")
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").count("\n") == 3002 + len(fixture_items())


def test_a_failure_keeps_its_status_and_its_message(tmp_path: Path) -> None:
    failed = stidiplo(tracker(tmp_path), "show", fixed_id("nothing-like-it")[:8])
    assert failed.returncode == 1 and failed.stderr.strip() and failed.stdout == b""
