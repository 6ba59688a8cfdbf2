"""The model of schema 2: several meetings followed, undated and estimated dates, sources apart from notes,
text in both languages, programmes, the status lifecycle `check` knows, and the migration from schema 1."""

from __future__ import annotations

import json
from pathlib import Path

from stidiplo.store import Store
from tests.helpers import fixed_id

EU, US = fixed_id("eu-meeting"), fixed_id("us-meeting")
ERC, NSF, QWS = fixed_id("erc"), fixed_id("nsf-call"), fixed_id("quantum-ws")


def stored(db: Path) -> dict:
    return json.loads(db.read_text(encoding="utf-8"))["items"]


def damage(db: Path, changes: dict[str, dict]) -> None:
    data = json.loads(db.read_text(encoding="utf-8"))
    for item_id, fields in changes.items():
        data["items"][item_id].update(fields)
    db.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def warnings(run) -> list[tuple[str, str]]:
    result = run("check", "--format", "json")
    assert result.exit_code == 0, result  # doubts about the lifecycle are warnings, not faults
    return [(p["id"], p["message"]) for p in json.loads(result.stdout)["problems"] if p["warning"]]


def test_an_item_follows_several_meetings_and_each_briefing_shows_it(run, db: Path) -> None:
    added = run(
        "add", "-k", "meeting", "-t", "ASM3", "-d", "2020", "-c", "IS", "--follows", EU[:8], "--follows", US[:8]
    )
    assert added.exit_code == 0, added
    new = next(i for i, r in stored(db).items() if r["title"] == "ASM3")
    assert stored(db)[new]["follows"] == [EU, US]
    for meeting in (EU, US):
        assert "ASM3" in run("brief", meeting[:8], "--format", "md").stdout
    assert run("edit", new[:8], "--unfollow", EU[:8]).exit_code == 0
    assert stored(db)[new]["follows"] == [US]
    assert run("edit", new[:8], "--follows", "").exit_code == 0
    assert stored(db)[new]["follows"] == []


def test_an_undated_item_is_in_no_period_and_comes_last(run, db: Path) -> None:
    added = run("add", "-k", "joint-call", "-t", "共同公募", "--undated", "-c", "US", "-s", "coordinating")
    assert added.exit_code == 0, added
    new = added.stdout.strip()
    assert json.loads(run("show", new, "-f", "json").stdout)["date"] is None
    listed = json.loads(run("list", "--format", "json").stdout)
    assert listed[-1]["id"].startswith(new)
    assert all(not r["id"].startswith(new) for r in json.loads(run("list", "--since", "2000", "-f", "json").stdout))
    assert "undated" in run("show", new).stdout and "未定" in run("--lang", "ja", "show", new).stdout
    assert run("add", "-k", "event", "-t", "x", "--undated", "-d", "2019", "-c", "SE").exit_code == 2


def test_an_estimated_date_is_marked(run, db: Path) -> None:
    added = run("add", "-k", "visit", "-t", "訪日", "-d", "2018-08", "--estimated", "-c", "CN")
    assert added.exit_code == 0, added
    assert "≈Aug 2018" in run("show", added.stdout.strip()).stdout
    assert run("edit", added.stdout.strip(), "--not-estimated").exit_code == 0
    assert "≈" not in run("show", added.stdout.strip()).stdout


def test_text_in_two_languages_is_shown_by_language_falling_back_to_the_other(run, db: Path) -> None:
    added = run(
        "add", "-k", "event", "-t", "ワークショップ", "-d", "2018-05", "-c", "DE",
        "--place", "ボン", "--place-en", "Bonn", "--person", "山田", "--person-en", "YAMADA",
        "--programme", "SICORP", "--note", "三件採択", "--note-en", "Three projects selected",
    )  # fmt: skip
    assert added.exit_code == 0, added
    new = added.stdout.strip()
    assert run("note", new, "英語なし").exit_code == 0
    english, japanese = run("--lang", "en", "show", new).stdout, run("--lang", "ja", "show", new).stdout
    assert "Bonn" in english and "YAMADA" in english and "Three projects selected" in english
    assert "ボン" not in english and "三件採択" not in english and "英語なし" in english  # the fallback
    assert "ボン" in japanese and "山田" in japanese and "三件採択" in japanese and "Bonn" not in japanese
    record = json.loads(run("show", new, "-f", "json").stdout)
    assert record["programmes"] == ["SICORP"] and record["organizations"] == []
    assert run("note", new, "日本語", "--en", "English").exit_code == 0
    last = json.loads(run("show", new, "-f", "json").stdout)["notes"][-1]
    assert (last["text"], last["text_en"]) == ("日本語", "English")


