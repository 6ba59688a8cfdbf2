"""Crash safety: a writer killed at any moment, or a write that fails, never costs a reported change."""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stidiplo.store import Store
from tests.helpers import ROOT, fixture_items, item, write_tracker

KILLS = 30

ADDER = """
import sys
from typer.testing import CliRunner
from stidiplo.cli import app
db, prefix = sys.argv[1], sys.argv[2]
runner = CliRunner()
print("ready", flush=True)
n = 0
while True:
    title = f"{prefix}-{n}"
    result = runner.invoke(app, ["--db", db, "add", "-k", "event", "-t", title, "-d", "2018", "-c", "SE"])
    if result.exit_code != 0:
        print("failed:", result.output.replace("\\n", " "), flush=True)
        sys.exit(1)
    print(title, flush=True)
    n += 1
"""


@pytest.fixture
def big_db(tmp_path: Path) -> Path:
    """A tracker of a few hundred items, so that each write takes long enough to be interrupted."""
    fillers = [
        item(f"filler-{n}", kind="event", title=f"Filler event {n} " * 4, date="2018-05", countries=["SE"])
        for n in range(300)
    ]
    return write_tracker(tmp_path / "db.json", [*fixture_items(), *fillers])


def titles_in(path: Path) -> set[str]:
    return {record["title"] for record in json.loads(path.read_bytes())["items"].values()}


@pytest.mark.slow
def test_killed_writers_lose_no_reported_add(run, big_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(20190430)
    reported: set[str] = set()
    monkeypatch.setattr("stidiplo.store.LOCK_TIMEOUT", 0)  # one try: a killed writer never leaves the lock held
    for kill in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", ADDER, str(big_db), f"k{kill}"], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        assert child.stdout.readline() == "ready\n"
        first = child.stdout.readline()  # one add reported, however slow the machine: each kill has one to lose
        assert first.endswith("\n"), "the writer stopped before its first add"
        time.sleep(rng.uniform(0.0, 0.25))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        lines = [first.rstrip("\n"), *child.stdout.read().split("\n")[:-1]]  # the last piece is unfinished or ""
        child.stdout.close()
        assert not [line for line in lines if line.startswith("failed:")], lines
        reported.update(lines)
        present = titles_in(big_db)
        assert reported <= present, f"kill {kill}: lost {sorted(reported - present)}"
        check = run("--db", str(big_db), "check")
        assert check.exit_code == 0, check
    result = run("--db", str(big_db), "add", "-k", "event", "-t", "after the kills", "-d", "2018", "-c", "SE")
    assert result.exit_code == 0
    assert not list(big_db.parent.glob(f".{big_db.name}.*.tmp")), "temporary files of killed writers remain"
    store = Store(big_db)
    for backup in store.list_backups():
        store.read_backup(backup)
    assert not list(store.backups.glob("*.part")) and not list(store.backups.glob(".*.tmp"))


def failing_fdopen(code: int, message: str):
    real = os.fdopen

    class Failing:
        def __init__(self, fd: int, *args: object) -> None:
            self.file = real(fd, *args)

        def __enter__(self) -> Failing:
            return self

        def __exit__(self, *exc: object) -> None:
            self.file.close()

        def write(self, data: bytes) -> int:
            self.file.write(data[: len(data) // 2])
            raise OSError(code, message)

    return Failing


def assert_refused_and_intact(result, db: Path, before: bytes, backups: list[Path], says: str) -> None:
    assert result.exit_code == 1
    assert result.stderr == f"stidiplo: {db}: cannot write ({says}); the file is unchanged\n"
    assert db.read_bytes() == before
    assert not list(db.parent.glob(f".{db.name}.*.tmp"))
    assert Store(db).list_backups() == backups


def test_disk_full_leaves_the_file_and_says_so(run, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run("note", fixture_items()[1].id[:6], "a first change, so that a backup exists")
    before, backups = db.read_bytes(), Store(db).list_backups()
    monkeypatch.setattr("os.fdopen", failing_fdopen(errno.ENOSPC, "No space left on device"))
    result = run("add", "-k", "event", "-t", "x", "-d", "2018", "-c", "SE")
    assert_refused_and_intact(result, db, before, backups, "No space left on device")


def test_a_real_file_size_limit_leaves_the_file(db: Path) -> None:
    """The operating system refuses the write (RLIMIT_FSIZE): a real failure, not a simulated one."""
    limited = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({db.stat().st_size}, {db.stat().st_size}))\n"
        "from stidiplo.cli import main\n"
        "sys.argv = ['stidiplo', *sys.argv[1:]]\n"
        "main()\n"
    )
    before = db.read_bytes()
    args = ["--db", str(db), "add", "-k", "event", "-t", "x" * 2000, "-d", "2018", "-c", "SE"]
    done = subprocess.run([sys.executable, "-c", limited, *args], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done
    assert done.stderr == f"stidiplo: {db}: cannot write (File too large); the file is unchanged\n"
    assert db.read_bytes() == before
    assert not list(db.parent.glob(f".{db.name}.*.tmp"))


def test_permission_denied_simulated(run, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root bypasses file permissions, so the refusal is simulated where the temporary file is made."""
    before = db.read_bytes()

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    result = run("edit", fixture_items()[1].id[:6], "--status", "dropped")
    assert_refused_and_intact(result, db, before, [], "Permission denied")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_permission_denied_for_real(run, db: Path) -> None:
    Store(db).list_backups()
    with Store(db).lock():
        pass
    before = db.read_bytes()
    db.parent.chmod(0o500)
    try:
        result = run("edit", fixture_items()[1].id[:6], "--status", "dropped")
    finally:
        db.parent.chmod(0o700)
    assert_refused_and_intact(result, db, before, [], "Permission denied")


def test_a_failed_backup_copy_leaves_no_torn_backup(run, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where hard links fail the backup is copied; a copy that runs out of space halfway is removed, not kept."""
    before = db.read_bytes()

    def no_link(*_args: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr("os.link", no_link)
    monkeypatch.setattr("os.fdopen", failing_fdopen(errno.ENOSPC, "No space left on device"))
    result = run("note", fixture_items()[1].id[:6], "x")
    assert_refused_and_intact(result, db, before, [], "No space left on device")
    assert list(Store(db).backups.iterdir()) == []
