"""What needs attention, the scorecard, upcoming items, the log and timeline lanes, on a tracker with
known overdue, stale and complete items (today is pinned to 30 April 2019)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from stidiplo.model import Note, StatusChange
from tests.helpers import fixed_id, fixture_items, item, write_tracker

UK = fixed_id("uk-summit")


def followup_items() -> list:
    """The conftest tracker plus a Japan–UK summit whose follow-ups are in every state attention knows."""
    old = "2018-06-01T09:00:00Z"
    return [
        *fixture_items(),
        item(
            "uk-summit",
            kind="meeting",
            title="日英首脳会談",
            title_en="Japan–UK summit",
            date="2019-01-10",
            countries=["GB"],
            fields=["science-policy"],
            place="London",
            people=["Prime Minister", "Theresa May"],
        ),
        replace(
            item(
                "uk-mechanism",
                kind="program",
                title="実務者会議の設置に向け最終調整中",
                title_en="Working-level mechanism in final coordination",
                date="2019-01",
                countries=["GB"],
                fields=["science-policy"],
                follows=[UK],
                status="coordinating",
                history=[StatusChange("2019-01-20T10:00:00Z", "coordinating")],
                organizations=["MEXT", "UKRI"],
            ),
            updated="2019-01-20T10:00:00Z",
        ),
        item(
            "uk-forum",
            kind="event",
            title="RENKEIフォーラム",
            title_en="RENKEI forum",
            date="2019-03-15",
            countries=["GB"],
            fields=["climate"],
            follows=[UK],
            status="scheduled",
            place="Tokyo",
        ),
        item(
            "uk-workshop",
            kind="event",
            title="日英研究者ワークショップ",
            title_en="Japan–UK researcher workshop",
            date="2019-06",
            countries=["GB"],
            fields=["climate"],
            follows=[UK],
            status="scheduled",
        ),
        item(
            "uk-call",
            kind="joint-call",
            title="日英共同公募（支援中）",
            title_en="Japan–UK joint call (supported)",
            date="2015-04",
            end="2018-03",
            countries=["GB"],
            fields=["health"],
            follows=[UK],
            status="ongoing",
            organizations=["AMED", "MRC"],
        ),
        replace(
            item(
                "uk-old",
                kind="agreement",
                title="覚書の可能性を模索",
                title_en="Possible memorandum explored",
                date="2018",
                countries=["GB"],
                fields=["ai"],
                follows=[UK],
                status="exploring",
                history=[StatusChange(old, "exploring")],
                notes=[Note("2018-09-10T12:00:00Z", "Waiting for the UK side")],
            ),
            created=old,
            updated="2018-09-10T12:00:00Z",
        ),
        replace(
            item(
                "uk-noted",
                kind="agreement",
                title="データ共有の調整",
                title_en="Data sharing in coordination",
                date="2018",
                countries=["GB"],
                fields=["ai"],
                follows=[UK],
                status="coordinating",
                history=[StatusChange(old, "coordinating")],
                notes=[Note("2019-02-01T08:00:00Z", "Draft exchanged")],
            ),
            created=old,
            updated="2018-07-01T00:00:00Z",
        ),
        item(
            "uk-dropped",
            kind="visit",
            title="訪英（中止）",
            title_en="Visit to the UK (cancelled)",
            date="2019-02",
            countries=["GB"],
            fields=["health"],
            follows=[UK],
            status="dropped",
        ),
        item(
            "cn-committee",
            kind="meeting",
            title="第16回日中科学技術協力委員会",
            title_en="16th Japan–China S&T cooperation committee",
            date="2018-08-23",
            countries=["CN"],
            fields=["science-policy"],
            place="Beijing",
        ),
        item(
            "de-meeting",
            kind="meeting",
            title="日独科学技術協力合同委員会",
            title_en="Japan–Germany joint committee",
            date="2019-09",
            countries=["DE"],
            status="scheduled",
        ),
    ]


@pytest.fixture
def fdb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = write_tracker(tmp_path / "followup.json", followup_items())
    monkeypatch.setenv("STIDIPLO_DB", str(path))
    return path


NAMES = {
    fixed_id(name): name
    for name in (
        "eu-meeting",
        "erc",
        "quantum-ws",
        "riken",
        "us-meeting",
        "nsf-call",
        "lund",
        "se-doc",
        "uk-summit",
        "uk-mechanism",
        "uk-forum",
        "uk-workshop",
        "uk-call",
        "uk-old",
        "uk-noted",
        "uk-dropped",
        "cn-committee",
        "de-meeting",
    )
}


def names(ids: list[str]) -> list[str]:
    """Fixture names for ids, so assertions read as the fixture does."""
    return [NAMES[i] for i in ids]


# -- attention --------------------------------------------------------------------------------


def test_attention_json_lists_each_finding_with_its_reason(run, fdb: Path) -> None:
    result = run("attention", "--format", "json")
    assert result.exit_code == 0, result
    found = json.loads(result.stdout)
    assert [(f["reason"], names([f["item"]["id"]])[0]) for f in found] == [
        ("overdue", "uk-forum"),
        ("support-ended", "uk-call"),
        ("stale", "uk-old"),
        ("no-followups", "cn-committee"),
    ]
    assert [f["detail_en"] for f in found] == [
        "scheduled for 15 Mar 2019, not marked done or dropped (1 mo past)",
        "support period ended Mar 2018, still marked ongoing",
        "exploring, no status change or note since 10 Sep 2018 (7 mo)",
        "no follow-up recorded",
    ]
    assert found[0]["item"]["title"] == "RENKEIフォーラム" and set(found[0]["item"]) >= {"id", "status", "history"}


def test_attention_stale_months_is_configurable(run, fdb: Path) -> None:
    found = json.loads(run("attention", "--stale-months", "3", "--format", "json").stdout)
    stale = [names([f["item"]["id"]])[0] for f in found if f["reason"] == "stale"]
    assert stale == ["uk-old", "uk-mechanism"]


def test_a_note_keeps_an_item_from_going_stale(run, fdb: Path) -> None:
    found = json.loads(run("attention", "--stale-months", "2", "--format", "json").stdout)
    stale = {names([f["item"]["id"]])[0] for f in found if f["reason"] == "stale"}
    assert "uk-noted" in stale
    found = json.loads(run("attention", "--stale-months", "3", "--format", "json").stdout)
    assert "uk-noted" not in {names([f["item"]["id"]])[0] for f in found}


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--country", "china"], [("no-followups", "cn-committee")]),
        (["--kind", "joint-call"], [("support-ended", "uk-call")]),
        (["--field", "climate"], [("overdue", "uk-forum")]),
        (["--country", "SE"], []),
    ],
)
def test_attention_filters(run, fdb: Path, options: list[str], expected: list[tuple[str, str]]) -> None:
    result = run("attention", *options, "--format", "json")
    assert result.exit_code == 0
    assert [(f["reason"], names([f["item"]["id"]])[0]) for f in json.loads(result.stdout)] == expected


def test_attention_table_groups_by_reason(run, fdb: Path) -> None:
    result = run("attention")
    assert result.exit_code == 0
    out = result.stdout
    headings = ["Overdue (1)", "Support period ended (1)", "Stale (1)", "Meetings without follow-up (1)"]
    assert [out.index(h) for h in headings] == sorted(out.index(h) for h in headings)
    assert "RENKEI forum" in out and "still marked ongoing" in out and fixed_id("uk-old")[:6] in out


def test_attention_with_nothing_to_report_still_exits_zero(run, db: Path) -> None:
    result = run("--db", str(db), "attention", "--country", "SE")
    assert result.exit_code == 0
    assert (result.stdout, result.stderr) == ("", "Nothing needs attention as of 30 Apr 2019: --country SE\n")


def test_attention_in_japanese(run, fdb: Path) -> None:
    result = run("--lang", "ja", "attention", "--kind", "event", "--format", "json")
    assert json.loads(result.stdout)[0]["detail_ja"] == "2019年3月15日に予定、完了・中止の記録なし（1か月経過）"


def test_add_months_clamps_to_month_end() -> None:
    from stidiplo.dates import add_months

    assert add_months(date(2019, 8, 31), -6) == date(2019, 2, 28)
    assert add_months(date(2019, 4, 30), 3) == date(2019, 7, 30)
    assert add_months(date(2019, 11, 15), 2) == date(2020, 1, 15)


# -- scorecard --------------------------------------------------------------------------------


def test_scorecard_by_meeting_json(run, fdb: Path) -> None:
    result = run("scorecard", "--format", "json")
    assert result.exit_code == 0, result
    card = json.loads(result.stdout)
    assert card["by"] == "meeting"
    assert [(r["key"], r["total"], r["completed"]) for r in card["rows"]] == [
        (fixed_id("eu-meeting"), 3, 1.0),
        (fixed_id("us-meeting"), 1, 0.0),
        (UK, 7, 0.0),
    ]
    uk = card["rows"][2]
    assert (uk["label_en"], uk["label_ja"]) == ("10 Jan 2019 Japan–UK summit", "2019年1月10日 日英首脳会談")
    assert uk["counts"] == {"exploring": 1, "coordinating": 2, "scheduled": 2, "ongoing": 1, "done": 0, "dropped": 1}
    assert card["total"] == {
        "key": "total",
        "label_en": "Total",
        "label_ja": "計",
        "total": 11,
        "completed": 0.3,
        "counts": {"exploring": 1, "coordinating": 3, "scheduled": 2, "ongoing": 1, "done": 3, "dropped": 1},
    }


def test_scorecard_by_country_csv(run, fdb: Path) -> None:
    result = run("scorecard", "--by", "country", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout == (
        "key,name,exploring,coordinating,scheduled,ongoing,done,dropped,total,completed\n"
        "GB,United Kingdom (GB),1,2,2,1,0,1,7,0\n"
        "EU,European Union (EU),0,0,0,0,3,0,3,1\n"
        "BE,Belgium (BE),0,0,0,0,1,0,1,1\n"
        "FR,France (FR),0,0,0,0,1,0,1,1\n"
        "US,United States (US),0,1,0,0,0,0,1,0\n"
        "total,Total,1,3,2,1,3,1,11,0.3\n"
    )


@pytest.mark.parametrize(
    ("by", "keys"),
    [
        ("year", ["2015", "2018", "2019"]),
        ("field", ["ai", "climate", "health", "science-policy", "digital", "quantum", "researcher-exchange"]),
    ],
)
def test_scorecard_groupings(run, fdb: Path, by: str, keys: list[str]) -> None:
    card = json.loads(run("scorecard", "--by", by, "--format", "json").stdout)
    assert [r["key"] for r in card["rows"]] == keys


def test_scorecard_filters_choose_the_followups(run, fdb: Path) -> None:
    card = json.loads(run("scorecard", "--country", "EU", "--format", "json").stdout)
    assert [r["key"] for r in card["rows"]] == [fixed_id("eu-meeting")]
    assert card["total"]["completed"] == 1.0


def test_scorecard_share_ignores_dropped_and_is_empty_without_live_items(run, tmp_path: Path) -> None:
    path = write_tracker(
        tmp_path / "d.json",
        [
            item("m", kind="meeting", title="m", date="2018", countries=["SE"]),
            item(
                "x", kind="visit", title="x", date="2018", countries=["SE"], follows=[fixed_id("m")], status="dropped"
            ),
        ],
    )
    card = json.loads(run("--db", str(path), "scorecard", "--format", "json").stdout)
    assert card["rows"][0]["completed"] is None
    assert "–" in run("--db", str(path), "scorecard").stdout


def test_scorecard_table_and_markdown(run, fdb: Path) -> None:
    table = run("scorecard", "--by", "year").stdout
    assert "████████████░░░░░░░░" in table and "60%" in table and "30%" in table
    md = run("scorecard", "--by", "year", "--format", "md").stdout.splitlines()
    assert md[0] == (
        "| key | name | exploring | coordinating | scheduled | ongoing | done | dropped | total | completed |"
    )
    assert md[-1] == "| total | Total | 1 | 3 | 2 | 1 | 3 | 1 | 11 | 0.3 |"


def test_scorecard_writes_the_file_its_suffix_names(run, fdb: Path, tmp_path: Path) -> None:
    page, data = tmp_path / "scorecard.md", tmp_path / "scorecard.json"
    assert run("scorecard", "--by", "country", "-o", str(page)).stdout == f"wrote {page}\n"
    assert page.read_text(encoding="utf-8") == run("scorecard", "--by", "country", "--format", "md").stdout
    run("scorecard", "-o", str(data))
    assert json.loads(data.read_text(encoding="utf-8")) == json.loads(run("scorecard", "--format", "json").stdout)


def test_scorecard_refuses_an_unknown_grouping(run, fdb: Path) -> None:
    before = fdb.read_bytes()
    result = run("scorecard", "--by", "colour")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "meeting, country, field, year" in result.stderr
    assert fdb.read_bytes() == before


# -- upcoming ---------------------------------------------------------------------------------


def test_upcoming_within_three_months_by_default(run, fdb: Path) -> None:
    rows = json.loads(run("upcoming", "--format", "json").stdout)
    assert names([r["id"] for r in rows]) == ["uk-workshop"]


def test_upcoming_further_ahead_soonest_first(run, fdb: Path) -> None:
    rows = json.loads(run("upcoming", "--months", "6", "--format", "json").stdout)
    assert names([r["id"] for r in rows]) == ["uk-workshop", "de-meeting"]
    meetings = json.loads(run("upcoming", "--months", "6", "--kind", "meeting", "-f", "json").stdout)
    assert [m["date"] for m in meetings] == ["2019-09"]


def test_upcoming_table_says_how_far_ahead(run, fdb: Path) -> None:
    result = run("upcoming")
    assert result.exit_code == 0
    assert "Scheduled in the next 3 months" in result.stdout
    assert "Jun 2019  in 1 mo  Japan–UK researcher workshop" in result.stdout
    assert "RENKEI forum" not in result.stdout


def test_upcoming_says_days_when_near_and_by_when_the_date_already_runs(run, tmp_path: Path) -> None:
    path = write_tracker(
        tmp_path / "soon.json",
        [
            item("soon", kind="event", title="Soon", date="2019-05-12", countries=["SE"], status="scheduled"),
            item("this-year", kind="event", title="This year", date="2019", countries=["SE"], status="scheduled"),
        ],
    )
    lines = run("--db", str(path), "upcoming").stdout.splitlines()
    assert lines[1].split() == ["2019", "by", "31", "Dec", "2019", "This", "year"]
    assert lines[3].split() == ["12", "May", "2019", "in", "12", "days", "Soon"]


# -- log --------------------------------------------------------------------------------------


def test_log_derives_events_from_items_newest_first(run, fdb: Path) -> None:
    result = run("log", "--since", "2018-06", "--format", "json")
    assert result.exit_code == 0
    events = [(e["at"], e["action"], names([e["id"]])[0]) for e in json.loads(result.stdout)]
    assert events[-4:-2] == [
        ("2018-09-10T12:00:00Z", "noted", "uk-old"),
        ("2018-07-01T00:00:00Z", "edited", "uk-noted"),
    ]
    assert sorted(events[-2:]) == [
        ("2018-06-01T09:00:00Z", "added", "uk-noted"),
        ("2018-06-01T09:00:00Z", "added", "uk-old"),
    ]
    assert not any(action == "status" and name in ("uk-old", "uk-noted") for _, action, name in events)
    assert ("2019-02-01T08:00:00Z", "noted", "uk-noted") in events
    assert ("2019-01-20T10:00:00Z", "status", "uk-mechanism") in events


def test_log_records_commands_as_they_happen(run, fdb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ticks = iter(range(100))
    monkeypatch.setattr("stidiplo.schema.now", lambda: f"2019-05-01T09:00:{next(ticks):02d}Z")
    short = fixed_id("uk-forum")[:8]
    assert run("note", short, "Venue moved to Osaka").exit_code == 0
    assert run("edit", short, "--status", "done").exit_code == 0
    assert run("edit", short, "--place", "Osaka").exit_code == 0
    events = json.loads(run("log", "--limit", "3", "--format", "json").stdout)
    assert [(e["action"], e["status"], e["note"]) for e in events] == [
        ("edited", None, None),
        ("status", "done", None),
        ("noted", None, "Venue moved to Osaka"),
    ]
    assert all(e["id"] == fixed_id("uk-forum") for e in events)


def test_a_note_is_one_event_however_slow_the_clock(run, fdb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ticks = iter(range(100))
    monkeypatch.setattr("stidiplo.schema.now", lambda: f"2019-05-01T09:00:{next(ticks):02d}Z")
    assert run("note", fixed_id("uk-forum")[:8], "Venue confirmed").exit_code == 0
    events = json.loads(run("log", "--since", "2019-05", "--format", "json").stdout)
    assert [(e["at"], e["action"]) for e in events] == [("2019-05-01T09:00:00Z", "noted")]


def test_log_table(run, fdb: Path) -> None:
    result = run("log", "--limit", "2")
    assert result.exit_code == 0
    assert "added" in result.stdout and "Japan–UK summit" not in result.stdout.split("\n")[0]
    assert (
        len([line for line in result.stdout.splitlines() if fixed_id("uk-summit")[:6] in line or "2019-04-30" in line])
        == 2
    )


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_log_gives_the_title_room_at_80_columns(run, fdb: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    from rich.cells import cell_len

    from stidiplo import vocab

    monkeypatch.setenv("COLUMNS", "80")
    header = run("--lang", lang, "log").stdout.splitlines()[0]
    title, change = vocab.header("title", lang), vocab.header("change", lang)
    assert cell_len(header[header.index(title) : header.index(change)]) >= 22 and cell_len(header) <= 80


def test_log_refuses_a_bad_date(run, fdb: Path) -> None:
    result = run("log", "--since", "whenever")
    assert result.exit_code == 2 and result.stderr.startswith("stidiplo: ")


# -- timeline lanes ---------------------------------------------------------------------------


def test_timeline_by_country_draws_a_lane_per_country(run, fdb: Path) -> None:
    result = run("timeline", "--by", "country")
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert lines[0].split() == [str(y) for y in range(2015, 2020)]
    uk = next(line for line in lines if line.startswith("United Kingdom (GB)"))
    assert uk.split()[-1] == "8"
    cells = uk[len("United Kingdom (GB)") :].split()
    assert cells[:3] == ["▶────", "─────", "─────"] and cells[3] == "~?───"
    sweden = next(line for line in lines if line.startswith("Sweden (SE)"))
    assert "✓✓" in sweden


def test_timeline_by_field(run, fdb: Path) -> None:
    result = run("timeline", "--by", "field", "--country", "GB")
    assert result.exit_code == 0
    lanes = result.stdout.splitlines()[1:-1]
    expected = ["Artificial intelligence", "Climate change", "Health and medicine", "Science and technology policy"]
    assert len(lanes) == len(expected)
    assert all(line.startswith(name) for line, name in zip(lanes, expected, strict=True))


def test_timeline_lanes_as_html(run, fdb: Path) -> None:
    result = run("timeline", "--by", "country", "--format", "html")
    assert result.exit_code == 0
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>") and '<table class="lanes">' in page
    assert "<th>United Kingdom (GB)</th>" in page and 'title="15 Mar 2019 RENKEI forum (scheduled)"' in page


def test_timeline_html_without_lanes_lists_items_by_year(run, fdb: Path) -> None:
    page = run("timeline", "--country", "SE", "--format", "html").stdout
    assert "<h2>2018</h2>" in page and "Minister visits Lund" in page and "RENKEI" not in page


def test_timeline_keeps_its_year_view_without_by(run, fdb: Path) -> None:
    result = run("timeline", "--country", "SE")
    assert result.stdout.splitlines()[0] == "2018"


def test_timeline_lanes_refuse_machine_formats(run, fdb: Path) -> None:
    result = run("timeline", "--by", "country", "--format", "json")
    assert result.exit_code == 2 and "--by" in result.stderr and result.stdout == ""


def test_lanes_fold_long_quiet_stretches_into_one_gap() -> None:
    from stidiplo.tally import lanes

    items = [
        item("old", kind="agreement", title="1980 agreement", date="1980-05", countries=["CN"]),
        item("a", kind="event", title="a", date="2015", countries=["CN"]),
        item("b", kind="event", title="b", date="2018-03", end="2019-02", countries=["SE"], status="ongoing"),
    ]
    years, built = lanes(items, "country")
    assert years == [1980, None, 2015, 2016, 2017, 2018, 2019]
    sweden = next(lane for lane in built if lane.key == "SE")
    assert sweden.cells == {2018: ([items[2]], []), 2019: ([], [items[2]])}


def test_log_orders_fiscal_year_stamps_by_the_days_they_stand_for() -> None:
    from stidiplo.activity import log

    call = replace(
        item(
            "call",
            kind="joint-call",
            title="call",
            date="FY2018",
            countries=["DE"],
            status="ongoing",
            history=[StatusChange("2018-03-01T00:00:00Z", "scheduled"), StatusChange("FY2018", "ongoing")],
        ),
        created="2018-03-01T00:00:00Z",
        updated="2018-03-01T00:00:00Z",
    )
    noted = replace(
        item(
            "noted",
            kind="event",
            title="noted",
            date="2019",
            countries=["DE"],
            history=[StatusChange("2018-01-01T00:00:00Z", "done")],
            notes=[Note("2019-01-10T00:00:00Z", "n")],
        ),
        created="2018-01-01T00:00:00Z",
        updated="2019-01-10T00:00:00Z",
    )
    assert [(e.at, e.action) for e in log([call, noted])] == [
        ("2019-01-10T00:00:00Z", "noted"),
        ("FY2018", "status"),
        ("2018-03-01T00:00:00Z", "added"),
        ("2018-01-01T00:00:00Z", "added"),
    ]


def test_overdue_by_less_than_a_month_says_days() -> None:
    from stidiplo.attention import OVERDUE, Finding
    from stidiplo.labels import finding_detail as detail

    forum = item("f", kind="event", title="f", date="2019-04-10", countries=["GB"], status="scheduled")
    finding = Finding(OVERDUE, forum, forum.finish)
    assert detail(finding, date(2019, 4, 30), "en").endswith("(20 days past)")
    assert detail(finding, date(2019, 4, 30), "ja").endswith("（20日経過）")
