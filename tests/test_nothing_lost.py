"""Nothing lost on any path: damaged files, out-of-range values, usage errors, and what `check` names."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers import fixed_id

LUND = fixed_id("lund")
RIKEN = fixed_id("riken")
ERC = fixed_id("erc")


def damage(db: Path, item_id: str, **fields: object) -> None:
    """Edit one stored record by hand, as a person with a text editor would; None deletes a field."""
    data = json.loads(db.read_text(encoding="utf-8"))
    for key, value in fields.items():
        if value is None:
            del data["items"][item_id][key]
        else:
            data["items"][item_id][key] = value
    db.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def one_line(result: object) -> str:
    """The single stderr line of a refused command."""
    lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1, result
    assert lines[0].startswith("stidiplo: "), result
    return lines[0]


# -- a hand-damaged file ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"date": 2018}, "date: 2018 is not a partial date"),
        ({"date": "garbage"}, "date: 'garbage' is not a partial date"),
        ({"date": [2018]}, "date: [2018] is not a partial date"),
        ({"end": {"year": 2018}}, "end: {'year': 2018} is not a partial date"),
        ({"title": None}, "title: missing"),
        ({"countries": "SE"}, "countries: 'SE' is a string, not a list"),
    ],
)
def test_a_damaged_item_is_named_on_read_and_refuses_writes(
    run, db: Path, fields: dict[str, object], named: str
) -> None:
    damage(db, LUND, **fields)
    listing = run("list")
    assert listing.exit_code == 1
    line = one_line(listing)
    assert f"item {LUND} is damaged: {named}" in line and "unexpected" not in line
    before = db.read_bytes()
    for args in (
        ["add", "-t", "new", "-k", "event", "-d", "2019", "-c", "SE"],
        ["note", ERC[:6], "a note"],
        ["remove", ERC[:6], "--yes"],
    ):
        write = run(*args)
        assert write.exit_code == 1, (args, write)
        assert f"item {LUND} is damaged" in one_line(write) and "nothing was changed" in write.stderr
        assert db.read_bytes() == before


def test_writes_work_again_once_the_item_is_mended(run, db: Path) -> None:
    damage(db, LUND, date="garbage")
    assert run("note", ERC[:6], "refused").exit_code == 1
    damage(db, LUND, date="2018-01-09")
    assert run("note", ERC[:6], "accepted").exit_code == 0
    assert run("list").exit_code == 0


def test_undo_and_backups_still_work_on_a_damaged_file(run, db: Path) -> None:
    assert run("note", ERC[:6], "before the hand edit").exit_code == 0
    damage(db, LUND, date="garbage")
    listed = run("backups")
    assert listed.exit_code == 0 and "unexpected" not in listed.stderr, listed
    undone = run("undo")
    assert undone.exit_code == 0, undone
    assert "could not be read" in undone.stdout and f"item {LUND} is damaged" in undone.stdout
    assert run("list").exit_code == 0


# -- check names the real problem ---------------------------------------------------------------


def check_json(run) -> list[tuple[str | None, str, str]]:
    result = run("check", "--format", "json")
    assert result.exit_code == 1, result
    return [(p["id"], p["code"], p["message"]) for p in json.loads(result.stdout)["problems"]]


def test_check_reports_a_string_where_a_list_belongs_as_the_wrong_type(run, db: Path) -> None:
    damage(db, LUND, countries="SE")
    found = check_json(run)
    assert (LUND, "type", "countries: 'SE' is a string, not a list") in found
    assert not any("'S'" in message for _, _, message in found)


def test_check_catches_an_updated_stamp_that_is_not_a_time(run, db: Path) -> None:
    damage(db, LUND, updated="not a time")
    assert check_json(run) == [(LUND, "time", "updated: 'not a time' is not a UTC time (YYYY-MM-DDTHH:MM:SSZ)")]


def test_check_catches_a_stored_id_that_is_not_its_key(run, db: Path) -> None:
    damage(db, LUND, id=RIKEN)
    assert check_json(run) == [(LUND, "id", f"id: the record says {RIKEN!r} but is stored under {LUND}")]


@pytest.mark.parametrize("fields", [{"countries": "SE"}, {"date": "garbage"}], ids=["type", "date"])
def test_check_fix_refuses_while_a_record_is_damaged(run, db: Path, fields: dict[str, object]) -> None:
    damage(db, LUND, **fields)
    damage(db, ERC, history=[])
    before = db.read_bytes()
    fixed = run("check", "--fix")
    assert fixed.exit_code == 1 and "mend those by hand first" in fixed.stderr
    assert db.read_bytes() == before


# -- out-of-range values and usage errors: one line, never a box or an unexpected error ---------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["upcoming", "--months", "100000"], "100000 is not in the range 1<=x<=1200"),
        (["attention", "--stale-months", "99999999999"], "99999999999 is not in the range 1<=x<=1200"),
        (["list", "-n", "0"], "0 is not in the range x>=1"),
        (["show", "-1"], "no such option: -1"),
        (["init"], "missing argument 'path'"),
        (["list", "--no-such-option"], "no such option: --no-such-option"),
        (["lst"], "no such command 'lst'"),
        (["list", "--since", "2019", "--until", "2018"], "the period is reversed"),
        (["export", "--since", "2019-06", "--until", "2019-05"], "the period is reversed"),
    ],
)
def test_a_bad_command_line_gets_one_line_and_exit_2(run, db: Path, args: list[str], says: str) -> None:
    result = run(*args)
    assert result.exit_code == 2, result
    line = one_line(result)
    assert says in line and "unexpected" not in line
    assert "╭" not in result.stderr and "Usage:" not in result.stderr


def test_a_huge_stale_months_setting_finds_nothing_stale_rather_than_crashing(run, db: Path) -> None:
    assert run("config", "set", "stale_months", "99999999999").exit_code == 0
    result = run("attention", "--format", "json")
    assert result.exit_code == 0, result
    assert not [f for f in json.loads(result.stdout) if f["reason"] == "stale"]


def test_a_period_of_one_month_inside_a_year_is_not_reversed(run, db: Path) -> None:
    assert run("list", "--since", "2018-06", "--until", "2018").exit_code == 0


def test_an_item_on_the_last_day_a_date_can_hold_exports_to_a_calendar(run, db: Path, tmp_path: Path) -> None:
    added = run("add", "-t", "far away", "-k", "event", "-d", "9999-12-31", "-c", "SE", "--status", "scheduled")
    assert added.exit_code == 0, added
    result = run("export", "-o", str(tmp_path / "x.ics"))
    assert result.exit_code == 0, result
    text = (tmp_path / "x.ics").read_bytes().decode()
    assert "DTSTART;VALUE=DATE:99991231\r\nDURATION:P1D\r\n" in text


# -- importing an older export ------------------------------------------------------------------


def stored(db: Path, item_id: str) -> dict:
    return json.loads(db.read_text(encoding="utf-8"))["items"][item_id]


@pytest.fixture
def older_export(run, db: Path, tmp_path: Path) -> Path:
    """An export of Lund's items, then a newer edit and note on one of them in the tracker."""
    path = tmp_path / "se.xlsx"
    assert run("export", "-c", "SE", "-o", str(path)).exit_code == 0
    assert run("edit", LUND[:6], "--status", "dropped", "--place", "Malmö").exit_code == 0
    assert run("note", LUND[:6], "newer").exit_code == 0
    return path


