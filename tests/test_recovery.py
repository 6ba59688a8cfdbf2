"""Backups, undo and restore; opening a file of an older schema migrates it after a backup."""

from __future__ import annotations

import errno
import json
import re
from pathlib import Path

import pytest

from stidiplo.config import KEYS
from stidiplo.schema import SCHEMA_VERSION
from stidiplo.store import Store
from tests.helpers import fixed_id

ERC = fixed_id("erc")
LUND = fixed_id("lund")


def add_event(run, title: str) -> str:
    result = run("add", "-k", "event", "-t", title, "-d", "2018", "-c", "SE")
    assert result.exit_code == 0, result
    return result.stdout.strip()


def listed_backups(run) -> list[dict]:
    result = run("backups", "--format", "json")
    assert result.exit_code == 0, result
    return json.loads(result.stdout)


def test_undo_reverts_the_last_change_and_says_what(run, db: Path) -> None:
    before = db.read_bytes()
    short = add_event(run, "Arctic workshop")
    result = run("undo")
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"undone: the change of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", lines[0])
    assert lines[1] == f"  removed  {short}  Arctic workshop"
    assert lines[2].startswith("the undone version is kept as backup ") and lines[2].endswith(
        "-undone.json; `stidiplo restore 1` brings it back"
    )
    assert db.read_bytes() == before


def test_undo_names_changed_fields_and_removed_items(run, db: Path) -> None:
    run("edit", LUND[:6], "--status", "dropped")
    assert run("undo").stdout.splitlines()[1] == f"  changed  {LUND[:6]}  Minister visits Lund (status, history)"
    run("remove", LUND[:6], "--yes")
    assert run("undo").stdout.splitlines()[1] == f"  added    {LUND[:6]}  Minister visits Lund"
    assert json.loads(run("show", LUND[:6], "-f", "json").stdout)["status"] == "done"


def test_repeated_undo_walks_back_then_stops(run, db: Path) -> None:
    states = [db.read_bytes()]
    add_event(run, "one")
    states.append(db.read_bytes())
    run("edit", ERC[:6], "--status", "ongoing")
    states.append(db.read_bytes())
    run("note", ERC[:6], "a note")
    for expected in reversed(states):
        assert run("undo").exit_code == 0
        assert db.read_bytes() == expected
    result = run("undo")
    assert result.exit_code == 1
    assert result.stderr.startswith("stidiplo: nothing to undo") and result.stderr.count("\n") == 1
    assert db.read_bytes() == states[0]


def test_undone_versions_are_kept_and_restore_brings_one_back(run, db: Path) -> None:
    add_event(run, "kept")
    changed = db.read_bytes()
    run("undo")
    undone = listed_backups(run)[0]
    assert undone["mark"] == "undone" and undone["index"] == 1
    assert (Store(db).backups / undone["file"]).read_bytes() == changed
    original = db.read_bytes()
    result = run("restore", "1")
    assert result.exit_code == 0, result
    assert result.stdout.splitlines()[0].startswith(f"restored {undone['file']} (the version replaced at ")
    assert db.read_bytes() == changed
    run("undo")
    assert db.read_bytes() == original


def test_a_change_after_undo_is_the_next_undone(run, db: Path) -> None:
    original = db.read_bytes()
    add_event(run, "first")
    run("undo")
    short = add_event(run, "second")
    assert run("undo").stdout.splitlines()[1] == f"  removed  {short}  second"
    assert db.read_bytes() == original
    assert run("undo").exit_code == 1
    assert db.read_bytes() == original


def test_undo_passes_over_backups_equal_to_the_file(run, db: Path) -> None:
    """A write that changed nothing leaves a backup equal to the file: undo goes past it, never forward."""
    original = db.read_bytes()
    add_event(run, "x")
    store = Store(db)
    with store.lock():
        store.write(db.read_bytes())
    run("undo")
    assert db.read_bytes() == original
    assert run("undo").exit_code == 1
    assert db.read_bytes() == original


def test_undo_of_a_broken_file_brings_back_the_last_version_stidiplo_wrote(run, db: Path) -> None:
    before = db.read_bytes()
    add_event(run, "x")
    db.write_text('{"items": oops', encoding="utf-8")
    result = run("undo")
    assert result.exit_code == 0, result
    assert "the replaced file could not be read" in result.stdout
    assert db.read_bytes() == before
    assert (Store(db).backups / listed_backups(run)[0]["file"]).read_bytes() == b'{"items": oops'


def test_backups_list_time_items_size_and_change(run, db: Path) -> None:
    first = add_event(run, "first")
    run("edit", first, "--status", "dropped")
    listed = listed_backups(run)
    store = Store(db)
    assert [b["index"] for b in listed] == [1, 2]
    assert [b["items"] for b in listed] == [9, 8]
    assert [b["size"] for b in listed] == [(store.backups / b["file"]).stat().st_size for b in listed]
    assert [b["mark"] for b in listed] == ["", ""]
    new_id = listed[0]["changed"][0]
    assert new_id.startswith(first)
    assert listed[1]["added"] == [new_id] and listed[1]["removed"] == [] and listed[1]["changed"] == []
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b["replaced"]) for b in listed)
    table = run("backups").stdout.splitlines()
    assert table[0].split() == ["#", "replaced", "at", "items", "size", "mark", "change", "that", "replaced", "it"]
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"
    assert re.fullmatch(rf"  1  {stamp}      9 +[\d.]+ kB +changed {first} first \(status, history\)", table[1])
    assert re.fullmatch(rf"  2  .* UTC      8 +[\d.]+ kB +added {first} first", table[2])
    assert table[3].startswith(f"in {store.backups}")


