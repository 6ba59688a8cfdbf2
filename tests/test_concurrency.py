"""Concurrency: processes adding and editing at once lose nothing, and no reader sees half a file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stidiplo.store import Store, index
from stidiplo.tracker_file import load
from tests.helpers import ROOT, fixed_id

WRITERS = 8
ADDS = 8
TARGET = fixed_id("erc")
EDITS = [
    ["--place", "Place 0"],
    ["--participants", "Participants 1"],
    ["--add-country", "DK"],
    ["--add-field", "quantum"],
    ["--add-org", "Org 4"],
    ["--add-person", "Person 5"],
    ["--add-source", "https://example.org/6"],
    ["--title-en", "English title 7"],
]
"""One edit per writer, each of a different field of the same item."""

WRITER = """
import sys
from typer.testing import CliRunner
from stidiplo.cli import app
db, writer, target, adds, edit = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:]
runner = CliRunner()

def run(*args):
    result = runner.invoke(app, ["--db", db, *args])
    if result.exit_code != 0:
        sys.exit(f"writer {writer}: {args[0]} failed: {result.output}")

print("ready", flush=True)
sys.stdin.readline()
for n in range(adds):
    run("add", "-k", "event", "-t", f"w{writer}-{n}", "-d", "2018", "-c", "SE")
    if n == 2:
        run("edit", target, *edit)
    if n == 5:
        run("note", target, f"note from writer {writer}")
"""

READER = """
import sys
from pathlib import Path
import orjson
from stidiplo.store import Store
from stidiplo.tracker_file import load
path, stop = Path(sys.argv[1]), Path(sys.argv[2])
reads = torn = 0
print("ready", flush=True)
while not stop.exists():
    try:
        orjson.loads(path.read_bytes())
        if reads % 10 == 0:
            load(Store(path))
    except Exception as err:
        torn += 1
        print("torn:", err, file=sys.stderr)
    reads += 1
print(reads, torn)
"""


@pytest.mark.slow
@pytest.mark.parametrize("indexed", [False, True], ids=["read whole", "through the index"])
def test_writers_at_once_lose_no_add_and_no_edit(
    run, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, indexed: bool
) -> None:
    if indexed:  # settled and read once: every change is spliced in, and the index kept up to date
        os.utime(db, (time.time() - 3600,) * 2)
        load(Store(db))
        assert index.load(db, os.stat(db)) is not None
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db), str(stop)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), str(w), TARGET[:8], str(ADDS), *EDITS[w]],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(WRITERS)
    ]
    assert reader.stdout.readline() == "ready\n"
    for writer in writers:
        assert writer.stdout.readline() == "ready\n"
    for writer in writers:
        writer.stdin.write("go\n")
        writer.stdin.flush()
    outcomes = [writer.communicate(timeout=120) for writer in writers]
    stop.touch()
    reads, torn = map(int, reader.communicate(timeout=30)[0].split())
    assert [w.returncode for w in writers] == [0] * WRITERS, [err for _, err in outcomes]
    assert torn == 0 and reads > 0

    data = json.loads(db.read_text(encoding="utf-8"))["items"]
    titles = {record["title"] for record in data.values()}
    assert {f"w{w}-{n}" for w in range(WRITERS) for n in range(ADDS)} <= titles
    assert len(data) == 8 + WRITERS * ADDS
    target = data[TARGET]
    assert target["place"] == "Place 0"
    assert target["participants"] == "Participants 1"
    assert "DK" in target["countries"]
    assert "quantum" in target["fields"]
    assert "Org 4" in target["organizations"]
    assert target["people"] == ["Person 5"]
    assert [s["document"] for s in target["sources"]] == ["https://example.org/6"]
    assert target["title_en"] == "English title 7"
    assert sorted(n["text"] for n in target["notes"]) == [f"note from writer {w}" for w in range(WRITERS)]
    assert run("check").exit_code == 0
    if indexed:
        assert index.load(db, os.stat(db)) is not None, "the last writer indexed the file it wrote"
        assert list(load(Store(db)).items) == sorted(data)
    monkeypatch.setattr("stidiplo.store.LOCK_TIMEOUT", 0)  # one try: every writer let go of the lock
    with Store(db).lock():
        pass


HOLDER = """
import sys, time
from pathlib import Path
from stidiplo.store import Store
with Store(Path(sys.argv[1])).lock():
    print("locked", flush=True)
    time.sleep(120)
"""


@pytest.fixture
def holder(db: Path):
    process = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline() == "locked\n"
    yield process
    process.kill()
    process.wait(timeout=10)
    process.stdout.close()


def test_a_live_lock_makes_others_wait_then_give_up_cleanly(
    run, db: Path, holder: subprocess.Popen, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("stidiplo.store.LOCK_TIMEOUT", 0.3)
    before = db.read_bytes()
    result = run("add", "-k", "event", "-t", "x", "-d", "2018", "-c", "SE")
    assert result.exit_code == 1
    assert result.stderr == f"stidiplo: {db}: locked by another stidiplo for over 0 s; try again\n"
    assert db.read_bytes() == before
    assert run("list", "--format", "json").exit_code == 0, "reading needs no lock"


def test_a_lock_held_by_a_killed_process_is_released(
    run, db: Path, holder: subprocess.Popen, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("stidiplo.store.LOCK_TIMEOUT", 0.3)
    assert run("note", TARGET[:6], "blocked").exit_code == 1
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    monkeypatch.setattr("stidiplo.store.LOCK_TIMEOUT", 0)  # one try: the dead holder's lock is free at once
    with Store(db).lock():
        pass
    assert run("note", TARGET[:6], "after the crash").exit_code == 0
