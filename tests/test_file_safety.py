"""Nothing lost on the file's own paths: links, permissions, umask, bounded backups, no leftovers from reads."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from stidiplo.store import Store, backups
from stidiplo.store.backups import settle
from tests.helpers import fixed_id, fixture_items, item, write_tracker

ADD = ("add", "-k", "event", "-t", "x", "-d", "2018", "-c", "SE")


def tree(folder: Path) -> list[str]:
    """Every path under `folder`, hidden ones included, relative to it."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def titles(path: Path) -> set[str]:
    return {r["title"] for r in json.loads(path.read_bytes())["items"].values()}


# -- a symlinked tracker -------------------------------------------------------------------------


def test_a_symlinked_tracker_is_written_through_with_lock_and_backups_beside_the_target(run, tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    real = write_tracker(tmp_path / "shared" / "db.json", fixture_items())
    link = tmp_path / "work" / "db.json"
    link.symlink_to(real)
    assert run("--db", str(link), *ADD).exit_code == 0
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert "x" in titles(real)
    assert len(Store(real).list_backups()) == 1
    assert not (link.parent / ".db.json.stidiplo").exists()
    assert run("--db", str(link), "undo").exit_code == 0
    assert link.is_symlink() and "x" not in titles(real)


# -- permissions and umask ------------------------------------------------------------------------


@pytest.mark.parametrize("command", [ADD, ("note", fixed_id("erc")[:6], "n"), ("undo",)])
def test_a_read_only_tracker_is_refused_in_one_line(run, db: Path, command: tuple[str, ...]) -> None:
    assert run("note", fixed_id("lund")[:6], "so that undo has something to do").exit_code == 0
    db.chmod(0o444)
    before, backups = db.read_bytes(), Store(db).list_backups()
    result = run(*command)
    assert result.exit_code == 1
    assert result.stderr == f"stidiplo: {db}: cannot write: the file is read-only; the file is unchanged\n"
    assert db.read_bytes() == before and stat.S_IMODE(db.stat().st_mode) == 0o444
    assert Store(db).list_backups() == backups


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file another group needs root")
def test_a_shared_trackers_mode_and_group_are_kept(run, db: Path) -> None:
    os.chown(db, -1, 4322)
    db.chmod(0o664)
    assert run(*ADD).exit_code == 0
    info = db.stat()
    assert (info.st_gid, stat.S_IMODE(info.st_mode)) == (4322, 0o664)


def test_init_honours_the_umask(run, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        assert run("init", str(tmp_path / "new.json")).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o644


# -- backups bounded and compressed ---------------------------------------------------------------


def test_backups_are_bounded_by_the_configured_count(run, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STIDIPLO_BACKUPS_KEEP", "3")
    for n in range(5):
        assert run("note", fixed_id("erc")[:6], f"n{n}").exit_code == 0
    assert len(Store(db).list_backups()) == 3


@pytest.mark.parametrize(("name", "value"), [("STIDIPLO_BACKUPS_KEEP", "0"), ("STIDIPLO_BACKUPS_MAX_MB", "lots")])
def test_a_malformed_backup_limit_is_refused_before_writing(
    run, db: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    before = db.read_bytes()
    result = run(*ADD)
    assert result.exit_code == 1 and name in result.stderr and result.stderr.count("\n") == 1
    assert db.read_bytes() == before


@pytest.fixture
def large_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tracker of about 1.3 MB, so that its backups are compressed and the size limit bites."""
    fillers = [
        item(f"filler-{n}", kind="event", title=" ".join(fixed_id(f"{n}-{k}") for k in range(12)), date="2018-05")
        for n in range(1500)
    ]
    path = write_tracker(tmp_path / "large.json", [*fixture_items(), *fillers])
    monkeypatch.setenv("STIDIPLO_DB", str(path))
    return path


def test_older_backups_are_compressed_within_the_size_limit_and_undo_reads_them(
    run, large_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert large_db.stat().st_size > 1_000_000
    monkeypatch.setenv("STIDIPLO_BACKUPS_MAX_MB", "3")
    versions = [large_db.read_bytes()]
    for n in range(8):
        assert run("note", fixed_id("erc")[:6], f"n{n}").exit_code == 0
        settle()
        versions.append(large_db.read_bytes())
    backups = Store(large_db).list_backups()
    assert backups[0].name.endswith(".json") and all(b.name.endswith(".json.gz") for b in backups[1:])
    assert 3 <= len(backups) < 8
    assert sum(b.stat().st_size for b in backups) <= 3_000_000
    compressed = backups[1].name
    assert run("undo").exit_code == 0 and large_db.read_bytes() == versions[-2]
    named_when_plain = compressed.removesuffix(".gz")  # the name `undo` printed before it was compressed
    assert run("restore", named_when_plain).exit_code == 0 and large_db.read_bytes() == versions[-3]


def test_a_write_leaves_the_compression_to_a_process_of_its_own(run, large_db: Path) -> None:
    for n in range(2):
        assert run("note", fixed_id("erc")[:6], f"n{n}").exit_code == 0
        if n == 0:
            settle()
    before = Store(large_db).list_backups()
    assert [b.name.endswith(".gz") for b in before] == [False, False]  # the command did not compress
    content = before[1].read_bytes()
    settle()
    after = Store(large_db).list_backups()
    assert after[0] == before[0] and after[1].name == before[1].name + ".gz"
    assert Store(large_db).backup_bytes(after[1]) == content


def test_a_backup_renamed_while_it_is_compressed_is_left_alone(large_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = Store(large_db).backups
    folder.mkdir(parents=True)
    old, new = folder / "20190101T000000.000000Z.json", folder / "20190102T000000.000000Z.json"
    old.write_bytes(large_db.read_bytes())
    new.write_bytes(large_db.read_bytes())
    assert backups.waiting(folder) == [old]
    compress = backups._gzip

    def undo_meanwhile(raw: bytes) -> bytes:
        backups.rename(old, "restored")  # what an undo does while the compression runs
        return compress(raw)

    monkeypatch.setattr(backups, "_gzip", undo_meanwhile)
    backups.compress_waiting(large_db)
    assert sorted(p.name for p in folder.iterdir()) == ["20190101T000000.000000Z-restored.json", new.name]


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities here")
def test_the_background_compression_runs_at_a_low_priority(large_db: Path) -> None:
    folder = Store(large_db).backups
    folder.mkdir(parents=True)
    waiting = folder / "20190101T000000.000000Z.json"
    shutil.copyfile(large_db, waiting)
    shutil.copyfile(large_db, folder / "20190102T000000.000000Z.json")
    script = (
        "import os, sys; from stidiplo.store import backups; code = backups.main(sys.argv[1:]); print(code, os.nice(0))"
    )
    done = subprocess.run([sys.executable, "-c", script, str(large_db)], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", str(os.nice(0) + 10)]
    assert not waiting.exists() and waiting.with_name(waiting.name + ".gz").exists()


# -- reading leaves nothing behind ----------------------------------------------------------------


def not_a_tracker(folder: Path) -> Path:
    path = folder / "other.json"
    path.write_text('{"a": 1}', encoding="utf-8")
    return path


@pytest.mark.parametrize("args", [("list",), ("show", "abcdef"), ADD, ("check",), ("undo",), ("backups",)])
@pytest.mark.parametrize("target", ["missing.json", "folder", "other.json"])
def test_a_command_on_no_tracker_leaves_nothing_behind(run, tmp_path: Path, args: tuple[str, ...], target: str) -> None:
    place = tmp_path / "place"
    place.mkdir()
    (place / "folder").mkdir()
    not_a_tracker(place)
    before = tree(place)
    result = run("--db", str(place / target), *args)
    assert result.exit_code == 1, result
    assert result.stderr.count("\n") == 1
    assert tree(place) == before


@pytest.mark.parametrize(
    "args", [("list",), ("show", fixed_id("lund")[:6]), ("check",), ("attention",), ("followups",), ("info",)]
)
def test_reading_a_tracker_leaves_nothing_beside_it(run, tmp_path: Path, args: tuple[str, ...]) -> None:
    place = tmp_path / "place"
    place.mkdir()
    write_tracker(place / "db.json", fixture_items())
    before = tree(place)
    result = run("--db", str(place / "db.json"), *args)
    assert result.exit_code == 0, result
    assert tree(place) == before


def test_a_tracker_in_a_missing_folder_creates_no_folder(run, tmp_path: Path) -> None:
    result = run("--db", "nodir/x.json", "list")
    assert result.exit_code == 1 and "no such tracker file" in result.stderr
    assert not (Path.cwd() / "nodir").exists()


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may create files in, not even root (immutable), holding a tracker."""
    folder = tmp_path / "readonly"
    folder.mkdir()
    write_tracker(folder / "db.json", fixture_items())
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)]).returncode != 0:
            pytest.skip("this file system cannot make a folder read-only for root (chattr +i)")
    else:
        folder.chmod(0o555)
    try:
        yield folder
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)])
        folder.chmod(0o755)


def test_check_works_in_a_read_only_folder_and_writes_are_refused(run, read_only_folder: Path) -> None:
    db = read_only_folder / "db.json"
    before = tree(read_only_folder)
    assert run("--db", str(db), "list").exit_code == 0
    checked = run("--db", str(db), "check")
    assert checked.exit_code == 0 and checked.stdout == f"no problems in {len(fixture_items())} items\n"
    refused = run("--db", str(db), *ADD)
    assert refused.exit_code == 1 and refused.stderr.count("\n") == 1 and str(db) in refused.stderr
    assert tree(read_only_folder) == before
