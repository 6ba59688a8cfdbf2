"""`stidiplo check`: every problem named with its item; `--fix` applies only the safe repairs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from stidiplo.store import Store
from tests.helpers import SHIPPED, fixed_id

ERC = fixed_id("erc")
LUND = fixed_id("lund")
RIKEN = fixed_id("riken")
QWS = fixed_id("quantum-ws")
SEDOC = fixed_id("se-doc")
NSF = fixed_id("nsf-call")
EU = fixed_id("eu-meeting")
GONE = "0" * 32


def damage(db: Path, changes: dict[str, dict]) -> None:
    """Rewrite records by hand, as a person editing the JSON might, bypassing every check."""
    data = json.loads(db.read_text(encoding="utf-8"))
    for item_id, fields in changes.items():
        data["items"][item_id].update(fields)
    db.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def problems(run) -> tuple[int, list[dict]]:
    result = run("check", "--format", "json")
    return result.exit_code, json.loads(result.stdout)["problems"]


def test_a_clean_tracker(run, db: Path) -> None:
    result = run("check")
    assert result.exit_code == 0
    assert result.stdout == "no problems in 8 items\n"
    assert json.loads(run("check", "-f", "json").stdout) == {"backup": None, "fixed": [], "items": 8, "problems": []}


def test_the_shipped_dataset_is_clean(run, tmp_path: Path) -> None:
    copy = tmp_path / "shipped.json"
    shutil.copyfile(SHIPPED, copy)
    result = run("--db", str(copy), "check")
    assert result.exit_code == 0, result
    assert result.stdout.startswith("no problems in ")


def test_every_problem_is_reported_with_its_item(run, db: Path) -> None:
    damage(
        db,
        {
            ERC: {"follows": [GONE], "related": [GONE, LUND, LUND]},
            QWS: {"countries": ["EU", "fr", "XX", "EU"], "fields": ["quantum", "astrology"]},
            RIKEN: {"follows": [LUND], "end": "2018-01"},
            SEDOC: {"date": "2018-13", "history": [{"at": "2019-04", "status": "scheduled"}]},
            NSF: {"title": "x" * 10_001, "history": []},
            LUND: {"date": "2018-01-09", "end": "someday"},
        },
    )
    code, found = problems(run)
    assert code == 1
    assert [(p["id"], p["code"], p["message"], p["fixable"]) for p in found] == [
        (NSF, "history", "history: empty; the status is coordinating", True),
        (NSF, "invalid", "title: longer than 10,000 characters (10,001)", False),
        (RIKEN, "date", "end: 2018-01 is before the date 2018-11-01", False),
        (RIKEN, "follows", f"follows: {LUND} is a visit, not a meeting", False),
        (LUND, "date", "end: 'someday' is not a partial date", False),
        (ERC, "follows", f"follows: no item with id {GONE}", True),
        (ERC, "related", f"related: no item with id {GONE}", True),
        (ERC, "related", "related: an id is repeated", True),
        (QWS, "countries", "countries: 'fr' should be written FR", True),
        (QWS, "countries", "countries: 'XX' is not a known country or bloc code", False),
        (QWS, "countries", "countries: EU repeated", True),
        (QWS, "fields", "fields: 'astrology' is not a known field", False),
        (SEDOC, "date", "date: '2018-13' is not a partial date", False),
        (SEDOC, "history", "history: the last entry is scheduled but the status is done", True),
    ]


def test_text_report_groups_problems_by_item(run, db: Path) -> None:
    damage(db, {ERC: {"related": [GONE]}, LUND: {"fields": ["astrology"]}})
    result = run("check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "problems:",
        f"  {LUND[:6]}  Minister visits Lund",
        "    fields: 'astrology' is not a known field",
        f"  {ERC[:6]}  JST and ERC sign an implementing arrangement",
        f"    related: no item with id {GONE} (--fix repairs it)",
        "2 problem(s) in 2 of 8 items; 1 can be repaired with --fix",
    ]


def test_repeated_ids_and_keys_in_the_text_are_found(run, db: Path) -> None:
    text = db.read_text(encoding="utf-8")
    record = json.dumps(json.loads(text)["items"][LUND], ensure_ascii=False)
    text = text.replace('"items": {', f'"items": {{\n"{LUND}": {record},', 1)
    text = text.replace('"kind": "office",', '"kind": "office",\n"kind": "office",', 1)
    db.write_text(text, encoding="utf-8")
    code, found = problems(run)
    assert code == 1
    assert [(p["id"], p["code"]) for p in found] == [(RIKEN, "repeated-key"), (LUND, "repeated-id")]
    assert found[0]["message"] == "kind written more than once in the record; only the last is read"


def test_unreadable_records_and_a_bad_as_of(run, db: Path) -> None:
    data = json.loads(db.read_text(encoding="utf-8"))
    data["items"][LUND]["colour"] = "red"
    data["items"][ERC] = ["not", "a", "record"]
    data["meta"]["stidiplo"]["as_of"] = "spring"
    data["items"][NSF]["history"] = []
    db.write_text(json.dumps(data), encoding="utf-8")
    code, found = problems(run)
    assert code == 1
    assert [(p["id"], p["code"], p["message"]) for p in found] == [
        (None, "meta", "as_of: 'spring' is not a partial date"),
        (NSF, "history", "history: empty; the status is coordinating"),
        (LUND, "unreadable", "unknown field(s): colour"),
        (ERC, "unreadable", "not an object"),
    ]
    assert run("check").stdout.splitlines()[-1] == "4 problem(s) in 3 of 8 items; 1 can be repaired with --fix"
    before = db.read_bytes()
    result = run("check", "--fix")
    assert result.exit_code == 1
    assert result.stderr.startswith("stidiplo: cannot repair while 2 record(s) cannot be read")
    assert db.read_bytes() == before


def test_fix_applies_only_safe_repairs_after_a_backup(run, db: Path) -> None:
    damage(
        db,
        {
            ERC: {"follows": [GONE], "related": [GONE, LUND, LUND]},
            QWS: {"countries": ["EU", "fr", "Sweden", "EU"], "fields": ["quantum", "astrology", "quantum"]},
            NSF: {"history": [{"at": "2019-01", "status": "exploring"}]},
            RIKEN: {"follows": [LUND]},
        },
    )
    damaged = db.read_bytes()
    result = run("check", "--fix", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [(p["id"], p["code"]) for p in report["fixed"]] == [
        (NSF, "history"),
        (ERC, "follows"),
        (ERC, "related"),
        (ERC, "related"),
        (QWS, "countries"),
        (QWS, "countries"),
        (QWS, "countries"),
        (QWS, "fields"),
    ]
    assert [(p["id"], p["message"]) for p in report["problems"]] == [
        (RIKEN, f"follows: {LUND} is a visit, not a meeting"),
        (QWS, "fields: 'astrology' is not a known field"),
    ]
    assert (Store(db).backups / report["backup"]).read_bytes() == damaged
    erc = json.loads(run("show", ERC[:6], "-f", "json").stdout)
    assert erc["follows"] == [] and erc["related"] == [LUND]
    assert erc["notes"][-1]["text"] == f"stidiplo check removed {GONE} from follows: no such other item"
    qws = json.loads(run("show", QWS[:6], "-f", "json").stdout)
    assert qws["countries"] == ["EU", "FR", "SE"] and qws["fields"] == ["quantum", "astrology"]
    nsf = json.loads(run("show", NSF[:6], "-f", "json").stdout)
    assert [h["status"] for h in nsf["history"]] == ["exploring", "coordinating"]
    assert json.loads(run("show", RIKEN[:6], "-f", "json").stdout)["follows"] == [LUND]
    assert run("undo").exit_code == 0
    assert db.read_bytes() == damaged


def test_fix_text_report_and_a_clean_result(run, db: Path) -> None:
    damage(db, {ERC: {"related": [GONE]}})
    result = run("check", "--fix")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "repaired:",
        f"  {ERC[:6]}  JST and ERC sign an implementing arrangement",
        f"    related: no item with id {GONE}",
    ]
    assert lines[3].startswith("the version before the repairs is kept as backup ")
    assert lines[4] == "no problems in 8 items"
    assert run("check").exit_code == 0


def test_fix_with_nothing_safe_to_repair_writes_nothing(run, db: Path) -> None:
    damage(db, {LUND: {"fields": ["astrology"]}})
    before = db.read_bytes()
    result = run("check", "--fix")
    assert result.exit_code == 1
    assert db.read_bytes() == before
    assert Store(db).list_backups() == []


def test_check_refuses_an_unknown_format(run, db: Path) -> None:
    result = run("check", "--format", "xml")
    assert result.exit_code == 2 and result.stderr.startswith("stidiplo: unknown format 'xml'")
