"""The words every output shares (labels), the one month arithmetic (dates) and the one text
folding (vocab), called directly."""

from __future__ import annotations

import json
from datetime import date

import pytest

from stidiplo import vocab
from stidiplo.attention import NO_FOLLOWUPS, OVERDUE, STALE, SUPPORT_ENDED, Finding
from stidiplo.dates import add_months, months_between, parse_stored, whole_months
from stidiplo.labels import ago, ahead, duration, finding_detail, joined, literal, status_words, year_heading
from tests.helpers import item

TODAY = date(2019, 4, 30)


def dated(when: str, **fields) -> object:
    return item("x", kind="event", title="x", date=when, countries=["SE"], **fields)


def test_literal_shows_every_control_character_but_line_feeds_and_tabs() -> None:
    assert literal("\x1b[31mred\x07") == "\\x1b[31mred\\x07"
    assert literal("line\roverwritten") == "line\\roverwritten"
    assert literal("\u202eflip\x9b2J") == "\\u202eflip\\x9b2J"
    assert literal("two\nlines\tand a tab") == "two\nlines\tand a tab"


@pytest.mark.parametrize(
    ("when", "en", "ja"),
    [
        ("2019-04", "this month", "今月"),
        ("2018-09-03", "7 mo ago", "7か月前"),
        ("2020", "in 9 mo", "9か月後"),
        ("2017-05", "23 mo ago", "23か月前"),
        ("2017-04", "2 yr ago", "2年前"),
        ("2010-09", "8 yr 7 mo ago", "8年7か月前"),
        ("2022-01", "in 2 yr 9 mo", "2年9か月後"),
    ],
)
def test_ago_counts_calendar_months(when: str, en: str, ja: str) -> None:
    assert (ago(dated(when), TODAY, "en"), ago(dated(when), TODAY, "ja")) == (en, ja)


@pytest.mark.parametrize(
    ("when", "en", "ja"),
    [
        ("2019-05-12", "in 12 days", "12日後"),
        ("2019-08-15", "in 3 mo", "3か月後"),
        ("2019", "by 31 Dec 2019", "2019年12月31日まで"),
    ],
)
def test_ahead_says_how_far_or_until_when(when: str, en: str, ja: str) -> None:
    assert (ahead(dated(when), TODAY, "en"), ahead(dated(when), TODAY, "ja")) == (en, ja)


def test_duration_in_months_else_days() -> None:
    assert duration(date(2019, 2, 28), TODAY, "en") == "2 mo"
    assert duration(date(2019, 4, 10), TODAY, "ja") == "20日"
    assert duration(date(2016, 3, 1), TODAY, "en") == "3 yr 1 mo"


def test_every_finding_has_its_sentence_in_both_languages() -> None:
    call = dated("2015-04", end="2018-03", status="ongoing")
    cases = [
        (Finding(OVERDUE, call, parse_stored("2019-03-15")), "scheduled for 15 Mar 2019, not marked done or dropped"),
        (
            Finding(STALE, call, parse_stored("2018-06-01")),
            "ongoing, no status change or note since 1 Jun 2018 (10 mo)",
        ),
        (Finding(STALE, call, None), "ongoing, no recorded activity"),
        (Finding(NO_FOLLOWUPS, call, call.start), "no follow-up recorded"),
        (Finding(SUPPORT_ENDED, call, call.finish), "support period ended Mar 2018, still marked ongoing"),
    ]
    for finding, english in cases:
        assert finding_detail(finding, TODAY, "en").startswith(english)
        assert finding_detail(finding, TODAY, "ja") != finding_detail(finding, TODAY, "en")


def test_lists_years_and_statuses_read_as_each_language_writes_them() -> None:
    assert joined(["a", "b"], "en") == "a, b" and joined(["a", "b"], "ja") == "a、b"
    assert year_heading(2018, "ja") == "2018年" and year_heading("2018", "en") == "2018"
    assert status_words("done", "ja") == "✓ 済"


def test_every_phrase_exists_in_both_languages() -> None:
    from pathlib import Path

    phrases = json.loads((Path(vocab.__file__).parent / "labels.json").read_text(encoding="utf-8"))["phrases"]
    assert phrases and all(set(entry) == {"en", "ja"} and entry["en"] and entry["ja"] for entry in phrases.values())


# -- dates: the one month arithmetic ----------------------------------------------------------


def test_add_months_clamps_and_crosses_years() -> None:
    assert add_months(date(2019, 8, 31), -6) == date(2019, 2, 28)
    assert add_months(date(2020, 2, 29), 12) == date(2021, 2, 28)
    assert add_months(date(2019, 11, 15), 2) == date(2020, 1, 15)
    with pytest.raises(ValueError):
        add_months(date(1, 1, 1), -1)


def test_months_between_and_whole_months() -> None:
    assert months_between(date(2018, 9, 30), date(2019, 4, 1)) == 7
    assert whole_months(date(2018, 9, 30), date(2019, 4, 1)) == 6
    assert months_between(date(2019, 4, 1), date(2018, 9, 30)) == -7
    assert whole_months(date(2019, 4, 1), date(2018, 9, 30)) == 0


# -- vocab: the one text folding --------------------------------------------------------------


def test_fold_and_normalize() -> None:
    assert vocab.fold("ＥＲＣ\nKyoto") == "erc\nkyoto"
    assert vocab.normalize("  ＥＲＣ \n Kyoto ") == "erc kyoto"
    assert vocab.fold("㍻") == "平成"
