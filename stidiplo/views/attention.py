"""What needs an official's attention (`attention`) and what is coming up (`upcoming`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from stidiplo import vocab
from stidiplo.dates import from_date
from stidiplo.labels import ahead, finding_detail
from stidiplo.views import status_cell, text
from stidiplo.views.items import countries_cell

if TYPE_CHECKING:
    from stidiplo.attention import Finding
    from stidiplo.model import Item
    from stidiplo.tracker import Tracker

REASON_STYLE = {"overdue": "bold red", "support-ended": "bold yellow", "stale": "bold magenta", "no-followups": "bold"}


def _findings_table(findings: Sequence[Finding], tracker: Tracker, lang: str, today: date) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold", ratio=1)
    for finding in findings:
        item = finding.item
        heading = status_cell(item.status, lang).append("  ").append_text(text(item.title_in(lang)))
        why = countries_cell(item, lang).append(" · ").append(finding_detail(finding, today, lang))
        why.stylize("dim")
        table.add_row(Text(f"  {tracker.short_id(item.id)}", style="bold"), item.when(lang), Group(heading, why))
    return table


def attention_view(findings: Sequence[Finding], tracker: Tracker, lang: str, today: date) -> RenderableType:
    """Findings under one heading per reason, each with the sentence that explains it."""
    if not findings:
        return Text(vocab.header("attention_none", lang).format(date=from_date(today).format(lang)), style="green")
    parts: list[RenderableType] = []
    for reason, style in REASON_STYLE.items():
        chosen = [f for f in findings if f.reason == reason]
        if chosen:
            heading = Text(f"{vocab.header('reason_' + reason, lang)} ({len(chosen)})", style=style)
            parts += [heading, _findings_table(chosen, tracker, lang, today), Text("")]
    return Group(*parts)


def upcoming_table(items: Sequence[Item], tracker: Tracker, lang: str, today: date, months: int) -> RenderableType:
    """Scheduled items, soonest first, with how far ahead each lies."""
    if not items:
        return Text(vocab.header("upcoming_none", lang).format(months=months), style="dim")
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, style="cyan")
    table.add_column(overflow="fold", ratio=1)
    for item in items:
        meta = Text(f"{vocab.kind_label(item.kind, lang)} · ").append_text(countries_cell(item, lang))
        meta.append(f" · {tracker.short_id(item.id)}")
        meta.stylize("dim")
        table.add_row(f"  {item.when(lang)}", ahead(item, today, lang), Group(text(item.title_in(lang)), meta))
    return Group(Text(vocab.header("upcoming_title", lang).format(months=months), style="bold"), table)
