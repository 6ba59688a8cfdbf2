"""Read the dates users type, in Japanese and English, into PartialDate at the precision they gave.

Stored forms take a fast path; everything else is matched whole against a few patterns after NFKC
(full-width digits and punctuation become ASCII). Day-first and two-digit-year numbers (01/02/2018,
1/2/18) are refused rather than guessed, and so is any day an era did not have.
Eras come from the table below, not a package: japanera gets the boundaries right but turns 平成元年
into the day 1989-01-08 and knows no fiscal year; jeraconv reads era years only (平成30年8月9日 fails).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import NamedTuple

from stidiplo import dates
from stidiplo.dates import PartialDate
from stidiplo.errors import UsageError
from stidiplo.vocab import normalize

DATE_FORMS = "2018, 2018-01, 2018-01-09, 9 Jan 2018, 2018年1月9日, 平成30年8月9日, FY2018, last month, 3 days ago"
"""What a date may be written as, in short: shown when one cannot be read."""
SPAN_FORMS = f"{DATE_FORMS}, or a range: 2018-09-03..2018-09-04, 3-4 Sep 2018, 2018年9月3～4日"
"""What a date or a range (`add --date`) may be written as, in short."""

_LONGEST = 80  # longer than any date or range anyone types; refused before a pattern runs

# Before this day Japan counted months and days by the lunisolar calendar (明治6年 adopted the Gregorian).
_GREGORIAN_FROM = date(1873, 1, 1)


class _Era(NamedTuple):
    """A Japanese era: its names in lower case (kanji, romanised, initial) and its first and last day."""

    names: tuple[str, ...]
    first: date
    last: date | None

    @property
    def kanji(self) -> str:
        return self.names[0]


# Until 昭和 the day an emperor died belongs to both eras; since 平成 the new era starts the next day.
_ERAS = (
    _Era(("明治", "meiji", "m"), date(1868, 10, 23), date(1912, 7, 30)),
    _Era(("大正", "taisho", "taishou", "taishō", "t"), date(1912, 7, 30), date(1926, 12, 25)),
    _Era(("昭和", "showa", "shouwa", "shōwa", "s"), date(1926, 12, 25), date(1989, 1, 7)),
    _Era(("平成", "heisei", "h"), date(1989, 1, 8), date(2019, 4, 30)),
    _Era(("令和", "reiwa", "r"), date(2019, 5, 1), None),
)
_ERA_BY_NAME = {name: era for era in _ERAS for name in era.names}

_MONTH_NUMBER = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


def _alternatives(names: Iterable[str]) -> str:
    """A regex alternation trying longer names first, so 'sept' is not read as 'sep' + 't'."""
    return "|".join(sorted(map(re.escape, names), key=len, reverse=True))


_ERA_YEAR = rf"(?P<era>{_alternatives(_ERA_BY_NAME)}) ?(?P<era_year>\d{{1,2}}|元)"
_THEN_MONTH_DAY = r"(?:(?P<sep>[-/.])(?P<month>\d{1,2})(?:(?P=sep)(?P<day>\d{1,2}))?)?"
_MONTH_NAME = rf"(?P<month_name>{_alternatives(_MONTH_NUMBER)})\.?"

_ISO = rf"(?P<year>\d{{4}}){_THEN_MONTH_DAY}"
_ERA_DOTTED = _ERA_YEAR + _THEN_MONTH_DAY
_KANJI = (
    rf"(?=\S)(?:(?:{_ERA_YEAR}|(?P<year>\d{{4}})) ?年)?"
    r" ?(?:(?P<month>\d{1,2}) ?月)? ?(?:(?P<day>\d{1,2}) ?日)?"
)
_KANJI_FISCAL = rf"(?:{_ERA_YEAR}|(?P<year>\d{{4}})) ?年 ?度"
_FY = r"fy ?(?P<year>\d{4})"
_DAY_MONTH_YEAR = rf"(?:(?P<day>\d{{1,2}}) )?{_MONTH_NAME},?(?: (?P<year>\d{{4}}))?"
_MONTH_DAY_YEAR = rf"{_MONTH_NAME} (?P<day>\d{{1,2}}),?(?: (?P<year>\d{{4}}))?"
_BARE = r"(?P<first>\d{1,2})(?:[-/.](?P<second>\d{1,2}))?"
_DAY_FIRST = r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"

# (days, months) one unit goes back
_AGO_UNITS = {
    "day": (1, 0),
    "week": (7, 0),
    "month": (0, 1),
    "year": (0, 12),
    "日": (1, 0),
    "週": (7, 0),
    "週間": (7, 0),
    "年": (0, 12),
    **{f"{counter}月": (0, 1) for counter in ("か", "ヶ", "ケ", "カ", "ヵ", "箇")},
}
_AGO_EN = r"(?P<count>\d{1,3}) (?P<unit>day|week|month|year)s? ago"
_AGO_JA = rf"(?P<count>\d{{1,3}}) ?(?P<unit>{_alternatives(k for k in _AGO_UNITS if not k.isascii())}) ?前"
# phrase -> (precision of the period, how many periods back; -1 is the next one)
_NAMED_PERIODS = {
    "today": (dates.DAY, 0),
    "今日": (dates.DAY, 0),
    "本日": (dates.DAY, 0),
    "yesterday": (dates.DAY, 1),
    "昨日": (dates.DAY, 1),
    "tomorrow": (dates.DAY, -1),
    "明日": (dates.DAY, -1),
    "this month": (dates.MONTH, 0),
    "今月": (dates.MONTH, 0),
    "last month": (dates.MONTH, 1),
    "先月": (dates.MONTH, 1),
    "next month": (dates.MONTH, -1),
    "来月": (dates.MONTH, -1),
    "this year": (dates.YEAR, 0),
    "今年": (dates.YEAR, 0),
    "本年": (dates.YEAR, 0),
    "last year": (dates.YEAR, 1),
    "昨年": (dates.YEAR, 1),
    "去年": (dates.YEAR, 1),
    "next year": (dates.YEAR, -1),
    "来年": (dates.YEAR, -1),
    "this fiscal year": (dates.FISCAL_YEAR, 0),
    "今年度": (dates.FISCAL_YEAR, 0),
    "本年度": (dates.FISCAL_YEAR, 0),
    "last fiscal year": (dates.FISCAL_YEAR, 1),
    "昨年度": (dates.FISCAL_YEAR, 1),
    "next fiscal year": (dates.FISCAL_YEAR, -1),
    "来年度": (dates.FISCAL_YEAR, -1),
}

_RANGE_SEPARATOR = r" ?(?:~|〜|–|—|\.\.| - ) ?"
_CLOSING_UNIT = r"(?:年 ?度|年|月|日)$"


class _Refused(Exception):
    """Why a text is not a date (may be empty); the public functions turn it into a UsageError."""

    def __init__(self, reason: str = "") -> None:
        super().__init__(reason)
        self.reason = reason


class _Reading(NamedTuple):
    """What a date or one end of a range says; an end may leave out leading parts for the other to lend.

    `year` counts from the era's first year when `era` is set; `bare` holds numbers without units
    ("12" in 2018-10-09〜12), which take the other end's last units.
    """

    year: int | None = None
    month: int | None = None
    day: int | None = None
    era: _Era | None = None
    fiscal: bool = False
    bare: tuple[int, ...] = ()

    @property
    def complete(self) -> bool:
        return self.year is not None and not self.bare


def parse_date(text: str, *, today: date | None = None) -> PartialDate:
    """One date as a user types it, at the precision given; `today` anchors relative forms."""
    try:
        return dates.parse_stored(text)
    except ValueError:
        pass
    try:
        s = _normalise(text)
        reading = _read(s, today)
        if reading is None:
            raise _unreadable(s)
        return _resolve(reading)
    except _Refused as refused:
        raise _cannot_read(text, refused.reason, DATE_FORMS) from None


def parse_span(text: str, *, today: date | None = None) -> tuple[PartialDate, PartialDate | None]:
    """A date or a range written in one string; the end is None for a single date (or a range of one)."""
    try:
        return dates.parse_stored(text), None
    except ValueError:
        pass
    try:
        s = _normalise(text)
        reading = _read(s, today)
        if reading is not None:
            return _resolve(reading), None
        return _read_range(s, today)
    except _Refused as refused:
        raise _cannot_read(text, refused.reason, SPAN_FORMS) from None


def _cannot_read(text: str, reason: str, forms: str) -> UsageError:
    """One line: the text, why it is no date, and the `forms` this place accepts."""
    why = f" ({reason})" if reason else ""
    return UsageError(f"cannot read date {text!r}{why}; write e.g. {forms}")


def _normalise(text: str) -> str:
    """NFKC (full-width to ASCII, ㍻ to 平成), lower case, single spaces; overlong text is refused."""
    if len(text) > _LONGEST:
        raise _Refused("too long")
    s = normalize(text)
    if len(s) > _LONGEST:
        raise _Refused("too long")
    return s


def _whole(pattern: str, s: str) -> re.Match[str] | None:
    """`s` matched whole; patterns compile on first use (and stay cached), so start-up does not pay."""
    return re.fullmatch(pattern, s, re.ASCII)


def _unreadable(s: str) -> _Refused:
    if _whole(_DAY_FIRST, s):
        return _Refused("day and month order is ambiguous; put the year first")
    return _Refused()


def _read(s: str, today: date | None) -> _Reading | None:
    """What `s` says as one date or one end of a range; None when no form fits it."""
    for fiscal_form in (_FY, _KANJI_FISCAL):
        if match := _whole(fiscal_form, s):
            return _parts(match)._replace(fiscal=True)
    for form in (_ISO, _KANJI, _ERA_DOTTED, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        if match := _whole(form, s):
            return _parts(match)
    if match := _whole(_BARE, s):
        return _Reading(bare=tuple(int(n) for n in match.groups() if n is not None))
    return _relative(s, today)


def _parts(match: re.Match[str]) -> _Reading:
    """The year, month and day a matched form names; 元 is year 1 and month names become numbers."""
    found = match.groupdict()
    era_name, month_name = found.get("era"), found.get("month_name")
    reading = _Reading(
        year=_number(found.get("era_year") or found.get("year")),
        month=_MONTH_NUMBER[month_name] if month_name else _number(found.get("month")),
        day=_number(found.get("day")),
        era=_ERA_BY_NAME[era_name] if era_name else None,
    )
    if reading.year is not None and reading.month is None and reading.day is not None:
        raise _Refused("a day needs its month")
    return reading


def _number(digits: str | None) -> int | None:
    if digits is None:
        return None
    return 1 if digits == "元" else int(digits)


def _relative(s: str, today: date | None) -> _Reading | None:
    """Filters like 'last month', '先月', '3 days ago', '2か月前', 'tomorrow', '来年', counted from `today`."""
    ago = _whole(_AGO_EN, s) or _whole(_AGO_JA, s)
    precision, back = _NAMED_PERIODS.get(s, (None, 0))
    if ago is None and precision is None:
        return None
    now = today if today is not None else date.today()
    try:
        if ago is not None:
            days, months = _AGO_UNITS[ago["unit"]]
            count = int(ago["count"])
            then = _months_back(now - timedelta(days=days * count), months * count)
            return _Reading(then.year, then.month, then.day)
        if precision == dates.DAY:
            then = now - timedelta(days=back)
            return _Reading(then.year, then.month, then.day)
        if precision == dates.MONTH:
            then = _months_back(now, back)
            return _Reading(then.year, then.month)
        if precision == dates.YEAR:
            return _Reading(now.year - back)
        return _Reading(_fiscal_year_of(now) - back, fiscal=True)
    except (ValueError, OverflowError):
        raise _Refused("out of the calendar's range") from None


def _months_back(when: date, months: int) -> date:
    """The same day `months` months earlier, or that month's last day (31 Mar less a month is 28 Feb)."""
    return dates.add_months(when, -months)