def test_backups_when_there_are_none(run, db: Path) -> None:
    result = run("backups")
    assert result.exit_code == 0
    assert result.stdout == f"no backups yet in {Store(db).backups}\n"
    assert listed_backups(run) == []


def test_restore_by_file_name_and_refusals(run, db: Path) -> None:
    original = db.read_bytes()
    add_event(run, "x")
    name = listed_backups(run)[0]["file"]
    assert run("restore", name).exit_code == 0
    assert db.read_bytes() == original
    same = run("restore", name)
    assert same.exit_code == 0 and same.stdout == f"backup {name} is the same as the current file; nothing changed\n"
    for ref, says in (("99", "no backup number 99"), ("nonesuch.json", "no backup named"), ("²", "no backup named")):
        result = run("restore", ref)
        assert result.exit_code == 1 and result.stderr.startswith(f"stidiplo: {says}"), result
        assert db.read_bytes() == original


def test_restore_takes_a_full_width_number(run, db: Path) -> None:
    original = db.read_bytes()
    add_event(run, "x")
    assert run("restore", "１").exit_code == 0 and db.read_bytes() == original


@pytest.mark.slow
def test_backups_stay_bounded_through_undo(run, db: Path) -> None:
    keep = KEYS["backups.keep"].default
    for n in range(keep + 3):
        add_event(run, f"e{n}")
    for _ in range(3):
        assert run("undo").exit_code == 0
    assert len(Store(db).list_backups()) == keep


def test_undo_waits_for_the_lock(run, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_event(run, "x")
    before = db.read_bytes()
    monkeypatch.setattr("stidiplo.store.LOCK_TIMEOUT", 0.2)
    with Store(db).lock():
        result = run("undo")
    assert result.exit_code == 1 and "locked by another stidiplo" in result.stderr
    assert db.read_bytes() == before


def test_failed_undo_leaves_file_and_backups_as_they_were(run, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_event(run, "x")
    before = db.read_bytes()
    names = [p.name for p in Store(db).list_backups()]

    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("os.fsync", full)
    result = run("undo")
    assert result.exit_code == 1
    assert result.stderr == f"stidiplo: {db}: cannot write (No space left on device); the file is unchanged\n"
    assert db.read_bytes() == before
    assert [p.name for p in Store(db).list_backups()] == names


# -- schema migration ---------------------------------------------------------------------------


def schema_0(path: Path) -> bytes:
    """A tracker as schema 0 wrote it: no `related`, no `history`."""
    records = {
        fixed_id("old-meeting"): {
            "kind": "meeting",
            "title": "旧会談",
            "date": "2017-05",
            "status": "done",
            "countries": ["DE"],
            "created": "2017-05-20T09:00:00Z",
            "updated": "2017-05-20T09:00:00Z",
        },
        fixed_id("old-call"): {
            "kind": "joint-call",
            "title": "Joint call",
            "date": "2018",
            "status": "scheduled",
            "countries": ["DE"],
            "follows": fixed_id("old-meeting"),
            "created": "2017-06-01T00:00:00Z",
            "updated": "2017-07-01T00:00:00Z",
        },
    }
    raw = json.dumps({"items": records, "meta": {"stidiplo": {"schema_version": 0}}}).encode()
    path.write_bytes(raw)
    return raw


def test_older_schema_is_migrated_on_open_after_a_backup(run, tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    raw = schema_0(path)
    result = run("--db", str(path), "list", "--format", "json")
    assert result.exit_code == 0, result
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["meta"]["stidiplo"]["schema_version"] == SCHEMA_VERSION
    meeting, call = data["items"][fixed_id("old-meeting")], data["items"][fixed_id("old-call")]
    assert call["follows"] == [fixed_id("old-meeting")] and meeting["follows"] == []
    assert meeting["history"] == [{"at": "2017-05-20T09:00:00Z", "status": "done"}]
    assert call["history"] == [{"at": "2017-06-01T00:00:00Z", "status": "scheduled"}]
    assert meeting["related"] == [] and call["related"] == []
    backups = Store(path).list_backups()
    assert [b.name.endswith("-schema0.json") for b in backups] == [True]
    assert backups[0].read_bytes() == raw
    assert run("--db", str(path), "check").stdout == "no problems in 2 items\n"
    assert run("--db", str(path), "undo").exit_code == 1


def test_a_schema_without_a_migration_is_refused(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.json"
    raw = schema_0(path)
    monkeypatch.setattr("stidiplo.store.fileformat.MIGRATIONS", {})
    result = run("--db", str(path), "list")
    assert result.exit_code == 1
    assert result.stderr == f"stidiplo: {path}: no migration from schema 0; use a stidiplo that reads it\n"
    assert path.read_bytes() == raw


@pytest.mark.parametrize("version", ["-1", "true", '"1"', "null"])
def test_a_malformed_schema_version_is_refused(run, tmp_path: Path, version: str) -> None:
    path = tmp_path / "odd.json"
    path.write_text(f'{{"items": {{}}, "meta": {{"stidiplo": {{"schema_version": {version}}}}}}}', encoding="utf-8")
    result = run("--db", str(path), "list")
    assert result.exit_code == 1 and "schema version is missing or malformed" in result.stderr
