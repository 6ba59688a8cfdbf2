"""How things read in every output, Rich-free: the words and marks the terminal views and the
documents (Markdown, HTML, JSON records) share.

Every word comes from the vocabulary's labels.json; this module puts them together: a status
with its mark, a briefing's title, a meeting's facts, how long ago a date lies, why a finding was
made. `literal` is how every output shows user text: as text, never as instructions.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stidiplo import vocab
from stidiplo.dates import UNDATED, from_date, months_between, whole_months

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date

    from stidiplo.attention import Finding
    from stidiplo.followups import Briefing, Section
    from stidiplo.model import Item
    from stidiplo.tracker import Tracker

STATUS_MARK = {
    "exploring": "?",
    "coordinating": "~",
    "scheduled": "○",
    "ongoing": "▶",
    "done": "✓",
    "dropped": "✗",
}

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def literal(value: str) -> str:
    """`value` with control characters written as escapes (`\\x1b`, `\\r`, `\\u202e`) instead of obeyed.

    The one escaper every output uses for user text. Line feeds and tabs are left to each output
    (a table folds them, Markdown turns a line feed into `<br>`). A carriage return is escaped
    everywhere, terminal and document alike: a terminal obeys it by going back to the start of
    the line, so what follows overwrites what came before (a title could hide its own words),
    readers of files disagree on whether it ends a line, and documents are printed to
    terminals too (`brief -f md` without `-o`).
    """
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], value)


def joined(values: Iterable[str], lang: str) -> str:
    """Values listed as a reader of `lang` lists them: 'Sweden, Finland', 'スウェーデン、フィンランド'."""
    return vocab.phrase("list_sep", lang).join(values)


def country_names(codes: Iterable[str], lang: str) -> str:
    """Country and bloc names in `lang`, listed."""
    return joined((vocab.country_name(c, lang) for c in codes), lang)


def organizations(item: Item, lang: str) -> list[str]:
    """Who is involved, as a reader of `lang` names them: the organisations, then the funding programmes."""
    return [*(vocab.organization_name(o, lang) for o in item.organizations), *item.programmes]


def people(item: Item, lang: str) -> str:
    """The people named, listed; in English a name with a comma (its office) is set off by semicolons."""
    names = item.people_in(lang)
    return "; ".join(names) if lang == "en" and any("," in n for n in names) else joined(names, lang)


def status_words(status: str, lang: str) -> str:
    """A status with its mark: '✓ done', '○ 予定'."""
    return f"{STATUS_MARK[status]} {vocab.status_label(status, lang)}"


def year_heading(year: int | str, lang: str) -> str:
    """A year as a heading or row name: '2018', '2018年'."""
    return vocab.phrase("year", lang, year=year)


def year_of(item: Item, lang: str) -> str:
    """The heading of the year an item starts in ('2018', '2018年'); 'undated' ('未定') for an item without a date."""
    return year_heading(item.start.first.year, lang) if item.dated else item.start.format(lang)


def section_name(section: Section, lang: str) -> str:
    """A briefing section's heading: its field's name, or 'Other'."""
    return vocab.field_name(section.field, lang) if section.field else vocab.header("other", lang)


def briefing_title(briefing: Briefing, lang: str) -> str:
    """'Status since <meeting> (<date>)', as a MEXT status page heads it: '…後の状況'."""
    meeting = briefing.meeting
    return vocab.header("briefing_title", lang).format(meeting=meeting.title_in(lang), date=meeting.when(lang))


def meeting_facts(meeting: Item, lang: str) -> list[tuple[str, str]]:
    """The meeting's date, place, countries, who met whom and who took part, as label and value."""
    facts = [(vocab.header("date", lang), meeting.when(lang))]
    place, participants = meeting.place_in(lang), meeting.participants_in(lang)
    if place:
        facts.append((vocab.header("place", lang), place))
    facts.append((vocab.header("countries", lang), country_names(meeting.countries, lang)))
    if meeting.people or meeting.people_en:
        facts.append((vocab.header("people", lang), people(meeting, lang)))
    if meeting.organizations or meeting.programmes:
        facts.append((vocab.header("organizations", lang), joined(organizations(meeting, lang), lang)))
    if participants:
        facts.append((vocab.header("participants", lang), participants))
    return facts


def as_of(today: date, lang: str) -> str:
    """'As of 30 Apr 2019': the date a report describes."""
    return vocab.header("as_of", lang).format(date=from_date(today).format(lang))


def ago(item: Item, today: date, lang: str) -> str:
    """How long ago (or how far ahead) an item's date lies, in calendar months: '12 mo ago', 'in 9 mo',
    '8 yr 7 mo ago'; '' when the item is undated."""
    if not item.dated:
        return ""
    months = months_between(item.start.first, today)
    if months == 0:
        return vocab.phrase("this_month", lang)
    return vocab.phrase("time_ago" if months > 0 else "time_ahead", lang, span=months_span(abs(months), lang))


def ahead(item: Item, today: date, lang: str) -> str:
    """'in 12 days', 'in 3 mo'; 'by 31 Dec 2019' when the item's date has already begun; '' when undated."""
    if not item.dated:
        return ""
    first, last = item.start.first, item.start.last
    if first <= today:
        return vocab.phrase("by_day", lang, date=from_date(last).format(lang))
    months = whole_months(today, first)
    if months == 0:
        return vocab.phrase("in_days", lang, n=(first - today).days)
    return vocab.phrase("time_ahead", lang, span=months_span(months, lang))


def duration(since: date, today: date, lang: str) -> str:
    """'2 mo', '3 yr 1 mo' or, under a month, '15 days' ('2か月', '3年1か月', '15日')."""
    months = whole_months(since, today)
    if months:
        return months_span(months, lang)
    return vocab.phrase("days", lang, n=(today - since).days)


YEARS_FROM = 24
"""Months from which a span is told in years and months: '23 mo', then '2 yr'."""


def months_span(months: int, lang: str) -> str:
    """A number of months as a reader takes it in: '7 mo', and past two years '8 yr 7 mo' ('8年7か月')."""
    if months < YEARS_FROM:
        return vocab.phrase("months", lang, n=months)
    years, rest = divmod(months, 12)
    if rest == 0:
        return vocab.phrase("years", lang, n=years)
    return vocab.phrase("years_months", lang, years=years, months=rest)


def finding_detail(finding: Finding, today: date, lang: str) -> str:
    """Why a finding was made, in one sentence a reader of `lang` expects."""
    since, status = finding.since, finding.item.status
    if since is None:
        return vocab.phrase("finding_stale_never", lang, status=status)
    return vocab.phrase(
        "finding_" + finding.reason,
        lang,
        status=status,
        date=since.format(lang),
        late=duration(since.last, today, lang),
        months=whole_months(since.last, today),
    )


def group_name(key: str, by: str, tracker: Tracker, lang: str) -> str:
    """How a scorecard row or timeline lane is labelled: a meeting's date and title, a country's
    name and code, a field's name, a year."""
    from stidiplo.tally import NO_FIELD, UNDATED_KEY  # tally is not needed by list's start-up

    if by == "meeting":
        meeting = tracker.items[key]
        return f"{meeting.start.format(lang)} {meeting.title_in(lang)}"
    if by == "country":
        return f"{vocab.country_name(key, lang)} ({key})"
    if by == "field":
        return vocab.header(NO_FIELD, lang) if key == NO_FIELD else vocab.field_name(key, lang)
    return UNDATED.format(lang) if key == UNDATED_KEY else year_heading(key, lang)