def test_an_older_row_is_refused_by_name_and_nothing_is_written(run, db: Path, older_export: Path) -> None:
    before = db.read_bytes()
    result = run("import", str(older_export))
    assert result.exit_code == 1
    refused = [line for line in result.stderr.splitlines() if "updated: the row is from" in line]
    assert len(refused) == 1 and f"item {LUND[:6]} was changed since" in refused[0], result
    assert refused[0].startswith("stidiplo: row ")
    assert db.read_bytes() == before


def test_the_dry_run_of_an_older_row_says_it_would_write_nothing(run, db: Path, older_export: Path) -> None:
    result = run("import", str(older_export), "--dry-run")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1].startswith("dry run: would write nothing: 1 invalid row(s)")


def test_merge_keeps_the_newer_edit_and_note(run, db: Path, older_export: Path) -> None:
    plan = run("import", str(older_export), "--merge", "--dry-run")
    assert plan.exit_code == 0, plan
    assert "    notes: + " in plan.stdout and 'merge conflict on status: other value "done"' in plan.stdout
    assert run("import", str(older_export), "--merge").exit_code == 0
    record = stored(db, LUND)
    assert record["status"] == "dropped" and record["place"] == "Malmö"
    assert "newer" in [note["text"] for note in record["notes"]]
    assert [h["status"] for h in record["history"]][-2:] == ["done", "dropped"]


