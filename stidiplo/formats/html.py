"""Briefings, the timeline and its lanes as HTML: one self-contained page (inline CSS, no external assets) that
prints on A4 and shows Japanese well. Every piece of user text passes through `html_text`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape
from typing import IO, TYPE_CHECKING

from stidiplo import vocab
from stidiplo.formats.records import history_entries, timeline_facts
from stidiplo.labels import (
    STATUS_MARK,
    as_of,
    briefing_title,
    joined,
    literal,
    meeting_facts,
    organizations,
    section_name,
    status_words,
    year_of,
)
from stidiplo.model import STATUSES
from stidiplo.tally import runs_past

if TYPE_CHECKING:
    from stidiplo.followups import Briefing, CountryBriefing, Section
    from stidiplo.model import Item
    from stidiplo.tally import Lane

COLOURS = {
    "exploring": "#8e24aa",
    "coordinating": "#b58100",
    "scheduled": "#00838f",
    "ongoing": "#1565c0",
    "done": "#2e7d32",
    "dropped": "#757575",
}
"""Each status's colour, in every format that has colour: the HTML, slides, Word and PDF."""
OVERDUE_COLOUR = "#c62828"
"""The colour of what is overdue, whatever its status."""

FONTS = (
    '"Hiragino Kaku Gothic ProN", "Hiragino Sans", "Yu Gothic", YuGothic, Meiryo, "Noto Sans CJK JP", '
    '"Noto Sans JP", "Source Han Sans JP", system-ui, sans-serif'
)
CSS = f"""
body {{ font-family: {FONTS}; line-height: 1.6; color: #1a1a1a; max-width: 60rem; margin: 2rem auto;
  padding: 0 1.5rem; }}
h1 {{ font-size: 1.45rem; border-bottom: 2px solid #1a1a1a; padding-bottom: .3rem; }}
h2 {{ font-size: 1.15rem; margin-top: 1.6rem; }}
h3 {{ font-size: 1.05rem; margin: 1.2rem 0 .3rem; }}
dl.facts {{ display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1.2rem; margin: .8rem 0; }}
dl.facts dt {{ font-weight: bold; }}
dl.facts dd {{ margin: 0; }}
ul {{ padding-left: 1.3rem; margin: .3rem 0; }}
li {{ margin: .2rem 0; }}
.date {{ white-space: nowrap; font-variant-numeric: tabular-nums; margin-right: .6rem; }}
.meta {{ color: #555; font-size: .9em; }}
.status {{ white-space: nowrap; font-weight: bold; }}
ul.history {{ list-style: none; padding-left: 1rem; color: #444; font-size: .9em; }}
.pending h2 {{ color: #b58100; }}
.overdue h2 {{ color: {OVERDUE_COLOUR}; }}
.none {{ color: #777; }}
footer {{ margin-top: 2rem; color: #777; font-size: .85em; border-top: 1px solid #ccc; padding-top: .4rem; }}
table.lanes {{ border-collapse: collapse; font-size: .9em; }}
table.lanes th, table.lanes td {{ border: 1px solid #ddd; padding: .15rem .4rem; text-align: left;
  white-space: nowrap; }}
table.lanes td.cell {{ letter-spacing: .1em; }}
.run {{ opacity: .55; }}
{"".join(f".s-{s} {{ color: {c}; }}" for s, c in COLOURS.items())}
@page {{ size: A4; margin: 16mm 14mm; }}
@page lanes {{ size: A4 landscape; margin: 12mm; }}
@media print {{
  body {{ margin: 0; max-width: none; font-size: 10.5pt; }}
  body:has(table.lanes) {{ page: lanes; }}
  table.lanes {{ font-size: 8pt; }}
  article + article {{ break-before: page; }}
  section, li {{ break-inside: avoid; }}
  h1, h2, h3 {{ break-after: avoid; }}
}}
"""


def html_text(value: str) -> str:
    """Text safe in HTML: markup escaped, control characters shown as escapes (`labels.literal`)."""
    return escape(literal(value))