def _fiscal_year_of(when: date) -> int:
    """Japan's fiscal year runs April to March: 2019-03-31 is in FY2018."""
    return when.year if when.month >= 4 else when.year - 1


def _read_range(s: str, today: date | None) -> tuple[PartialDate, PartialDate | None]:
    """Two ends in one string; an end that leaves out its year (and month) takes them from the other."""
    ends = _split(s)
    if ends is None:
        raise _unreadable(s)
    start_text, end_text = ends
    start, end = _read_start(start_text, end_text, today), _read(end_text, today)
    if start is None or end is None:
        raise _unreadable(s)
    if start.fiscal and _whole(r"\d{4}", end_text):
        end = end._replace(fiscal=True)  # FY2018–2020 runs to FY2020
    if start.complete and not end.complete:
        end = _lend(start, end)
    elif end.complete and not start.complete:
        start = _lend(end, start)
    opening, closing = _resolve(start), _resolve(end)
    if closing.first < opening.first or closing.last < opening.last:
        raise _Refused("the end is before the start")
    return opening, None if closing == opening else closing


def _split(s: str) -> tuple[str, str] | None:
    """The two ends: at ～ 〜 ~ – — .. or ' - '; failing those at a lone / (ISO interval) or - (3-4 Sep)."""
    ends = re.split(_RANGE_SEPARATOR, s)
    if len(ends) == 1:
        lone = next((mark for mark in "/-" if s.count(mark) == 1), None)
        ends = s.split(lone) if lone else ends
    if len(ends) != 2:
        return None
    return ends[0].strip(), ends[1].strip()


