"""Meetings and what followed them: each meeting with its follow-ups by field (`followups`), and the
briefing of one meeting or of every meeting with a country (`brief`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from stidiplo import activity, vocab
from stidiplo.activity import has_history
from stidiplo.followups import Briefing, CountryBriefing, Section, group_by_field
from stidiplo.labels import STATUS_MARK, ago, briefing_title, joined, meeting_facts, organizations, section_name
from stidiplo.views import STATUS_STYLE, change_mark, plain, status_cell, status_mark, text
from stidiplo.views.cells import Styled
from stidiplo.views.items import aligned_table, column_widths
from stidiplo.views.lines import TableLines

if TYPE_CHECKING:
    from stidiplo.model import Item
    from stidiplo.tracker import Tracker


def tally_text(items: Sequence[Item], lang: str) -> Text:
    """'✓ done 3 · ~ coordinating 1': follow-ups counted by status."""
    out = Text()
    counts: dict[str, int] = {}
    for item in items:
        counts[item.status] = counts.get(item.status, 0) + 1
    for status in STATUS_STYLE:
        if counts.get(status):
            if out:
                out.append(" · ")
            out.append(
                f"{STATUS_MARK[status]} {vocab.status_label(status, lang)} {counts[status]}", style=STATUS_STYLE[status]
            )
    return out


def _meeting_heading(meeting: Item, tracker: Tracker, lang: str) -> Text:
    heading = Text()
    heading.append(f"{tracker.short_id(meeting.id)}  ", style="bold")
    heading.append(meeting.when(lang) + "  ", style="bold")
    heading.append_text(text(meeting.title_in(lang), style="bold underline"))
    if meeting.countries:
        heading.append("  ").append_text(text(f"[{' '.join(meeting.countries)}]"))
    return heading


def followups_view(
    meetings: Sequence[tuple[Item, list[Item]]], tracker: Tracker, lang: str, today: date
) -> RenderableType:
    """Each meeting, then its follow-ups grouped by field, then a tally."""
    parts: list[RenderableType] = []
    for meeting, followups in meetings:
        parts.append(_meeting_heading(meeting, tracker, lang))
        if not followups:
            parts.append(Text("  " + vocab.header("no_followups", lang), style="dim"))
        cells = {
            item.id: (
                " ",
                item.when(lang),
                vocab.kind_label(item.kind, lang),
                status_mark(item.status, lang),
                plain(item.title_in(lang)),
                Styled(ago(item, today, lang), "dim"),
            )
            for item in followups
        }
        widths = column_widths(cells.values())
        for section in group_by_field(followups):
            parts.append(Text(f"  ■ {section_name(section, lang)}", style="bold"))
            parts.append(TableLines(aligned_table(widths, title_at=4), [cells[item.id] for item in section.items]))
        if followups:
            parts.append(Text("  ").append_text(tally_text(followups, lang)))
        parts.append(Text(""))
    return Group(*parts)


# -- the briefing -----------------------------------------------------------------------------


def _date_width(items: Sequence[Item], lang: str) -> int:
    """The width of the date column that lines up every item of one view (with its indent)."""
    return max((cell_len(item.when(lang)) for item in items), default=0) + 2


def _history_table(item: Item, lang: str) -> TableLines:
    entries = Table.grid(padding=(0, 2))
    entries.add_column(no_wrap=True, style="dim")
    entries.add_column(overflow="fold", ratio=1)
    return TableLines(
        entries, [(plain(when), change_mark(event, lang)) for when, event in activity.history_lines(item, lang)]
    )


def _item_rows(items: Sequence[Item], tracker: Tracker, lang: str, *, history: bool, date_width: int) -> RenderableType:
    """Each item by its date: status and title, then kind, organisations and id, then its history."""
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, min_width=date_width)
    table.add_column(overflow="fold", ratio=1)
    rows: list[tuple[str, Group]] = []
    for item in items:
        meta = Text(f"{vocab.kind_label(item.kind, lang)} · ", style="dim")
        if item.organizations or item.programmes:
            who = joined(organizations(item, lang), lang)
            meta.append_text(text(who, style="dim")).append(" · ", style="dim")
        meta.append(tracker.short_id(item.id), style="dim")
        heading = status_cell(item.status, lang).append("  ").append_text(text(item.title_in(lang)))
        parts: list[RenderableType] = [heading, meta]
        if history and has_history(item):
            parts.append(_history_table(item, lang))
        rows.append((f"  {item.when(lang)}", Group(*parts)))
    return TableLines(table, rows)


def _sections(
    sections: Sequence[Section], tracker: Tracker, lang: str, history: bool, date_width: int
) -> list[RenderableType]:
    parts: list[RenderableType] = []
    for section in sections:
        parts.append(Text("■ ", style="bold").append_text(text(section_name(section, lang), style="bold")))
        parts.append(_item_rows(section.items, tracker, lang, history=history, date_width=date_width))
    return parts


def _meeting_lines(meeting: Item, tracker: Tracker, lang: str) -> TableLines:
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column(overflow="fold")
    rows: list[tuple[str, str | Styled]] = [(label, plain(value)) for label, value in meeting_facts(meeting, lang)]
    rows.append((vocab.header("id", lang), Styled(tracker.short_id(meeting.id), "dim")))
    return TableLines(facts, rows)


def briefing_view(briefing: Briefing, tracker: Tracker, lang: str) -> RenderableType:
    """A MEXT status page ("…後の状況"): the meeting, follow-ups by field, then pending and overdue."""
    meeting = briefing.meeting
    parts: list[RenderableType] = [
        text(briefing_title(briefing, lang), style="bold underline"),
        _meeting_lines(meeting, tracker, lang),
    ]
    if not briefing.sections:
        parts.append(Text(vocab.header("no_followups", lang), style="dim"))
    date_width = _date_width([*briefing.followups, *briefing.pending, *briefing.overdue], lang)
    parts += _sections(briefing.sections, tracker, lang, briefing.history, date_width)
    if briefing.followups:
        parts.append(tally_text(briefing.followups, lang))
    for key, items, style in (("pending", briefing.pending, "bold yellow"), ("overdue", briefing.overdue, "bold red")):
        parts.append(Text(""))
        parts.append(Text(f"{vocab.header(key, lang)} ({len(items)})", style=style))
        if items:
            parts.append(_item_rows(items, tracker, lang, history=False, date_width=date_width))
    return Group(*parts)


def country_briefing_view(report: CountryBriefing, tracker: Tracker, lang: str) -> RenderableType:
    """Every meeting with a country, newest first, then the country's other items."""
    name = vocab.country_name(report.country, lang)
    parts: list[RenderableType] = [
        text(vocab.header("briefing_country", lang).format(country=name), style="bold"),
        Rule(style="dim"),
    ]
    for briefing in report.briefings:
        parts += [briefing_view(briefing, tracker, lang), Rule(style="dim")]
    if report.others:
        parts.append(text(vocab.header("others_with", lang).format(country=name), style="bold underline"))
        others = [item for section in report.others for item in section.items]
        parts += _sections(report.others, tracker, lang, report.history, _date_width(others, lang))
    if not report.briefings and not report.others:
        parts.append(Text(vocab.header("nothing_with", lang).format(country=name), style="dim"))
    return Group(*parts)
