"""Markdown for documents and pastes: listings as tables (`list`, `followups`, `timeline`,
`upcoming`, `scorecard`, `countries` with `-f md`), the export as one table per year, and briefings.

Every piece of text written goes through `md_text`, the one Markdown escaper, so a title can
neither format the document nor bring HTML or links into it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import groupby
from typing import IO, TYPE_CHECKING

from stidiplo import vocab
from stidiplo.formats.records import history_entries
from stidiplo.formats.table import COLUMNS, row_of
from stidiplo.labels import (
    as_of,
    briefing_title,
    country_names,
    joined,
    literal,
    meeting_facts,
    organizations,
    section_name,
    status_words,
)

if TYPE_CHECKING:
    from stidiplo.followups import Briefing, CountryBriefing, Section
    from stidiplo.model import Item

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
BY_YEAR_COLUMNS = ("date", "title", "kind", "status", "countries", "fields", "organizations")


def md_text(value: str) -> str:
    """Text as inert Markdown on one line, for running text and table cells alike.

    Control characters are shown as escapes (`labels.literal`); runs of spaces fold to one, and
    a line break becomes `<br>` (the only line break a table cell can hold; blank lines are
    dropped). Every character that could format, start a heading, end a table cell, open a link
    (`[x](javascript:…)`) or HTML (`<img onerror=…>`) is backslash-escaped, so it shows as typed.
    An ampersand is left alone: an entity reference can only name a character, never markup.
    """
    lines = (" ".join(line.split()) for line in literal(value).split("\n"))
    return "<br>".join(_SPECIAL.sub(r"\\\1", line) for line in lines if line)


# -- tables -----------------------------------------------------------------------------------


def write_md_rows(header: Sequence[str], rows: Iterable[Sequence[str]], out: IO[str]) -> None:
    """A header and rows of text as a Markdown table; the header holds the tool's own column names
    (written as they are), every cell goes through `md_text`."""
    out.write("| " + " | ".join(header) + " |\n")
    out.write("|" + "|".join("---" for _ in header) + "|\n")
    for row in rows:
        out.write("| " + " | ".join(md_text(c) for c in row) + " |\n")


def write_md(items: Iterable[Item], out: IO[str], columns: Sequence[str] = COLUMNS) -> None:
    """Items as a listing's Markdown table, one row per item."""
    write_md_rows(columns, (row_of(i, columns) for i in items), out)


def _year_row(item: Item, lang: str) -> list[str]:
    return [
        item.when(lang),
        item.title_in(lang),
        vocab.kind_label(item.kind, lang),
        vocab.status_label(item.status, lang),
        country_names(item.countries, lang),
        joined((vocab.field_name(f, lang) for f in item.fields), lang),
        joined(organizations(item, lang), lang),
    ]


def write_by_year(items: Iterable[Item], lang: str, out: IO[str]) -> None:
    """Items as a table under a `## 2018` heading for each year they start in; within a year they
    keep the order given."""
    header = [vocab.header(column, lang) for column in BY_YEAR_COLUMNS]
    by_year = sorted(items, key=lambda i: i.start.first.year)
    for number, (year, group) in enumerate(
        groupby(by_year, key=lambda i: i.start.first.year if i.dated else i.when(lang))
    ):
        if number:
            out.write("\n")
        out.write(f"## {year}\n\n")
        write_md_rows(header, (_year_row(item, lang) for item in group), out)


# -- briefings --------------------------------------------------------------------------------


def _md_item(item: Item, lang: str, out: IO[str], *, with_history: bool) -> None:
    extra = [vocab.kind_label(item.kind, lang), status_words(item.status, lang)]
    if item.organizations or item.programmes:
        extra.append(joined(organizations(item, lang), lang))
    aside = vocab.phrase("aside", lang, text=md_text(" · ".join(extra)))
    out.write(f"- {md_text(item.when(lang))} — {md_text(item.title_in(lang))}{aside}\n")
    for at, change in history_entries(item, lang) if with_history else ():
        out.write(f"  - {md_text(at)}: {md_text(change)}\n" if at else f"  - {md_text(change)}\n")


def _md_sections(sections: Sequence[Section], lang: str, level: str, out: IO[str], with_history: bool) -> None:
    for section in sections:
        out.write(f"\n{level} ■ {md_text(section_name(section, lang))}\n\n")
        for item in section.items:
            _md_item(item, lang, out, with_history=with_history)


def write_briefing_md(briefing: Briefing, lang: str, out: IO[str], level: str = "#") -> None:
    """The briefing as Markdown, ready to paste into a document."""
    out.write(f"{level} {md_text(briefing_title(briefing, lang))}\n\n")
    for label, value in meeting_facts(briefing.meeting, lang):
        out.write(f"- **{md_text(label)}**: {md_text(value)}\n")
    if not briefing.sections:
        out.write(f"\n{md_text(vocab.header('no_followups', lang))}\n")
    _md_sections(briefing.sections, lang, level + "#", out, briefing.history)
    for key, items in (("pending", briefing.pending), ("overdue", briefing.overdue)):
        out.write(f"\n{level}# {md_text(vocab.header(key, lang))} ({len(items)})\n\n")
        for item in items:
            _md_item(item, lang, out, with_history=False)
        if not items:
            out.write("-\n")
    out.write(f"\n*{md_text(as_of(briefing.today, lang))}*\n")


def write_country_briefing_md(report: CountryBriefing, lang: str, out: IO[str]) -> None:
    """Each meeting's briefing in turn, newest first, then the country's other items."""
    name = vocab.country_name(report.country, lang)
    out.write(f"# {md_text(vocab.header('briefing_country', lang).format(country=name))}\n")
    for briefing in report.briefings:
        out.write("\n")
        write_briefing_md(briefing, lang, out, level="##")
    if report.others:
        out.write(f"\n## {md_text(vocab.header('others_with', lang).format(country=name))}\n")
        _md_sections(report.others, lang, "###", out, report.history)
    if not report.briefings and not report.others:
        out.write(f"\n{md_text(vocab.header('nothing_with', lang).format(country=name))}\n")