def _read_start(start_text: str, end_text: str, today: date | None) -> _Reading | None:
    """The start, sharing the unit the end closes with when it has none: 9月3～4日, 2018～2020年度."""
    closing = re.search(_CLOSING_UNIT, end_text)
    if closing and start_text[-1:].isdigit():
        shared = _read(start_text + closing.group(), today)
        if shared is not None:
            return shared
    return _read(start_text, today)


def _lend(whole: _Reading, partial: _Reading) -> _Reading:
    """`partial` with the leading parts (era, year, month) it leaves out taken from `whole`."""
    if whole.fiscal:
        raise _Refused("a fiscal year cannot lend its year to a month or day")
    whole_parts = [name for name in ("year", "month", "day") if getattr(whole, name) is not None]
    if partial.bare:
        if len(partial.bare) >= len(whole_parts):
            raise _Refused("a year takes four digits")
        units = whole_parts[-len(partial.bare) :]
        given = dict(zip(units, partial.bare, strict=True))
        partial = partial._replace(
            bare=(),
            year=given.get("year", partial.year),
            month=given.get("month", partial.month),
            day=given.get("day", partial.day),
        )
    month = partial.month
    if month is None:
        if whole.month is None:
            raise _Refused("the month is missing")
        month = whole.month
    return partial._replace(year=whole.year, era=whole.era, month=month)


