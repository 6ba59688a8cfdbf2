"""The terminal views, called directly on a small tracker and drawn at a pinned width.

Beside the command tests: these check what each view draws from the data it is handed (headings,
order, marks, sentences), and that user text is shown, never obeyed, even from a hand-damaged file.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from stidiplo.activity import log
from stidiplo.attention import findings, upcoming
from stidiplo.followups import brief, brief_country, followups_by_meeting
from stidiplo.labels import group_name
from stidiplo.model import Note, StatusChange
from stidiplo.query import Filter
from stidiplo.tally import lanes, scorecard
from stidiplo.tracker import Tracker
from stidiplo.views import plain_text
from stidiplo.views.attention import attention_view, upcoming_table
from stidiplo.views.detail import item_detail
from stidiplo.views.followups import briefing_view, country_briefing_view, followups_view
from stidiplo.views.items import ItemsTable, counts_table
from stidiplo.views.log import log_table
from stidiplo.views.scorecard import scorecard_table
from stidiplo.views.timeline import LanesView, timeline_view
from tests.helpers import fixed_id, fixture_items, item, write_tracker
from tests.test_attention import UK, followup_items

TODAY = date(2019, 4, 30)
EU = fixed_id("eu-meeting")
ERC = fixed_id("erc")


@pytest.fixture
def tracker() -> Tracker:
    return Tracker({i.id: i for i in followup_items()}, {})


def draw(renderable: object, width: int = 100) -> str:
    return plain_text(renderable, width)  # type: ignore[arg-type]


def test_items_table_has_one_row_per_item_under_the_headers(tracker: Tracker) -> None:
    chosen = [tracker.items[EU], tracker.items[ERC]]
    lines = draw(ItemsTable(chosen, tracker, "en")).splitlines()
    assert lines[0].split() == ["ID", "Date", "Kind", "Status", "Countries", "Title"]
    assert lines[2].startswith(tracker.short_id(EU)) and "Minister meets Commissioner Moedas" in lines[2]
    assert "7 Oct 2018" in lines[3] and "✓ done" in lines[3]


def test_counts_table_in_japanese() -> None:
    lines = draw(counts_table([("SE", "スウェーデン", 2)], "ja")).splitlines()
    assert lines[0].split() == ["コード", "名称", "件数"] and lines[2].split() == ["SE", "スウェーデン", "2"]


def test_item_detail_lists_history_in_date_order(tracker: Tracker) -> None:
    memo = tracker.items[fixed_id("uk-old")]
    out = draw(item_detail(memo, tracker, "en"))
    assert out.index("Possible memorandum explored") < out.index("History")
    history = out.split("History")[1]
    assert history.index("? exploring") < history.index("Waiting for the UK side")
    assert f"{tracker.short_id(UK)}  Japan–UK summit" in out


def test_followups_view_groups_by_field_with_a_tally(tracker: Tracker) -> None:
    report = followups_by_meeting(tracker, Filter(countries=frozenset({"EU"})), Filter())
    out = draw(followups_view(report, tracker, "en", TODAY))
    assert out.splitlines()[0].startswith(f"{tracker.short_id(EU)}  Jan 2018  Minister meets Commissioner Moedas")
    assert out.index("■ Quantum technology") < out.index("■ Researcher exchange") < out.index("✓ done 3")
    assert "7 mo ago" in out  # the workshop of September 2018, seen from April 2019


def test_briefing_view_sections_then_pending_and_overdue(tracker: Tracker) -> None:
    out = draw(briefing_view(brief(tracker, tracker.items[UK], TODAY), tracker, "en"))
    assert out.splitlines()[0] == "Status since Japan–UK summit (10 Jan 2019)"
    assert out.index("■ Health and medicine") < out.index("Still pending (4)") < out.index("Overdue (1)")
    assert "Waiting for the UK side" in out


def test_country_briefing_view_names_the_country(tracker: Tracker) -> None:
    out = draw(country_briefing_view(brief_country(tracker, "SE", TODAY), tracker, "ja"))
    assert out.splitlines()[0] == "スウェーデン：会談後の状況"
    assert "スウェーデンとのその他の案件" in out and "スウェーデン・ルンドへの文部科学大臣訪問" in out


def test_timeline_view_years_as_headings(tracker: Tracker) -> None:
    chosen = [tracker.items[EU], tracker.items[ERC], tracker.items[UK]]
    lines = draw(timeline_view(chosen, "ja")).splitlines()
    assert [line for line in lines if line.endswith("年")] == ["2018年", "2019年"]
    assert lines[1].startswith("✓") and "欧州連合" in lines[1]


def test_lanes_view_marks_each_year_and_ends_with_the_legend() -> None:
    items = fixture_items()
    years, built = lanes(items, "country")
    named = [(group_name(lane.key, "country", Tracker({}, {}), "en"), lane) for lane in built]
    lines = draw(LanesView(years, named, "en")).splitlines()
    assert lines[0].split() == [str(y) for y in years]
    eu = next(line for line in lines if line.startswith("European Union (EU)"))
    assert eu.rstrip().endswith("4") and "✓" in eu
    assert "✓ done" in lines[-1] and "? exploring" in lines[-1]


def test_attention_view_one_heading_per_reason(tracker: Tracker) -> None:
    found = findings(tracker, Filter(), TODAY)
    out = draw(attention_view(found, tracker, "en", TODAY), width=200)
    assert out.index("Overdue (1)") < out.index("Stale (")
    assert "scheduled for 15 Mar 2019, not marked done or dropped (1 mo past)" in out
    calm = draw(attention_view([], tracker, "ja", TODAY))
    assert calm.strip() == "2019年4月30日現在、要対応の案件はありません。"


def test_upcoming_table_says_how_far_ahead(tracker: Tracker) -> None:
    coming = upcoming(tracker.all(), Filter(), TODAY, 6)
    out = draw(upcoming_table(coming, tracker, "en", TODAY, 6))
    assert out.splitlines()[0] == "Scheduled in the next 6 months"
    assert out.splitlines()[1].split() == ["Jun", "2019", "in", "1", "mo", "Japan–UK", "researcher", "workshop"]
    assert "Sep 2019  in 4 mo  Japan–Germany joint committee" in out
    assert draw(upcoming_table([], tracker, "ja", TODAY, 2)).strip() == "今後2か月の予定はありません。"


def test_log_table_one_row_per_change_newest_first(tracker: Tracker) -> None:
    events = log(tracker.all(), limit=4)
    lines = draw(log_table(events, tracker, "en"), width=160).splitlines()
    assert lines[0].split()[:3] == ["When", "Action", "ID"]
    rows = [line.split() for line in lines[2:] if line[:2] == "20"]
    assert [(row[2], row[3]) for row in rows] == [(e.action, tracker.short_id(e.item.id)) for e in events]
    assert [row[0] for row in rows] == sorted((row[0] for row in rows), reverse=True)


def test_scorecard_table_rows_totals_and_legend(tracker: Tracker) -> None:
    followups = [i for i in tracker.all() if i.follows]
    rows, total = scorecard(tracker, followups, "year")
    out = draw(scorecard_table([(t.key, t) for t in rows], total, "year", "en"))
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    assert lines[0].split() == ["Year", "?", "~", "○", "▶", "✓", "✗", "Σ", "Completed", "%"]
    assert lines[3].split() == ["2018", "1", "1", "·", "·", "3", "·", "5", "████████████░░░░░░░░", "60%"]
    assert lines[-2].split() == ["Total", "1", "3", "2", "1", "3", "1", "11", "██████░░░░░░░░░░░░░░", "30%"]
    assert lines[-1].split()[-2:] == ["✗", "dropped"]


# -- text is shown, never obeyed, even from a hand-damaged file ------------------------------

ESCAPE = "\x1b]0;pwned\x07\x1b[2J"


def damaged_items() -> list:
    """A meeting and a follow-up whose stamps and country codes were edited by hand to hold escapes."""
    meeting = item(
        "damaged-meeting",
        kind="meeting",
        title="会談",
        title_en="Meeting",
        date="2018-01",
        countries=["SE" + ESCAPE],
        history=[StatusChange("2018" + ESCAPE, "done")],
        notes=[Note("2019-01-01" + ESCAPE, "note")],
    )
    meeting = dataclasses.replace(meeting, created="2018-01-01T00:00:00Z" + ESCAPE, updated="2019" + ESCAPE)
    followup = item(
        "damaged-followup",
        kind="event",
        title="行事",
        date="2018-06",
        countries=["SE"],
        follows=[meeting.id],
        notes=[Note("2018-07" + ESCAPE, "later")],
    )
    return [meeting, followup]


@pytest.mark.parametrize(
    "command",
    [
        ["show", fixed_id("damaged-meeting")[:8]],
        ["log"],
        ["countries"],
        ["followups"],
        ["brief", fixed_id("damaged-meeting")[:8]],
    ],
    ids=" ".join,
)
def test_views_show_hand_edited_stamps_and_codes_literally(run, tmp_path: Path, command: list[str]) -> None:
    path = write_tracker(tmp_path / "damaged.json", damaged_items())
    result = run("--db", str(path), *command)
    assert result.exit_code == 0, result
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\\x1b]0;pwned\\x07" in result.stdout
