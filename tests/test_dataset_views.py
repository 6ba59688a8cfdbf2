"""The shipped record as an official reads it: the briefings in each language, the follow-ups of
several meetings, undated items in periods, and what the scorecard counts as done."""

from __future__ import annotations

import json
import re

import pytest

from stidiplo.model import ONE_OFF
from tests.helpers import invoke

EU, NSF, ASM3 = (
    "07476003a057496184c952020c15e983",
    "825aa48a58974ed99484356e15275198",
    "ff44c92b67d048d48f2631b40bf9a6f1",
)
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
ENGLISH_WORDS = re.compile(r"\b[a-z]{4,}\b")
"""Lower-case English words of four letters or more: in a Japanese briefing only inside a quoted title."""


@pytest.fixture
def shipped(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    from tests.helpers import ROOT

    copy = tmp_path / "db.json"
    copy.write_bytes((ROOT / "data" / "db.json").read_bytes())
    monkeypatch.setenv("STIDIPLO_DB", str(copy))
    monkeypatch.setenv("STIDIPLO_TODAY", "2019-04-30")


def brief(lang: str, meeting: str) -> str:
    result = invoke("--lang", lang, "brief", meeting[:8], "--format", "md")
    assert result.exit_code == 0, result
    return result.stdout


def test_the_japanese_briefing_holds_no_english_text_and_the_english_none_japanese(shipped: None) -> None:
    ja = brief("ja", EU)
    assert "ブリュッセル" in ja and "欧州委員会" in ja and "Brussels" not in ja
    stray = [w for w in ENGLISH_WORDS.findall(ja) if w not in ("kick", "meeting")]
    assert stray == [], stray
    en = brief("en", EU)
    assert "Brussels" in en and JAPANESE.search(en) is None, JAPANESE.findall(en)


def test_the_nsf_meeting_briefing_shows_asm3(shipped: None) -> None:
    en = brief("en", NSF)
    assert "Third Arctic Science Ministerial (ASM3)" in en.split("## Still pending")[0]
    assert "Third Arctic Science Ministerial (ASM3)" in brief("en", EU)
    shown = json.loads(invoke("list", "--follows", NSF[:8], "--format", "json").stdout)
    assert ASM3 in {row["id"] for row in shown}


def test_a_2019_listing_holds_only_what_the_briefing_dates_in_2019(shipped: None) -> None:
    rows = json.loads(invoke("list", "--since", "2019", "--until", "2019", "--format", "json").stdout)
    assert rows and all(row["date"] for row in rows)
    assert all(row["date"] >= "2019" or row["date"] == "FY2018" for row in rows), [r["date"] for r in rows]
    undated = json.loads(invoke("list", "--format", "json").stdout)
    assert [r["date"] for r in undated[-9:]] == [None] * 9, "undated items sort last"


def test_undated_and_estimated_dates_read_as_such(shipped: None) -> None:
    listing = invoke("--lang", "ja", "list", "--kind", "visit").stdout
    assert "未定" in listing and "≈2018年8月" in listing
    assert "undated" in invoke("list", "--kind", "visit").stdout


def test_done_means_finished_for_every_kind(shipped: None) -> None:
    rows = json.loads(invoke("list", "--status", "done", "--format", "json").stdout)
    running = [r for r in rows if r["kind"] not in ONE_OFF]
    assert running == [], [r["title_en"] for r in running]  # no call or programme has ended its support yet
    scorecard = json.loads(invoke("scorecard", "--by", "meeting", "--format", "json").stdout)
    eu = next(row for row in scorecard["rows"] if row["key"] == EU)
    assert eu["counts"]["ongoing"] == 1 and eu["counts"]["scheduled"] == 1  # the Arctic call runs; ASM3 is ahead


def test_show_sources_gives_page_heading_quote_and_provenance(shipped: None) -> None:
    shown = invoke("show", "444e79", "--sources")
    assert shown.exit_code == 0, shown
    assert "Provenance" in shown.stdout and "committee" in shown.stdout and "Quote" in shown.stdout
    assert "Provenance" not in invoke("show", "444e79").stdout


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_shipped_record_survives_a_spreadsheet_round_trip(shipped: None, tmp_path, fmt: str) -> None:
    sheet, empty = tmp_path / f"all.{fmt}", tmp_path / "empty.json"
    assert invoke("export", "-o", str(sheet)).exit_code == 0
    assert invoke("init", str(empty)).exit_code == 0
    assert invoke("--db", str(empty), "import", str(sheet)).exit_code == 0
    original = json.loads(invoke("list", "--format", "json").stdout)
    again = json.loads(invoke("--db", str(empty), "list", "--format", "json").stdout)
    assert again == original  # undated and estimated dates, notes and sources in both forms come back exactly