def test_overwrite_takes_the_row_but_keeps_every_note_and_status_change(run, db: Path, older_export: Path) -> None:
    plan = run("import", str(older_export), "--overwrite", "--dry-run")
    assert "    status: dropped → done" in plan.stdout and "    place: Malmö → " in plan.stdout
    assert run("import", str(older_export), "--overwrite").exit_code == 0
    record = stored(db, LUND)
    assert record["status"] == "done" and record["place"] != "Malmö"
    assert "newer" in [note["text"] for note in record["notes"]]
    assert [h["status"] for h in record["history"]][-3:] == ["done", "dropped", "done"]


def test_a_fresh_export_imports_back_as_unchanged(run, db: Path, tmp_path: Path) -> None:
    path = tmp_path / "all.json"
    assert run("export", "-o", str(path)).exit_code == 0
    before = db.read_bytes()
    result = run("import", str(path))
    assert result.exit_code == 0 and result.stdout.startswith("added 0, updated 0"), result
    assert db.read_bytes() == before


def test_a_row_that_drops_a_note_does_not_remove_it(run, db: Path, tmp_path: Path) -> None:
    assert run("note", LUND[:6], "keep me").exit_code == 0
    path = tmp_path / "lund.json"
    assert run("export", "-c", "SE", "-o", str(path)).exit_code == 0
    rows = json.loads(path.read_text(encoding="utf-8"))
    for row in rows:
        row["notes"], row["place"] = [], "Lund University"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    assert run("import", str(path)).exit_code == 0
    record = stored(db, LUND)
    assert record["place"] == "Lund University" and "keep me" in [n["text"] for n in record["notes"]]


def test_a_dry_run_with_one_bad_row_says_what_the_import_would_do(run, db: Path, tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(
        "kind,title,date,countries\nevent,one,2018,SE\nevent,two,2018,SE\nevent,three,2018,ZZ\n", encoding="utf-8"
    )
    dry = run("import", str(path), "--dry-run")
    assert dry.exit_code == 1
    assert dry.stdout.splitlines()[-1] == (
        "dry run: would write nothing: 1 invalid row(s) (fix them, or --skip-invalid would add 2, update 0, "
        "skip 0 unchanged)"
    )
    before = db.read_bytes()
    assert run("import", str(path)).exit_code == 1 and db.read_bytes() == before
    skipping = run("import", str(path), "--dry-run", "--skip-invalid")
    assert (
        skipping.stdout.splitlines()[-1]
        == "dry run: would add 2, update 0, skip 0 unchanged, leave out 1 invalid; nothing written"
    )


# -- no output is written onto the tracker, its backups or its lock -------------------------------

WRITERS = [
    ["brief", fixed_id("eu-meeting")[:6], "--format", "md"],
    ["timeline", "--format", "json"],
    ["scorecard", "--format", "json"],
    ["timeline", "--by", "country", "--format", "html"],
    ["export", "--format", "json"],
]


def own_paths(db: Path) -> dict[str, Path]:
    """Every way of naming the tracker and its lock folder's files, from the tracker's folder."""
    folder = db.parent
    (folder / "link.json").symlink_to(db.name)
    os.link(db, folder / "hard.json")
    backup = sorted((folder / f".{db.name}.stidiplo" / "backups").iterdir())[0]
    os.link(backup, folder / "hard-backup.json")
    (folder / "to-lock").symlink_to(folder / f".{db.name}.stidiplo")
    return {
        "relative": Path(db.name),
        "dotted": Path(".") / ".." / folder.name / db.name,
        "symlink": Path("link.json"),
        "hard link": Path("hard.json"),
        "a backup": backup.relative_to(folder),
        "hard link to a backup": Path("hard-backup.json"),
        "the lock": Path(f".{db.name}.stidiplo") / "lock",
        "new file in the lock folder": Path(f".{db.name}.stidiplo") / "report.json",
        "through a linked folder": Path("to-lock") / "backups" / "report.json",
    }


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: c[0])
def test_no_output_replaces_the_tracker_or_its_backups(
    run, db: Path, command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("note", LUND[:6], "makes a backup").exit_code == 0
    monkeypatch.chdir(db.parent)
    for how, path in own_paths(db).items():
        home = db.parent / f".{db.name}.stidiplo"
        before = {p: p.read_bytes() for p in (db, *home.rglob("*")) if p.is_file()}
        result = run(*command, "-o", str(path))
        assert result.exit_code == 2, (how, result)
        assert "write to another file" in one_line(result), how
        after = {p: p.read_bytes() for p in (db, *home.rglob("*")) if p.is_file()}
        assert after == before, how


def test_init_refuses_the_lock_folder_of_the_tracker_in_use(run, db: Path) -> None:
    assert run("note", LUND[:6], "makes a backup").exit_code == 0
    inside = db.parent / f".{db.name}.stidiplo" / "backups" / "new.json"
    result = run("init", str(inside))
    assert result.exit_code == 2 and "lock and backups folder" in one_line(result)
    assert not inside.exists()


def test_an_output_beside_the_tracker_is_written(run, db: Path) -> None:
    target = db.parent / "report.json"
    assert run("timeline", "-f", "json", "-o", str(target)).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))


