"""The tracker file: which one, deterministic form, atomic locked writes, backups."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stidiplo.config import KEYS
from stidiplo.paths import find_team_db, locate
from stidiplo.schema import SCHEMA_VERSION
from stidiplo.store import Store
from tests.helpers import ROOT, fixed_id


def test_where_reports_each_rule(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    out = run("where").stdout.splitlines()
    assert out[:2] == [str(db), "chosen by: $STIDIPLO_DB"]
    other = tmp_path / "other.json"
    assert run("--db", str(other), "where").stdout.splitlines()[1] == "chosen by: --db option"
    monkeypatch.delenv("STIDIPLO_DB")
    team = tmp_path / "repo" / "data" / "db.json"
    team.parent.mkdir(parents=True)
    team.write_bytes(db.read_bytes())
    deep = tmp_path / "repo" / "docs" / "notes"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert run("where").stdout.splitlines()[:2] == [
        str(team),
        "chosen by: nearest data/db.json above the current folder",
    ]


def test_user_file_created_from_shipped_dataset(run, tmp_path: Path) -> None:
    location = locate(None, cwd=tmp_path / "work")
    assert location.rule == "per-user data file"
    assert str(tmp_path / "home") in str(location.path)
    result = run("list", "--format", "json")
    assert result.exit_code == 0
    assert "created" in result.stderr and str(location.path) in result.stderr
    assert location.path.read_bytes() == (ROOT / "data" / "db.json").read_bytes()
    again = run("list", "--format", "json")
    assert again.stderr == ""


def test_find_team_db_stops_at_nearest(tmp_path: Path) -> None:
    outer = tmp_path / "data" / "db.json"
    inner = tmp_path / "a" / "data" / "db.json"
    for path in (outer, inner):
        path.parent.mkdir(parents=True)
        path.write_text("{}")
    assert find_team_db(tmp_path / "a" / "b") == inner
    assert find_team_db(tmp_path / "x") == outer


def test_file_is_deterministic_and_diff_friendly(run, db: Path) -> None:
    run("add", "-k", "event", "-t", "x", "-d", "2018", "-c", "SE")
    text = db.read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert "文部科学大臣" in text  # not ASCII-escaped
    assert data["meta"]["stidiplo"]["schema_version"] == SCHEMA_VERSION
    assert data["meta"]["stidiplo"]["as_of"] == "2019-04"


def test_one_added_item_is_a_small_diff(run, db: Path) -> None:
    before = db.read_text(encoding="utf-8").splitlines()
    run("add", "-k", "event", "-t", "x", "-d", "2018", "-c", "SE")
    after = db.read_text(encoding="utf-8").splitlines()
    import difflib

    changed = [
        line for line in difflib.unified_diff(before, after, n=0) if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert all(line.startswith("+") for line in changed)
    assert len(changed) < 40


def test_ids_are_not_tinydb_integers(run, db: Path) -> None:
    short = run("add", "-k", "event", "-t", "x", "-d", "2018", "-c", "SE").stdout.strip()
    keys = list(json.loads(db.read_text(encoding="utf-8"))["items"])
    new = [k for k in keys if k.startswith(short)][0]
    assert len(new) == 32 and not new.isdigit()
    assert fixed_id("erc") in keys


def test_every_write_keeps_a_backup(run, db: Path) -> None:
    store = Store(db)
    first = db.read_bytes()
    run("note", fixed_id("erc")[:6], "one")
    second = db.read_bytes()
    run("note", fixed_id("erc")[:6], "two")
    backups = store.list_backups()
    assert [store.backup_bytes(b) for b in backups[:2]] == [second, first]
    assert (store.home / ".gitignore").read_text().splitlines()[-1] == "*"


def test_backups_are_bounded(db: Path) -> None:
    keep = KEYS["backups.keep"].default
    store = Store(db)
    for _ in range(keep + 5):
        with store.lock():
            store.write(db.read_bytes())
    assert len(store.list_backups()) == keep


ADDER = """
import sys
from stidiplo.cli import app
from typer.testing import CliRunner
for n in range(int(sys.argv[2])):
    args = ["--db", sys.argv[1], "add", "-k", "event", "-t", f"{sys.argv[3]}-{n}", "-d", "2018", "-c", "SE"]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
