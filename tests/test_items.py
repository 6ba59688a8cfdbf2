"""The everyday item commands: list, show, add, edit, note, remove."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import fixed_id

ERC = fixed_id("erc")
EU = fixed_id("eu-meeting")


def listed_ids(result) -> list[str]:
    return [row["id"] for row in json.loads(result.stdout)]


def test_list_defaults_to_date_order(run, db: Path) -> None:
    result = run("list", "--format", "json")
    assert result.exit_code == 0
    dates = [row["date"] for row in json.loads(result.stdout)]
    assert dates == ["2018-01", "2018-01-09", "2018-05", "2018-09-03", "2018-10-07", "2018-10-10", "2018-11-01", "2019"]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--country", "sweden"], {"lund", "se-doc"}),
        (["--country", "スウェーデン"], {"lund", "se-doc"}),
        (["--country", "FR", "--country", "US"], {"quantum-ws", "us-meeting", "nsf-call"}),
        (["--field", "quantum"], {"quantum-ws"}),
        (["--kind", "meeting"], {"eu-meeting", "us-meeting"}),
        (["--status", "coordinating"], {"nsf-call"}),
        (["--since", "2018-10"], {"erc", "se-doc", "riken", "nsf-call"}),
        (["--until", "2018-01"], {"eu-meeting", "lund"}),
        (["--since", "2018-01", "--until", "2018-01"], {"eu-meeting", "lund"}),
        (["--until", "2018"], {"eu-meeting", "lund", "us-meeting", "quantum-ws", "erc", "se-doc", "riken"}),
        (["--follows", EU[:8]], {"erc", "quantum-ws", "riken"}),
        (["--search", "erc"], {"erc"}),
        (["--search", "ワークショップ"], {"quantum-ws"}),
        (["--search", "ＥＲＣ"], {"erc"}),
        (["--search", "paris"], {"quantum-ws"}),
    ],
)
def test_list_filters(run, db: Path, options: list[str], expected: set[str]) -> None:
    result = run("list", *options, "--format", "json")
    assert result.exit_code == 0, result
    assert set(listed_ids(result)) == {fixed_id(n) for n in expected}


def test_list_month_precision_matches_since_same_month(run, db: Path) -> None:
    ids = listed_ids(run("list", "--since", "2018-01", "--kind", "meeting", "--format", "json"))
    assert fixed_id("eu-meeting") in ids


def test_list_sort_limit_reverse(run, db: Path) -> None:
    result = run("list", "--sort", "title", "--limit", "2", "--format", "json")
    titles = [row["title"] for row in json.loads(result.stdout)]
    assert titles == ["JSTとERCの実施取極に署名", "JSTとNSFで共同公募に向けて調整中"]
    newest = listed_ids(run("list", "--reverse", "--limit", "1", "--format", "json"))
    assert newest == [fixed_id("nsf-call")]


def test_list_json_has_every_key(run, db: Path) -> None:
    rows = json.loads(run("list", "--format", "json").stdout)
    keys = {
        "id",
        "kind",
        "title",
        "title_en",
        "date",
        "end",
        "countries",
        "fields",
        "status",
        "history",
        "follows",
        "related",
        "organizations",
        "programmes",
        "people",
        "people_en",
        "place",
        "place_en",
        "participants",
        "participants_en",
        "amount",
        "sources",
        "provenance",
        "notes",
        "date_estimated",
        "end_estimated",
        "created",
        "updated",
    }
    assert all(set(row) == keys for row in rows)
    erc = next(r for r in rows if r["id"] == ERC)
    assert erc["follows"] == [EU] and erc["countries"] == ["EU"] and erc["end"] is None


def test_list_table_shows_short_ids_and_titles(run, db: Path) -> None:
    result = run("list", "--country", "SE")
    assert result.exit_code == 0
    assert fixed_id("lund")[:6] in result.stdout
    assert "Minister visits Lund" in result.stdout
    assert "Minister meets NSF" not in result.stdout


def test_list_csv_and_md(run, db: Path) -> None:
    csv_out = run("list", "--country", "SE", "--format", "csv").stdout.splitlines()
    assert csv_out[0] == "id,date,end,kind,status,countries,fields,title,title_en,follows"
    assert len(csv_out) == 3
    md = run("list", "--country", "SE", "--format", "md").stdout.splitlines()
    assert md[0].startswith("| id | date |") and md[1].startswith("|---|")
    assert len(md) == 4


def test_show_lists_meeting_followups_and_history(run, db: Path) -> None:
    result = run("show", EU[:7])
    assert result.exit_code == 0
    out = result.stdout
    assert "Minister meets Commissioner Moedas" in out
    for name in ("JST and ERC sign", "RIKEN Europe office", "quantum technology workshop"):
        assert name in out
    follower = run("show", ERC[:6]).stdout
    assert EU[:6] in follower and "Minister meets Commissioner Moedas" in follower


def test_show_json(run, db: Path) -> None:
    data = json.loads(run("show", ERC, "--format", "json").stdout)
    assert data["id"] == ERC and data["organizations"] == ["JST", "ERC"]


def test_add_prints_id_and_persists(run, db: Path) -> None:
    result = run(
        "add",
        "--kind",
        "event",
        "--title",
        "日EU量子ワークショップ第2回",
        "--date",
        "2019-06-03",
        "--country",
        "EU",
        "--country",
        "フランス",
        "--field",
        "quantum",
        "--follows",
        EU[:8],
        "--org",
        "JST",
        "--amount",
        "1,000,000 JPY",
        "--note",
        "planned",
    )
    assert result.exit_code == 0, result
    short = result.stdout.strip()
    assert len(short) >= 6
    data = json.loads(db.read_text(encoding="utf-8"))
    new = [k for k in data["items"] if k.startswith(short)]
    assert len(new) == 1
    record = data["items"][new[0]]
    assert record["countries"] == ["EU", "FR"] and record["follows"] == [EU]
    assert record["status"] == "scheduled"  # dated after STIDIPLO_TODAY
    assert record["history"][0]["status"] == "scheduled"
    assert record["amount"] == {"currency": "JPY", "detail": None, "value": 1000000}
    assert record["notes"][0]["text"] == "planned"


def test_add_past_date_defaults_to_done(run, db: Path) -> None:
    short = run("add", "-k", "visit", "-t", "visit", "-d", "2018-06", "-c", "DE").stdout.strip()
    data = json.loads(run("show", short, "--format", "json").stdout)
    assert data["status"] == "done" and data["date"] == "2018-06"


def test_add_missing_fields_named_together(run, db: Path) -> None:
    before = db.read_bytes()
    result = run("add", "--title", "x")
    assert result.exit_code == 2
    assert "--kind" in result.stderr and "--date" in result.stderr and "--country" in result.stderr
    assert db.read_bytes() == before


def test_edit_status_keeps_history(run, db: Path) -> None:
    nsf = fixed_id("nsf-call")
    result = run(
        "edit",
        nsf[:6],
        "--status",
        "done",
        "--add-country",
        "CA",
        "--remove-field",
        "digital",
        "--add-field",
        "ai",
        "--title-en",
        "JST–NSF joint call",
    )
    assert result.exit_code == 0, result
    data = json.loads(run("show", nsf, "--format", "json").stdout)
    assert data["status"] == "done"
    assert [h["status"] for h in data["history"]] == ["coordinating", "done"]
    assert data["countries"] == ["US", "CA"] and data["fields"] == ["ai"]
    assert data["title_en"] == "JST–NSF joint call"


def test_edit_with_editor(run, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "ed.py"
    script.write_text(
        "import json, sys\np = sys.argv[1]\nd = json.load(open(p))\nd['place'] = 'Kyoto'\njson.dump(d, open(p, 'w'))\n",
        encoding="utf-8",
    )
    import sys

    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)
    assert run("edit", ERC[:6], "--editor").exit_code == 0
    assert json.loads(run("show", ERC, "--format", "json").stdout)["place"] == "Kyoto"


def test_note_is_dated_and_shown(run, db: Path) -> None:
    assert run("note", ERC[:6], "Signed in Kyoto during STS forum").exit_code == 0
    data = json.loads(run("show", ERC, "--format", "json").stdout)
    assert data["notes"][-1]["text"] == "Signed in Kyoto during STS forum"
    assert data["notes"][-1]["at"].endswith("Z")
    assert "Signed in Kyoto" in run("show", ERC).stdout


def test_remove_needs_confirmation_and_guards_meetings(run, db: Path) -> None:
    before = db.read_bytes()
    assert run("remove", ERC[:6]).exit_code == 2
    refused = run("remove", EU[:6], "--yes")
    assert refused.exit_code == 2 and "followed by 3" in refused.stderr
    assert db.read_bytes() == before
    assert run("remove", ERC[:6], "--yes").exit_code == 0
    assert ERC not in json.loads(db.read_text(encoding="utf-8"))["items"]
    detached = run("remove", EU[:6], "--yes", "--detach")
    assert detached.exit_code == 0 and "2 follow-up(s) detached" in detached.stdout
    items = json.loads(db.read_text(encoding="utf-8"))["items"]
    assert items[fixed_id("riken")]["follows"] == []


def test_remove_interactive_confirm(run, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("stidiplo.cli.items.interactive", lambda: True)
    result = run("remove", ERC[:6], input="n\n")
    assert result.exit_code == 1
    assert ERC in json.loads(db.read_text(encoding="utf-8"))["items"]


def test_add_prompts_for_missing_fields_until_valid(run, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("stidiplo.cli.record.interactive", lambda: True)
    answers = "party\nevent\nSeminar\nsoon\n2018-04\nNarnia\nデンマーク\n"
    result = run("add", input=answers)
    assert result.exit_code == 0, result
    assert "unknown kind 'party'" in result.stderr and "cannot read date" in result.stderr
    assert "unknown country 'Narnia'" in result.stderr
    data = json.loads(run("show", result.stdout.strip().splitlines()[-1], "--format", "json").stdout)
    assert (data["kind"], data["title"], data["date"], data["countries"]) == ("event", "Seminar", "2018-04", ["DK"])


def test_global_options_may_follow_the_command(run, db: Path, tmp_path: Path) -> None:
    before = run("--lang", "ja", "list", "--country", "sweden")
    after = run("list", "--country", "sweden", "--lang", "ja")
    assert after.exit_code == 0 and after.stdout == before.stdout and "スウェーデン" in after.stdout
    other = tmp_path / "other.json"
    assert run("init", str(other)).exit_code == 0
    assert "Lund" not in run("list", f"--db={other}").stdout
    assert "Lund" in run("list").stdout


def test_a_global_option_name_as_an_option_value_stays_a_value(run, db: Path) -> None:
    added = run("add", "--kind", "event", "--title", "--lang", "--date", "2019-05", "--country", "SE")
    assert added.exit_code == 0, added.stderr
    shown = json.loads(run("show", added.stdout.split()[-1], "--format", "json").stdout)
    assert shown["title"] == "--lang"


def test_followups_columns_line_up_across_field_groups(run, db: Path) -> None:
    out = run("followups", "--country", "EU").stdout.splitlines()
    titles = ("JST and ERC sign", "Japan–EU quantum", "RIKEN Europe office")
    starts = {next(line.index(t) for line in out if t in line) for t in titles}
    assert len(starts) == 1, out


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_timeline_columns_line_up_across_years(run, db: Path, lang: str) -> None:
    from rich.cells import cell_len

    items = json.loads(run("list", "--format", "json").stdout)
    titles = [i["title_en"] if lang == "en" else i["title"] for i in items]
    out = run("--lang", lang, "timeline").stdout.splitlines()
    starts = {cell_len(line[: line.rindex(t)]) for t in titles for line in out if t in line}
    assert len(starts) == 1, out


@pytest.mark.parametrize("option", ["--db", "--lang"])
def test_a_global_option_after_the_command_needs_its_value(run, db: Path, option: str) -> None:
    before = db.read_bytes()
    result = run("list", option)
    assert result.exit_code == 2 and result.stderr == f"stidiplo: option {option} needs a value\n"
    assert db.read_bytes() == before


def test_timeline_writes_the_file_its_suffix_names(run, db: Path, tmp_path: Path) -> None:
    page, table, plain = tmp_path / "lanes.html", tmp_path / "timeline.md", tmp_path / "timeline.txt"
    assert run("timeline", "--by", "country", "-o", str(page)).stdout == f"wrote {page}\n"
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>") and "Sweden" in page.read_text(
        encoding="utf-8"
    )
    run("timeline", "--country", "SE", "-o", str(table))
    rows = table.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("| id | date |") and len(rows) == 2 + 2
    run("timeline", "--country", "SE", "-o", str(plain))
    assert "Minister visits Lund" in plain.read_text(encoding="utf-8")
    missing = run("timeline", "-o", str(tmp_path / "nowhere" / "t.html"))
    assert missing.exit_code == 2 and "does not exist" in missing.stderr and not (tmp_path / "nowhere").exists()


EDITOR_THAT_ALSO_NOTES = """
import json, subprocess, sys
other, path = sys.argv[1], sys.argv[2]
done = subprocess.run([sys.executable, "-m", "stidiplo", "note", other, "noted while editing"], timeout=60)
assert done.returncode == 0
record = json.load(open(path))
record["place"] = "Kyoto"
json.dump(record, open(path, "w"))
"""


@pytest.mark.parametrize("noted", ["other", "same"])
def test_the_editor_holds_no_lock(run, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, noted: str) -> None:
    """Others may write while a person edits; a change to the same item meanwhile is not overwritten."""
    import sys

    script = tmp_path / "ed.py"
    script.write_text(EDITOR_THAT_ALSO_NOTES, encoding="utf-8")
    target = ERC if noted == "same" else EU
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script} {target}")
    monkeypatch.delenv("VISUAL", raising=False)
    result = run("edit", ERC[:6], "--editor")
    noted_item = json.loads(run("show", target, "--format", "json").stdout)
    assert [n["text"] for n in noted_item["notes"]][-1:] == ["noted while editing"]
    erc = json.loads(run("show", ERC, "--format", "json").stdout)
    if noted == "other":
        assert result.exit_code == 0 and erc["place"] == "Kyoto"
    else:
        assert result.exit_code == 1 and "was changed while you edited it" in result.stderr
        assert erc["place"] != "Kyoto"