def _resolve(reading: _Reading) -> PartialDate:
    """The partial date a complete reading stands for, checked against the calendar and its era."""
    year, month, day, era = reading.year, reading.month, reading.day, reading.era
    if year is None or reading.bare:
        raise _Refused("the year is missing")
    if era is not None:
        if year < 1:
            raise _Refused("era years count from 1 (元年)")
        year += era.first.year - 1
    if month is not None and not 1 <= month <= 12:
        raise _Refused(f"there is no month {month}")
    if month is not None and day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise _Refused(f"{year:04d}-{month:02d} has no day {day}")
    try:
        if reading.fiscal:
            found = dates.fiscal_year(year)
        elif day is not None and month is not None:
            found = dates.day(year, month, day)
        elif month is not None:
            found = dates.month(year, month)
        else:
            found = dates.year(year)
    except (ValueError, OverflowError):
        raise _Refused("year out of range") from None
    if era is not None:
        _check_era(era, dates.year(year) if reading.fiscal else found)
    return found


def _check_era(era: _Era, found: PartialDate) -> None:
    """Refuse what its era did not cover: 昭和64年1月8日 was already 平成, 令和元年4月30日 still 平成."""
    if found.last < era.first:
        raise _Refused(f"{era.kanji} began on {era.first.isoformat()}")
    if era.last is not None and found.first > era.last:
        raise _Refused(f"{era.kanji} ended on {era.last.isoformat()}")
    if found.precision != dates.YEAR and found.first < _GREGORIAN_FROM:
        raise _Refused("months and days before 明治6年 (1873) were lunisolar; give the year only")
