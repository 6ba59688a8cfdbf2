"""Partial dates: a year, a month, a day or a Japanese fiscal year, compared by the days they cover.

Stored forms are `YYYY`, `YYYY-MM`, `YYYY-MM-DD` and `FY2018` (April 2018 to March 2019).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

YEAR, MONTH, DAY, FISCAL_YEAR, NO_DATE = "year", "month", "day", "fiscal-year", "undated"

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

ACCEPTED_FORMS = "2018, 2018-01, 2018-01-09, FY2018"


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to a given precision; `first` and `last` are the days it may stand for."""

    text: str
    precision: str
    first: date
    last: date

    def __str__(self) -> str:
        return self.text

    @property
    def sort_key(self) -> tuple[date, date]:
        return (self.first, self.last)

    @property
    def known(self) -> bool:
        """Whether this is a date at all: False for UNDATED, which a source gives no date for."""
        return self.precision != NO_DATE

    def format(self, lang: str = "en") -> str:
        """The date as a reader of `lang` ('en' or 'ja') writes it."""
        d = self.first
        if self.precision == NO_DATE:
            return "未定" if lang == "ja" else "undated"
        if self.precision == FISCAL_YEAR:
            return f"{d.year}年度" if lang == "ja" else f"FY{d.year}"
        if self.precision == YEAR:
            return f"{d.year}年" if lang == "ja" else str(d.year)
        if self.precision == MONTH:
            return f"{d.year}年{d.month}月" if lang == "ja" else f"{_MONTHS_EN[d.month - 1]} {d.year}"
        return f"{d.year}年{d.month}月{d.day}日" if lang == "ja" else f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"


UNDATED = PartialDate("", NO_DATE, date.max, date.max)
"""The date of an item its source gives no date for: it covers no day of any period and sorts last."""


def year(y: int) -> PartialDate:
    return PartialDate(f"{y:04d}", YEAR, date(y, 1, 1), date(y, 12, 31))


def month(y: int, m: int) -> PartialDate:
    return PartialDate(f"{y:04d}-{m:02d}", MONTH, date(y, m, 1), date(y, m, days_in_month(y, m)))


def day(y: int, m: int, d: int) -> PartialDate:
    the_day = date(y, m, d)
    return PartialDate(the_day.isoformat(), DAY, the_day, the_day)


def fiscal_year(y: int) -> PartialDate:
    """Japan's fiscal year `y`: 1 April y to 31 March y+1."""
    return PartialDate(f"FY{y:04d}", FISCAL_YEAR, date(y, 4, 1), date(y + 1, 3, 31))


def from_date(d: date) -> PartialDate:
    return day(d.year, d.month, d.day)


# -- month arithmetic: the one place the package counts in months ------------------------------


def days_in_month(y: int, m: int) -> int:
    """The days of month `m` of year `y` in the Gregorian calendar, as `calendar.monthrange` counts them
    (without importing the calendar module for one number); ValueError for a month outside 1 to 12."""
    if not 1 <= m <= 12:
        raise ValueError(f"bad month number {m}; must be 1-12")
    if m == 2:
        return 29 if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def add_months(when: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the end of a shorter month
    (31 Aug less six months is 28 Feb); ValueError beyond the years a date can hold."""
    year_, month_index = divmod(when.year * 12 + when.month - 1 + months, 12)
    return date(year_, month_index + 1, min(when.day, days_in_month(year_, month_index + 1)))


def months_between(earlier: date, later: date) -> int:
    """Calendar months from `earlier`'s month to `later`'s, whatever the days; negative when `later` is earlier."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def whole_months(earlier: date, later: date) -> int:
    """Whole months from `earlier` to `later` (0 when less than a month, or when `later` is earlier)."""
    return max(months_between(earlier, later) - (later.day < earlier.day), 0)


@lru_cache(maxsize=1 << 16)
def parse_stored(text: str) -> PartialDate:
    """Read a stored partial date; raise ValueError for anything but the four stored forms.

    Cached: items share few distinct dates, and every sort, filter and view asks for each
    item's date again (parsing anew was almost half the time of sorting 100,000 items).
    """
    n = len(text) if text.isascii() else 0  # stored digits are ASCII: never '２０１８' or '²'
    try:
        if n == 4 and text.isdigit():
            return year(int(text))
        if n == 6 and text[:2] == "FY" and text[2:].isdigit():
            return fiscal_year(int(text[2:]))
        if n == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
            return month(int(text[:4]), int(text[5:]))
        if n == 10 and text[4] == "-" and text[7] == "-" and (text[:4] + text[5:7] + text[8:]).isdigit():
            return day(int(text[:4]), int(text[5:7]), int(text[8:]))
    except ValueError:
        pass
    raise ValueError(f"not a partial date: {text!r} (use {ACCEPTED_FORMS})")


def format_span(start: PartialDate, end: PartialDate | None, lang: str = "en") -> str:
    """A date or a range, compact where the two ends share a year and month.

    Days of one month read '3–4 Sep 2018' or '2018年9月3日～4日'; other ranges give both ends.
    """
    if end is None or end == start or not start.known:
        return start.format(lang)
    a, b = start.first, end.last
    if start.precision == end.precision == DAY and (a.year, a.month) == (b.year, b.month):
        return (
            f"{a.year}年{a.month}月{a.day}日～{b.day}日"
            if lang == "ja"
            else f"{a.day}–{b.day} {_MONTHS_EN[a.month - 1]} {a.year}"
        )
    if lang == "ja" and start.precision == end.precision == DAY and a.year == b.year:
        return f"{a.year}年{a.month}月{a.day}日～{b.month}月{b.day}日"
    sep = "～" if lang == "ja" else " – "
    return f"{start.format(lang)}{sep}{end.format(lang)}"
