"""The documents and records, called directly: Markdown, HTML and the plain records behind JSON,
CSV and Markdown tables."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import pytest

from stidiplo.activity import log
from stidiplo.attention import findings
from stidiplo.followups import brief, brief_country
from stidiplo.formats.html import html_text, write_briefing_html, write_lanes_html, write_timeline_html
from stidiplo.formats.markdown import write_briefing_md, write_by_year, write_country_briefing_md, write_md
from stidiplo.formats.records import event_records, finding_records, history_entries, scorecard_records, scorecard_rows
from stidiplo.formats.table import write_csv
from stidiplo.query import Filter
from stidiplo.tally import lanes, scorecard
from stidiplo.tracker import Tracker
from tests.helpers import fixed_id, fixture_items
from tests.test_attention import UK, followup_items

TODAY = date(2019, 4, 30)
EU = fixed_id("eu-meeting")


@pytest.fixture
def tracker() -> Tracker:
    return Tracker({i.id: i for i in followup_items()}, {})


def written(writer, *args) -> str:
    out = io.StringIO()
    writer(*args, out)
    return out.getvalue()


# -- records ----------------------------------------------------------------------------------


def test_history_entries_only_once_there_is_more_than_the_first_status(tracker: Tracker) -> None:
    memo = tracker.items[fixed_id("uk-old")]
    assert history_entries(memo, "en") == [("1 Jun 2018", "? exploring"), ("10 Sep 2018", "Waiting for the UK side")]


def test_history_entries_without_marks_keep_a_note_that_starts_like_one(tracker: Tracker) -> None:
    memo = tracker.items[fixed_id("uk-old")]
    noted = dataclasses.replace(memo, notes=[dataclasses.replace(memo.notes[0], text="? to be confirmed by JST")])
    assert history_entries(noted, "en", marks=False) == [
        ("1 Jun 2018", "exploring"),
        ("10 Sep 2018", "? to be confirmed by JST"),
    ]
    assert history_entries(tracker.items[EU], "en") == []


def test_finding_records_carry_the_sentence(tracker: Tracker) -> None:
    records = finding_records(findings(tracker, Filter(), TODAY), TODAY)
    overdue = [r for r in records if r["reason"] == "overdue"]
    assert [r["item"]["title_en"] for r in overdue] == ["RENKEI forum"]
    assert overdue[0]["detail_ja"] == "2019年3月15日に予定、完了・中止の記録なし（1か月経過）"
    assert overdue[0]["detail_en"] == "scheduled for 15 Mar 2019, not marked done or dropped (1 mo past)"
    assert overdue[0]["since"] == "2019-03-15"


def test_event_records_name_the_item(tracker: Tracker) -> None:
    records = event_records(log(tracker.all(), limit=2))
    assert set(records[0]) == {"action", "at", "id", "kind", "note", "note_en", "status", "title", "title_en"}
    assert [r["action"] for r in records] == ["added", "added"]


def test_scorecard_records_and_rows(tracker: Tracker) -> None:
    rows, total = scorecard(tracker, [i for i in tracker.all() if i.follows], "year")
    named = [(t.key, t) for t in rows]
    record = scorecard_records([t for _, t in named], total, "year", lambda key, lang: f"{key} {lang}")
    assert (record["rows"][0]["label_en"], record["rows"][0]["label_ja"]) == (f"{rows[0].key} en", f"{rows[0].key} ja")
    assert record["by"] == "year" and record["total"]["completed"] == 0.3
    header, cells = scorecard_rows(named, total, "ja")
    assert header[-2:] == ["total", "completed"]
    assert cells[-1][:2] == ["total", "計"] and cells[-1][-1] == "0.3"


# -- Markdown ---------------------------------------------------------------------------------


def test_markdown_listing_and_export_by_year(tracker: Tracker) -> None:
    items = [tracker.items[EU], tracker.items[UK]]
    listing = written(write_md, items).splitlines()
    assert listing[0] == "| id | date | end | kind | status | countries | fields | title | title_en | follows |"
    assert listing[2].startswith(f"| {EU} | 2018-01 |")
    by_year = written(write_by_year, items, "ja").splitlines()
    assert [line for line in by_year if line.startswith("## ")] == ["## 2018", "## 2019"]
    assert by_year[2] == "| 日付 | 件名 | 種別 | 状況 | 国・地域 | 分野 | 機関 |"


def test_markdown_briefing_lists_history_under_its_item(tracker: Tracker) -> None:
    md = written(write_briefing_md, brief(tracker, tracker.items[UK], TODAY), "en")
    assert md.startswith("# Status since Japan–UK summit (10 Jan 2019)\n")
    assert "  - 10 Sep 2018: Waiting for the UK side\n" in md
    assert md.endswith("\n*As of 30 Apr 2019*\n")


def test_markdown_country_briefing_nests_each_meeting(tracker: Tracker) -> None:
    md = written(write_country_briefing_md, brief_country(tracker, "EU", TODAY), "en")
    assert md.startswith("# Briefing: European Union\n\n## Status since Minister meets Commissioner Moedas")
    assert "### ■ Quantum technology" in md


# -- CSV --------------------------------------------------------------------------------------


def test_csv_listing_one_row_per_item_formulas_neutralised() -> None:
    meeting = dataclasses.replace(fixture_items()[0], title="=HYPERLINK(1)")
    out = written(write_csv, [meeting]).splitlines()
    assert out == [
        "id,date,end,kind,status,countries,fields,title,title_en,follows",
        f"{EU},2018-01,,meeting,done,EU,science-policy,'=HYPERLINK(1),Minister meets Commissioner Moedas,",
    ]


# -- HTML -------------------------------------------------------------------------------------


def test_html_text_escapes_markup_and_control_characters() -> None:
    assert html_text('<a href="x">&\x1b[2J\r') == "&lt;a href=&quot;x&quot;&gt;&amp;\\x1b[2J\\r"


def test_html_briefing_is_one_page_with_its_sections(tracker: Tracker) -> None:
    page = written(write_briefing_html, brief(tracker, tracker.items[UK], TODAY), "en")
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<title>Status since Japan–UK summit (10 Jan 2019)</title>" in page
    assert page.index("■ Health and medicine") < page.index("Still pending (4)") < page.index("Overdue (1)")
    assert '<span class="status s-scheduled">○ scheduled</span>' in page
    assert page.count("<article>") == 1 and page.endswith("</html>\n")


def test_html_timeline_and_lanes(tracker: Tracker) -> None:
    items = fixture_items()
    page = written(write_timeline_html, items, "ja", TODAY)
    assert "<h2>2018年</h2>" in page and "<h1>年表</h1>" in page
    years, built = lanes(items, "country")
    named = [(lane.key, lane) for lane in built]
    chart = written(write_lanes_html, years, named, "country", "en", TODAY)
    assert "<h1>Timeline — Country</h1>" in chart
    assert (
        "<tr><th>EU</th>" in chart and 'title="7 Oct 2018 JST and ERC sign an implementing arrangement (done)"' in chart
    )


@pytest.mark.parametrize("count", [0, 1, 2, 5])
@pytest.mark.parametrize("batch", [1, 2, 1000])
def test_json_arrays_written_in_batches_are_one_dump(count: int, batch: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from stidiplo.formats import jsonfmt

    monkeypatch.setattr(jsonfmt, "_BATCH", batch)
    items = fixture_items()[:count]
    whole = io.BytesIO()
    jsonfmt.write_items(items, whole)
    assert whole.getvalue() == jsonfmt.dumps([item.to_json() for item in items])
    keys = io.BytesIO()
    jsonfmt.write_fields(items, ["id", "title"], keys)
    assert keys.getvalue() == jsonfmt.dumps([{"id": item.id, "title": item.title} for item in items])