def test_check_warns_of_a_follow_up_dated_before_every_meeting_it_follows(run, db: Path) -> None:
    damage(db, {ERC: {"date": "2017-05", "history": [{"at": "2017-05", "status": "done"}]}})
    assert (ERC, "warning: follows: dated 2017-05, before every meeting it follows") in warnings(run)
    damage(db, {ERC: {"follows": [EU, US]}})
    assert any("before every meeting" in m for _, m in warnings(run))
    damage(db, {ERC: {"date": "2018-07", "follows": [EU, US]}})  # after the EU meeting of January 2018
    assert not any("before every meeting" in m for _, m in warnings(run))


def test_check_knows_the_status_lifecycle(run, db: Path) -> None:
    damage(
        db,
        {
            NSF: {
                "status": "ongoing",
                "history": [{"at": "2018", "status": "done"}, {"at": "2019", "status": "ongoing"}],
            },
            QWS: {"status": "ongoing", "history": [{"at": "2018-09-03", "status": "ongoing"}]},
        },
    )
    found = dict(warnings(run))
    assert found[NSF].startswith("warning: history: done, then ongoing")
    assert found[QWS].startswith("warning: status: an event happens once")


def test_a_schema_1_file_is_migrated_after_a_backup(run, tmp_path: Path) -> None:
    path = tmp_path / "v1.json"
    meeting, follow = fixed_id("v1-meeting"), fixed_id("v1-follow")
    common = {"countries": ["SE"], "created": "2018-01-01T00:00:00Z", "updated": "2018-01-01T00:00:00Z"}
    records = {
        meeting: {"kind": "meeting", "title": "m", "date": "2018-01", "status": "done", "follows": None, **common},
        follow: {
            **common,
            "kind": "event",
            "title": "f",
            "date": "2018-03",
            "status": "done",
            "follows": meeting,
            "sources": ["MEXT briefing 2019 — Sweden"],
            "notes": [{"at": "2018-03", "text": "held"}],
        },
    }
    for record in records.values():
        record["history"] = [{"at": record["date"], "status": "done"}]
        record["related"] = []
    raw = json.dumps({"items": records, "meta": {"stidiplo": {"schema_version": 1}}}).encode()
    path.write_bytes(raw)
    assert run("--db", str(path), "list").exit_code == 0
    items = stored(path)
    assert items[follow]["follows"] == [meeting] and items[meeting]["follows"] == []
    assert items[follow]["sources"] == [
        {"document": "MEXT briefing 2019 — Sweden", "heading": None, "page": None, "quote": None}
    ]
    assert items[follow]["notes"] == [{"at": "2018-03", "text": "held"}]
    assert items[follow]["programmes"] == [] and items[follow]["place_en"] is None
    backups = Store(path).list_backups()
    assert [b.read_bytes() for b in backups] == [raw] and backups[0].name.endswith("-schema1.json")


def test_a_calendar_leaves_undated_items_out_and_says_so(run, db: Path, tmp_path: Path) -> None:
    assert run("add", "-k", "visit", "-t", "来訪", "--undated", "-c", "GB", "-s", "exploring").exit_code == 0
    result = run("export", "-o", str(tmp_path / "all.ics"), "--ics-spans")
    assert result.exit_code == 0, result
    assert "left out 1 undated item(s)" in result.stderr
    assert "来訪" not in (tmp_path / "all.ics").read_text(encoding="utf-8")


def test_a_briefing_does_not_repeat_the_date_of_facts_noted_together(run, db: Path) -> None:
    assert run("note", ERC[:8], "一つ目", "--en", "first").exit_code == 0
    assert run("note", ERC[:8], "二つ目", "--en", "second").exit_code == 0
    md = run("--lang", "ja", "brief", EU[:8], "--format", "md").stdout
    lines = md.splitlines()
    first = next(i for i, line in enumerate(lines) if line.endswith("一つ目"))
    assert lines[first].startswith("  - ") and lines[first] != "  - 一つ目"  # dated
    assert lines[first + 1] == "  - 二つ目"  # the same day: not repeated
    assert "  - second" in run("--lang", "en", "brief", EU[:8], "--format", "md").stdout
