"""Reading typed dates: every accepted form at its precision, era boundaries, ranges, and refusals."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stidiplo import dates
from stidiplo.dateparse import DATE_FORMS, SPAN_FORMS, parse_date, parse_span
from stidiplo.errors import UsageError

TODAY = date(2026, 11, 29)
ROOT = Path(__file__).resolve().parents[1]

YEAR, MONTH, DAY, FY = dates.YEAR, dates.MONTH, dates.DAY, dates.FISCAL_YEAR

READ = [
    # ISO and partial ISO, year first with - / or .
    ("2018", "2018", YEAR),
    ("2018-01", "2018-01", MONTH),
    ("2018-01-09", "2018-01-09", DAY),
    ("2018/01/09", "2018-01-09", DAY),
    ("2018/1", "2018-01", MONTH),
    ("2018/1/9", "2018-01-09", DAY),
    ("2018-1-9", "2018-01-09", DAY),
    ("2018.01.09", "2018-01-09", DAY),
    ("  2018-01  ", "2018-01", MONTH),
    # English month names, abbreviations, any case, trailing dot or comma
    ("Jan 2018", "2018-01", MONTH),
    ("January 2018", "2018-01", MONTH),
    ("JANUARY 2018", "2018-01", MONTH),
    ("jan. 2018", "2018-01", MONTH),
    ("Jan, 2018", "2018-01", MONTH),
    ("9 Jan 2018", "2018-01-09", DAY),
    ("9 January 2018", "2018-01-09", DAY),
    ("Jan 9, 2018", "2018-01-09", DAY),
    ("January 9, 2018", "2018-01-09", DAY),
    ("3 Sept 2018", "2018-09-03", DAY),
    ("Sept 3 2018", "2018-09-03", DAY),
    ("3 Sept. 2018", "2018-09-03", DAY),
    ("Sep. 3, 2018", "2018-09-03", DAY),
    ("1 May 2018", "2018-05-01", DAY),
    ("Dec 31 2018", "2018-12-31", DAY),
    # Japanese, full-width, spaces
    ("2018年", "2018", YEAR),
    ("2018年1月", "2018-01", MONTH),
    ("2018年1月9日", "2018-01-09", DAY),
    ("２０１８年１０月", "2018-10", MONTH),
    ("２０１８年１０月７日", "2018-10-07", DAY),
    ("2018 年 1 月 9 日", "2018-01-09", DAY),
    ("2018年\u30001月", "2018-01", MONTH),
    # eras in kanji, initials and names
    ("平成30年8月9日", "2018-08-09", DAY),
    ("平成30年8月", "2018-08", MONTH),
    ("平成元年", "1989", YEAR),
    ("令和2年", "2020", YEAR),
    ("令和元年5月", "2019-05", MONTH),
    ("H30.8.9", "2018-08-09", DAY),
    ("h30.8.9", "2018-08-09", DAY),
    ("H30", "2018", YEAR),
    ("H30.8", "2018-08", MONTH),
    ("R2", "2020", YEAR),
    ("R1.5.1", "2019-05-01", DAY),
    ("S64.1.7", "1989-01-07", DAY),
    ("R2/4/1", "2020-04-01", DAY),
    ("Ｈ３０．８．９", "2018-08-09", DAY),
    ("H30年8月9日", "2018-08-09", DAY),
    ("Heisei 30", "2018", YEAR),
    ("Reiwa 2", "2020", YEAR),
    ("平成 30 年", "2018", YEAR),
    ("㍻30年", "2018", YEAR),
    # era boundaries, day, month and year precision
    ("昭和64年1月7日", "1989-01-07", DAY),
    ("平成元年1月8日", "1989-01-08", DAY),
    ("平成31年4月30日", "2019-04-30", DAY),
    ("令和元年5月1日", "2019-05-01", DAY),
    ("昭和64年1月", "1989-01", MONTH),
    ("平成元年1月", "1989-01", MONTH),
    ("平成31年4月", "2019-04", MONTH),
    ("昭和64年", "1989", YEAR),
    ("平成31年", "2019", YEAR),
    ("令和元年", "2019", YEAR),
    ("大正元年7月30日", "1912-07-30", DAY),
    ("明治45年7月30日", "1912-07-30", DAY),
    ("大正15年12月25日", "1926-12-25", DAY),
    ("昭和元年12月25日", "1926-12-25", DAY),
    ("明治元年", "1868", YEAR),
    ("明治6年1月1日", "1873-01-01", DAY),
    # fiscal years
    ("2018年度", "FY2018", FY),
    ("2018 年度", "FY2018", FY),
    ("２０１８年度", "FY2018", FY),
    ("FY2018", "FY2018", FY),
    ("fy2018", "FY2018", FY),
    ("FY 2018", "FY2018", FY),
    ("平成30年度", "FY2018", FY),
    ("R2年度", "FY2020", FY),
    ("平成31年度", "FY2019", FY),
    ("令和元年度", "FY2019", FY),
    # relative, from TODAY = 2026-11-29
    ("today", "2026-11-29", DAY),
    ("Today", "2026-11-29", DAY),
    ("yesterday", "2026-11-28", DAY),
    ("this month", "2026-11", MONTH),
    ("last month", "2026-10", MONTH),
    ("this year", "2026", YEAR),
    ("last year", "2025", YEAR),
    ("this fiscal year", "FY2026", FY),
    ("last fiscal year", "FY2025", FY),
    ("3 days ago", "2026-11-26", DAY),
    ("1 day ago", "2026-11-28", DAY),
    ("2 weeks ago", "2026-11-15", DAY),
    ("3 months ago", "2026-08-29", DAY),
    ("1 year ago", "2025-11-29", DAY),
    ("今日", "2026-11-29", DAY),
    ("昨日", "2026-11-28", DAY),
    ("今月", "2026-11", MONTH),
    ("先月", "2026-10", MONTH),
    ("今年", "2026", YEAR),
    ("昨年", "2025", YEAR),
    ("去年", "2025", YEAR),
    ("今年度", "FY2026", FY),
    ("昨年度", "FY2025", FY),
    ("3か月前", "2026-08-29", DAY),
    ("3ヶ月前", "2026-08-29", DAY),
    ("３ヶ月前", "2026-08-29", DAY),
    ("2年前", "2024-11-29", DAY),
    ("10日前", "2026-11-19", DAY),
    ("1週間前", "2026-11-22", DAY),
    ("tomorrow", "2026-11-30", DAY),
    ("next month", "2026-12", MONTH),
    ("Next Year", "2027", YEAR),
    ("next fiscal year", "FY2027", FY),
    ("明日", "2026-11-30", DAY),
    ("来月", "2026-12", MONTH),
    ("来年", "2027", YEAR),
    ("来年度", "FY2027", FY),
]


@pytest.mark.parametrize(("typed", "text", "precision"), READ)
def test_reads_each_form_at_the_precision_given(typed: str, text: str, precision: str) -> None:
    read = parse_date(typed, today=TODAY)
    assert (read.text, read.precision) == (text, precision)


@pytest.mark.parametrize(("typed", "text", "precision"), READ)
def test_a_single_date_is_a_span_without_an_end(typed: str, text: str, precision: str) -> None:
    start, end = parse_span(typed, today=TODAY)
    assert (start.text, start.precision, end) == (text, precision, None)


@pytest.mark.parametrize(
    ("typed", "today", "text"),
    [
        ("1 month ago", date(2026, 3, 31), "2026-02-28"),
        ("1 year ago", date(2024, 2, 29), "2023-02-28"),
        ("last month", date(2026, 1, 15), "2025-12"),
        ("this fiscal year", date(2019, 3, 31), "FY2018"),
        ("今年度", date(2019, 4, 1), "FY2019"),
        ("昨年度", date(2019, 3, 31), "FY2017"),
        ("yesterday", date(2026, 1, 1), "2025-12-31"),
        ("tomorrow", date(2025, 12, 31), "2026-01-01"),
        ("next month", date(2025, 12, 15), "2026-01"),
        ("来年度", date(2020, 3, 31), "FY2020"),
    ],
)
def test_relative_forms_count_back_from_today(typed: str, today: date, text: str) -> None:
    assert parse_date(typed, today=today).text == text


def test_a_date_refused_where_a_range_is_not_allowed_lists_no_range_forms() -> None:
    with pytest.raises(UsageError) as refused:
        parse_date("someday", today=TODAY)
    assert "range" not in str(refused.value) and "last month" in str(refused.value)
    assert len(str(refused.value)) < 160


def test_today_defaults_to_the_real_today() -> None:
    before = date.today()
    read = parse_date("today")
    assert read in {dates.from_date(before), dates.from_date(date.today())}


SPANS = [
    ("2018年10月9日～12日", "2018-10-09", "2018-10-12"),
    ("2018年9月3～4日", "2018-09-03", "2018-09-04"),
    ("2018年10月9日～2018年10月12日", "2018-10-09", "2018-10-12"),
    ("2018年10月9日〜11月2日", "2018-10-09", "2018-11-02"),
    ("2018-09-03..2018-09-04", "2018-09-03", "2018-09-04"),
    ("2018-09-03/2018-09-04", "2018-09-03", "2018-09-04"),
    ("2018-09-03/04", "2018-09-03", "2018-09-04"),
    ("2018-09-03 - 2018-09-04", "2018-09-03", "2018-09-04"),
    ("3-4 Sep 2018", "2018-09-03", "2018-09-04"),
    ("3–4 Sep 2018", "2018-09-03", "2018-09-04"),
    ("Jan – Mar 2018", "2018-01", "2018-03"),
    ("2018-10-09〜12", "2018-10-09", "2018-10-12"),
    ("2018-10-09～12", "2018-10-09", "2018-10-12"),
    ("2018-10-09~12", "2018-10-09", "2018-10-12"),
    ("2018-10-09—12", "2018-10-09", "2018-10-12"),
    ("2018-10-09 – 2018-10-12", "2018-10-09", "2018-10-12"),
    ("２０１８年１０月９日～１２日", "2018-10-09", "2018-10-12"),
    ("2018年9～10月", "2018-09", "2018-10"),
    ("2018–2019", "2018", "2019"),
    ("2018～2020年度", "FY2018", "FY2020"),
    ("FY2018–2020", "FY2018", "FY2020"),
    ("平成30年8月9日～10日", "2018-08-09", "2018-08-10"),
    ("平成31年4月29日～30日", "2019-04-29", "2019-04-30"),
    ("H30.8.9..H30.8.10", "2018-08-09", "2018-08-10"),
    ("last month..this month", "2026-10", "2026-11"),
    ("2018-09-03..2018-09-03", "2018-09-03", None),
]


@pytest.mark.parametrize(("typed", "start", "end"), SPANS)
def test_reads_ranges_one_end_lending_what_the_other_omits(typed: str, start: str, end: str | None) -> None:
    first, last = parse_span(typed, today=TODAY)
    assert (first.text, last.text if last else None) == (start, end)


def _assert_refused(read: Callable[..., object], typed: str) -> UsageError:
    """`read` refuses `typed` with one line that shows the input as repr and the accepted forms."""
    with pytest.raises(UsageError) as refused:
        read(typed, today=TODAY)
    message = str(refused.value)
    assert message.startswith(f"cannot read date {typed!r}")
    assert message.endswith(f"; write e.g. {SPAN_FORMS if read is parse_span else DATE_FORMS}")
    assert len(message.splitlines()) == 1
    return refused.value


REFUSED = [
    "01/02/2018",
    "1/2/18",
    "02-01-2018",
    "18-01-09",
    "18",
    "Jan 18",
    "FY18",
    "9 Jan",
    "10月",
    "2018-13",
    "2018-02-30",
    "2018年13月",
    "Jan 32, 2018",
    "29 Feb 2019",
    "H30.8.32",
    "2018年9日",
    "",
    "   ",
    "\t\n",
    "someday",
    "2018\x00",
    "2018-01-09T10:00",
    "2018-1/9",
    "0000",
    "FY9999",
    "x" * 200,
    "昭和64年1月8日",
    "平成元年1月7日",
    "平成31年5月1日",
    "令和元年4月30日",
    "平成31年5月",
    "令和元年4月",
    "平成32年",
    "平成0年",
    "R0",
    "明治元年10月23日",
    "1000 years ago",
    "2018年10月9日～12日",
]


@pytest.mark.parametrize("typed", REFUSED)
def test_parse_date_refuses_rather_than_guesses(typed: str) -> None:
    _assert_refused(parse_date, typed)


@pytest.mark.parametrize(
    "typed",
    [
        "2018-10-12〜09",
        "2018年12月28日～1月4日",
        "平成31年4月30日～5月1日",
        "9月3～4日",
        "3-4",
        "2018..",
        "..2018",
        "2018~2019~2020",
        "2018-2019-2020",
        "2018年度～12月",
        "2018-09-03/2018-09-02",
        "FY2020–FY2018",
        "01/02/2018",
        "",
    ],
)
def test_parse_span_refuses_ranges_it_cannot_read(typed: str) -> None:
    _assert_refused(parse_span, typed)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("昭和64年1月8日", "昭和 ended on 1989-01-07"),
        ("平成元年1月7日", "平成 began on 1989-01-08"),
        ("平成31年5月1日", "平成 ended on 2019-04-30"),
        ("令和元年4月30日", "令和 began on 2019-05-01"),
        ("01/02/2018", "put the year first"),
        ("2018-02-30", "no day 30"),
        ("2018-10-12〜09", "before the start"),
        ("2018～19", "a year takes four digits"),
    ],
)
def test_a_refusal_says_why_when_it_can(typed: str, reason: str) -> None:
    assert reason in str(_assert_refused(parse_span, typed))


ERAS = [  # kanji, initial, first day, last day: the oracle, written out apart from the module's table
    ("明治", "M", date(1873, 1, 1), date(1912, 7, 30)),  # months and days only once Gregorian
    ("大正", "T", date(1912, 7, 30), date(1926, 12, 25)),
    ("昭和", "S", date(1926, 12, 25), date(1989, 1, 7)),
    ("平成", "H", date(1989, 1, 8), date(2019, 4, 30)),
    ("令和", "R", date(2019, 5, 1), None),
]
ONE_DAY = timedelta(days=1)
ERA_START_YEAR = {"明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019}


@pytest.mark.parametrize(("kanji", "initial", "first", "last"), ERAS)
@settings(max_examples=200, database=None)
@given(data=st.data())
def test_an_era_day_is_read_exactly_within_its_era(
    kanji: str, initial: str, first: date, last: date | None, data: st.DataObject
) -> None:
    ends = [first - ONE_DAY, first] + ([last, last + ONE_DAY] if last else [])
    latest = date(last.year if last else 2099, 12, 31)
    day = data.draw(st.dates(date(ERA_START_YEAR[kanji], 1, 1), latest) | st.sampled_from(ends))
    n = day.year - ERA_START_YEAR[kanji] + 1
    kanji_year = f"{kanji}{'元' if n == 1 else n}年"
    for typed in (f"{kanji_year}{day.month}月{day.day}日", f"{initial}{n}.{day.month}.{day.day}"):
        if first <= day and (last is None or day <= last):
            assert parse_date(typed) == dates.from_date(day)
        else:
            _assert_refused(parse_date, typed)


SHOWN: dict[str, Callable[[date], dates.PartialDate]] = {
    YEAR: lambda when: dates.year(when.year),
    MONTH: lambda when: dates.month(when.year, when.month),
    DAY: dates.from_date,
    FY: lambda when: dates.fiscal_year(when.year),
}


@settings(max_examples=300, database=None)
@given(
    st.dates(date(1000, 1, 1), date(9998, 12, 31)),
    st.sampled_from(sorted(SHOWN)),
    st.sampled_from(["en", "ja"]),
)
def test_every_date_reads_back_from_how_it_is_shown(when: date, precision: str, lang: str) -> None:
    shown = SHOWN[precision](when)
    assert parse_date(shown.format(lang)) == shown


def _check_accepted_or_refused(typed: str) -> None:
    """Only UsageError may escape; what is accepted is a well-formed stored date or an ordered range."""
    try:
        read = parse_date(typed, today=TODAY)
    except UsageError as refused:
        assert len(str(refused).splitlines()) == 1 and str(refused).endswith(DATE_FORMS)
    else:
        assert read.first <= read.last
        assert dates.parse_stored(read.text) == read
    try:
        start, end = parse_span(typed, today=TODAY)
    except UsageError as refused:
        assert len(str(refused).splitlines()) == 1 and str(refused).endswith(SPAN_FORMS)
    else:
        assert start.first <= start.last
        if end is not None:
            assert end != start and start.first <= end.first and start.last <= end.last


@pytest.mark.slow
@settings(max_examples=1000, database=None)
@given(st.text())
def test_any_text_is_read_or_refused_with_a_usage_error(typed: str) -> None:
    _check_accepted_or_refused(typed)


PIECES = [
    "2018",
    "1989",
    "2019",
    "0000",
    "9999",
    "1",
    "7",
    "8",
    "9",
    "12",
    "13",
    "30",
    "31",
    "64",
    "99",
    "元",
    "年",
    "月",
    "日",
    "度",
    "前",
    "か月",
    "ヶ月",
    "週間",
    "平成",
    "令和",
    "昭和",
    "大正",
    "明治",
    "H",
    "R",
    "S",
    "h",
    "r",
    "m",
    "t",
    "FY",
    "Heisei ",
    "Jan",
    "Sept",
    "May",
    ".",
    "-",
    "/",
    "~",
    "～",
    "〜",
    "–",
    "—",
    "..",
    " ",
    ",",
    "２",
    "０",
    "１",
    "８",
    "today",
    "last month",
    " days ago",
    "this fiscal year",
    "今年度",
]


@pytest.mark.slow
@settings(max_examples=3000, database=None)
@given(st.lists(st.sampled_from(PIECES), max_size=10).map("".join))
def test_date_like_text_is_read_or_refused_with_a_usage_error(typed: str) -> None:
    _check_accepted_or_refused(typed)


def test_the_common_case_imports_nothing_heavy() -> None:
    code = (
        "import sys; from stidiplo.dateparse import parse_date; parse_date('2018-01'); "
        "assert 'dateutil' not in sys.modules, 'dateutil imported'"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_days_in_month_agree_with_the_calendar_module() -> None:
    import calendar

    for year in (*range(1, 2401), 9999):
        for month in range(1, 13):
            assert dates.days_in_month(year, month) == calendar.monthrange(year, month)[1], (year, month)
    with pytest.raises(ValueError):
        dates.days_in_month(2019, 13)