"""


@pytest.mark.slow
def test_processes_adding_at_once_all_arrive(db: Path) -> None:
    procs = [subprocess.Popen([sys.executable, "-c", ADDER, str(db), "5", f"p{p}"], cwd=ROOT) for p in range(4)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    titles = {r["title"] for r in json.loads(db.read_text(encoding="utf-8"))["items"].values()}
    assert {f"p{p}-{n}" for p in range(4) for n in range(5)} <= titles


def test_stored_dates_are_ascii(run, db: Path, tmp_path: Path) -> None:
    """Typed or imported dates are read as people write them (２０１８ is 2018) and stored in ASCII;
    a hand-edited file holding a full-width date is a problem `check` reports."""
    source = tmp_path / "rows.json"
    source.write_text(
        json.dumps([{"kind": "event", "title": "x", "date": "２０１８", "countries": ["SE"]}]), encoding="utf-8"
    )
    assert run("import", str(source)).exit_code == 0
    data = json.loads(db.read_text(encoding="utf-8"))
    assert [r["date"] for r in data["items"].values() if r["title"] == "x"] == ["2018"]
    lund = fixed_id("lund")
    data["items"][lund]["date"] = "２０１８"
    db.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    checked = run("check")
    assert checked.exit_code == 1 and lund[:6] in checked.stdout and "date" in checked.stdout


# -- TinyDB, used as it documents ---------------------------------------------------------------


def test_an_unchanged_tracker_is_written_byte_for_byte(tmp_path: Path) -> None:
    from stidiplo.tracker_file import transaction

    path = tmp_path / "db.json"
    path.write_bytes((ROOT / "data" / "db.json").read_bytes())
    before = path.read_bytes()
    with Store(path).session() as session:
        session.save({}, (), session.records.meta)
    assert path.read_bytes() == before and len(Store(path).list_backups()) == 1
    with transaction(Store(path)) as tracker:
        tracker.meta_changed = True
    assert path.read_bytes() == before


def test_a_failed_change_writes_nothing(db: Path) -> None:
    from stidiplo.tracker_file import transaction

    before = db.read_bytes()
    with pytest.raises(RuntimeError), transaction(Store(db)) as tracker:
        tracker.note(fixed_id("erc"), "never saved")
        raise RuntimeError("the command failed after changing the tracker")
    assert db.read_bytes() == before and Store(db).list_backups() == []


def test_tinydb_inserts_a_record_without_an_id_under_a_fresh_random_one() -> None:
    from tinydb.storages import MemoryStorage
    from tinydb.table import Document

    from stidiplo.store import TrackerDB

    db = TrackerDB(storage=MemoryStorage)
    items = db.table("items")
    first = items.insert({"title": "x"})
    more = items.insert_multiple([{"title": "y"}, {"title": "z"}])
    ids = [first, *more]
    assert all(isinstance(i, str) and len(i) == 32 and int(i, 16) >= 0 for i in ids) and len(set(ids)) == 3
    assert items.get(doc_id=first) == {"title": "x"}
    kept = items.insert(Document({"title": "w"}, doc_id="0" * 32))
    assert kept == "0" * 32 and items.contains(doc_id="0" * 32)


def imported_modules(module: str) -> set[str]:
    """Every module a stidiplo module imports, anywhere in it (`from stidiplo import x` counts as stidiplo.x)."""
    import ast

    tree = ast.parse((ROOT / "stidiplo" / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            if node.module == "stidiplo":
                found |= {f"stidiplo.{alias.name}" for alias in node.names}
    return found - {"stidiplo"}


@pytest.mark.parametrize("module", ["store/__init__", "store/fileformat", "store/backups", "files", "schema", "config"])
def test_the_store_imports_nothing_above_it(module: str) -> None:
    low = {
        "stidiplo.errors",
        "stidiplo.system",
        "stidiplo.schema",
        "stidiplo.files",
        "stidiplo.store",
        "stidiplo.config",
    }
    upward = {
        m for m in imported_modules(module) if m.startswith("stidiplo") and m.rpartition(".")[0] != "stidiplo.store"
    }
    assert upward - low == set()


def test_the_merge_is_pure() -> None:
    imported = imported_modules("merge")
    assert "stidiplo.store" not in imported and not any(m.startswith("tinydb") for m in imported)