def _page(title: str, body: str, lang: str, out: IO[str]) -> None:
    out.write(
        f'<!DOCTYPE html>\n<html lang="{html_text(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html_text(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )


def _status_html(status: str, lang: str) -> str:
    return f'<span class="status s-{status}">{html_text(status_words(status, lang))}</span>'


def _item_html(item: Item, lang: str, *, with_history: bool) -> str:
    meta = [vocab.kind_label(item.kind, lang)]
    if item.organizations or item.programmes:
        meta.append(joined(organizations(item, lang), lang))
    place = item.place_in(lang)
    if place:
        meta.append(place)
    entries = "".join(
        f'<li><span class="date">{html_text(at)}</span>{html_text(change)}</li>'
        for at, change in (history_entries(item, lang) if with_history else ())
    )
    return (
        f'<li><span class="date">{html_text(item.when(lang))}</span>{html_text(item.title_in(lang))} '
        f'{_status_html(item.status, lang)} <span class="meta">{html_text(" · ".join(meta))}</span>'
        + (f'<ul class="history">{entries}</ul>' if entries else "")
        + "</li>\n"
    )


def _sections_html(sections: Sequence[Section], lang: str, tag: str, with_history: bool) -> str:
    return "".join(
        f"<section>\n<{tag}>■ {html_text(section_name(section, lang))}</{tag}>\n<ul>\n"
        + "".join(_item_html(i, lang, with_history=with_history) for i in section.items)
        + "</ul>\n</section>\n"
        for section in sections
    )


def _briefing_html(briefing: Briefing, lang: str, top: int) -> str:
    heading, sub = f"h{top}", f"h{top + 1}"
    facts = "".join(
        f"<dt>{html_text(label)}</dt><dd>{html_text(value)}</dd>"
        for label, value in meeting_facts(briefing.meeting, lang)
    )
    body = f'<{heading}>{html_text(briefing_title(briefing, lang))}</{heading}>\n<dl class="facts">{facts}</dl>\n'
    if not briefing.sections:
        body += f'<p class="none">{html_text(vocab.header("no_followups", lang))}</p>\n'
    body += _sections_html(briefing.sections, lang, sub, briefing.history)
    for key, items in (("pending", briefing.pending), ("overdue", briefing.overdue)):
        listed = "".join(_item_html(i, lang, with_history=False) for i in items) or '<li class="none">—</li>'
        body += (
            f'<section class="{key}">\n<{sub}>{html_text(vocab.header(key, lang))} ({len(items)})</{sub}>\n'
            f"<ul>\n{listed}</ul>\n</section>\n"
        )
    return body


def _footer(today: date, lang: str) -> str:
    return f"<footer>{html_text(as_of(today, lang))} · stidiplo</footer>\n"


def write_briefing_html(briefing: Briefing, lang: str, out: IO[str]) -> None:
    """The briefing as one printable, self-contained HTML page."""
    body = f"<article>\n{_briefing_html(briefing, lang, 1)}</article>\n{_footer(briefing.today, lang)}"
    _page(briefing_title(briefing, lang), body, lang, out)


def write_country_briefing_html(report: CountryBriefing, lang: str, out: IO[str]) -> None:
    """Every meeting with a country, one printed page each, then the country's other items."""
    name = vocab.country_name(report.country, lang)
    title = vocab.header("briefing_country", lang).format(country=name)
    articles = [f"<article>\n{_briefing_html(b, lang, 2)}</article>\n" for b in report.briefings]
    if report.others:
        articles.append(
            f"<article>\n<h2>{html_text(vocab.header('others_with', lang).format(country=name))}</h2>\n"
            f"{_sections_html(report.others, lang, 'h3', report.history)}</article>\n"
        )
    if not articles:
        articles.append(f'<p class="none">{html_text(vocab.header("nothing_with", lang).format(country=name))}</p>\n')
    body = f"<h1>{html_text(title)}</h1>\n{''.join(articles)}{_footer(report.today, lang)}"
    _page(title, body, lang, out)


def write_timeline_html(items: Sequence[Item], lang: str, today: date, out: IO[str]) -> None:
    """The timeline as a page: items by year, each with its date, countries, kind and status."""
    title = vocab.header("timeline", lang)
    body, year = f"<h1>{html_text(title)}</h1>\n", None
    for item in items:
        if year_of(item, lang) != year:
            if year is not None:
                body += "</ul>\n"
            year = year_of(item, lang)
            body += f"<h2>{html_text(year)}</h2>\n<ul>\n"
        meta = timeline_facts(item, lang)
        body += (
            f'<li><span class="date">{html_text(item.when(lang))}</span>{html_text(item.title_in(lang))} '
            f'{_status_html(item.status, lang)} <span class="meta">{html_text(meta)}</span></li>\n'
        )
    body += "</ul>\n" if year is not None else ""
    _page(title, body + _footer(today, lang), lang, out)


def write_lanes_html(
    years: Sequence[int | None], lanes: Sequence[tuple[str, Lane]], by: str, lang: str, today: date, out: IO[str]
) -> None:
    """One row per country or field, one column per year; hovering a mark names the item."""
    title = f"{vocab.header('timeline', lang)} — {vocab.header(by, lang)}"
    head = "".join(f"<th>{'…' if year is None else year}</th>" for year in years)
    rows = []
    for name, lane in lanes:
        cells = []
        for year in years:
            if year is None:
                cells.append('<td class="gap"></td>')
                continue
            starts, runs = lane.cells.get(year, ([], []))
            marks = "".join(
                f'<span class="s-{i.status}" title="{html_text(_tip(i, lang))}">{STATUS_MARK[i.status]}</span>'
                for i in starts
            )
            running = [*runs, *(i for i in starts if runs_past(i, year))]
            marks += "".join(
                f'<span class="s-{i.status} run" title="{html_text(_tip(i, lang))}">─</span>' for i in running
            )
            cells.append(f'<td class="cell">{marks}</td>')
        rows.append(f"<tr><th>{html_text(name)}</th>{''.join(cells)}<td>{len(lane.items)}</td></tr>\n")
    legend = " ".join(f'<span class="s-{s}">{html_text(status_words(s, lang))}</span>' for s in STATUSES)
    body = (
        f'<h1>{html_text(title)}</h1>\n<table class="lanes">\n<tr><th></th>{head}<th>Σ</th></tr>\n'
        f"{''.join(rows)}</table>\n<p>{legend}</p>\n{_footer(today, lang)}"
    )
    _page(title, body, lang, out)


def _tip(item: Item, lang: str) -> str:
    return f"{item.when(lang)} {item.title_in(lang)} ({vocab.status_label(item.status, lang)})"