def test_a_failed_output_names_the_file_given_not_a_temporary_one(
    run, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    def refused(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied", str(tmp_path / "out" / ".x.csv.abc123.tmp"))

    (tmp_path / "out").mkdir()
    monkeypatch.setattr(tempfile, "mkstemp", refused)
    result = run("export", "-o", str(tmp_path / "out" / "x.csv"))
    assert result.exit_code == 1
    line = one_line(result)
    assert str(tmp_path / "out" / "x.csv") in line and "Permission denied" in line and ".tmp" not in line


# -- prompts: declining, no answer, Ctrl-C ------------------------------------------------------


@pytest.fixture
def at_a_keyboard(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands behave as if a person answered their prompts."""
    monkeypatch.setattr("stidiplo.cli.items.interactive", lambda: True)
    monkeypatch.setattr("stidiplo.cli.record.interactive", lambda: True)


def test_declining_remove_says_so_and_keeps_the_item(run, db: Path, at_a_keyboard: None) -> None:
    before = db.read_bytes()
    result = run("remove", LUND[:6], input="n\n")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == f"stidiplo: {LUND[:6]} not removed (the answer was no)"
    assert db.read_bytes() == before


def test_the_remove_question_shows_a_hostile_title_literally(run, db: Path, at_a_keyboard: None) -> None:
    hostile = "EVIL\x1b[2J\x1b]0;pwned\x07"
    assert run("edit", LUND[:6], "--title-en", hostile).exit_code == 0
    result = run("remove", LUND[:6], input="n\n")
    assert result.exit_code == 1
    assert "\x1b" not in result.stdout + result.stderr and "\x07" not in result.stdout + result.stderr
    assert "EVIL\\x1b[2J\\x1b]0;pwned\\x07" in result.stdout


def test_no_answer_at_a_prompt_changes_nothing(run, db: Path, at_a_keyboard: None) -> None:
    before = db.read_bytes()
    result = run("add", "-t", "half an item", input="")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == "stidiplo: no answer (end of input); nothing was changed"
    assert db.read_bytes() == before


def interrupt_at_prompt(db: Path, *args: str) -> tuple[int, str]:
    """Run stidiplo on a terminal, press Ctrl-C when it asks something; its exit code and what it wrote."""
    import pty
    import select
    import signal
    import subprocess
    import sys
    import time

    from tests.helpers import ROOT

    leader, follower = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-m", "stidiplo", "--db", str(db), *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        cwd=ROOT,
        start_new_session=True,
        restore_signals=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # a test runner may ignore Ctrl-C
    )
    os.close(follower)
    shown = b""
    try:
        while not shown.endswith(b": "):  # the prompt's last character is written by the read itself
            ready, _, _ = select.select([leader], [], [], 30)
            assert ready, f"no prompt came: {shown!r}"
            shown += os.read(leader, 1024)
        time.sleep(0.2)  # let the read begin waiting: a person presses Ctrl-C while it waits
        child.send_signal(signal.SIGINT)
        code = child.wait(timeout=30)
        while select.select([leader], [], [], 0.5)[0]:
            try:
                shown += os.read(leader, 1024)
            except OSError:
                break
    finally:
        if child.poll() is None:
            child.kill()
        os.close(leader)
    return code, shown.decode("utf-8", "replace")


@pytest.mark.slow
@pytest.mark.parametrize("args", [["remove", LUND[:6]], ["add", "-t", "half an item"]], ids=["remove", "add"])
def test_ctrl_c_at_a_prompt_exits_130_and_changes_nothing(db: Path, args: list[str]) -> None:
    before = db.read_bytes()
    code, shown = interrupt_at_prompt(db, *args)
    assert code == 130, shown
    assert shown.rstrip().endswith("stidiplo: interrupted"), shown
    assert "Traceback" not in shown and "Aborted" not in shown
    assert db.read_bytes() == before
