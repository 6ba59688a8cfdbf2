"""One item in full, as `show` prints it: every field, its meeting, its follow-ups, its history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from stidiplo import vocab
from stidiplo.activity import history
from stidiplo.labels import joined
from stidiplo.model import in_lang
from stidiplo.views import change_cell, status_cell, text
from stidiplo.views.items import ItemsTable

if TYPE_CHECKING:
    from stidiplo.model import Item
    from stidiplo.tracker import Tracker


def _field_lines(item: Item, tracker: Tracker, lang: str) -> list[tuple[str, Text | str]]:
    """Each field the item has, as a heading key and its value."""
    rows: list[tuple[str, Text | str]] = [
        ("id", item.id),
        ("title", text(item.title)),
    ]
    if item.title_en:
        rows.append(("title_en", text(item.title_en)))
    rows += [
        ("kind", vocab.kind_label(item.kind, lang)),
        ("date", item.when(lang)),
        ("status", status_cell(item.status, lang)),
        ("countries", text(joined((f"{vocab.country_name(c, lang)} ({c})" for c in item.countries), lang))),
        ("fields", text(joined((vocab.field_name(f, lang) for f in item.fields), lang))),
    ]
    if item.follows:
        meetings = [(ref, tracker.items.get(ref)) for ref in item.follows]
        lines = [f"{tracker.short_id(ref)}  {m.title_in(lang) if m else '?'}" for ref, m in meetings]
        rows.append(("follows", text("\n".join(lines))))
    for key, value in (("place", item.place_in(lang)), ("participants", item.participants_in(lang))):
        if value:
            rows.append((key, text(value)))
    for key, values in (
        ("organizations", [vocab.organization_name(o, lang) for o in item.organizations]),
        ("programmes", item.programmes),
        ("people", item.people_in(lang)),
        ("sources", [s.document + (f", p. {s.page}" if s.page else "") for s in dict.fromkeys(item.sources)]),
    ):
        if values:
            rows.append((key, text("\n".join(dict.fromkeys(values)))))
    if item.amount is not None:
        amount = f"{item.amount.value:,} {item.amount.currency}"
        detail = in_lang(lang, item.amount.detail, item.amount.detail_en)
        if detail:
            amount += f" ({detail})"
        rows.append(("amount", text(amount)))
    rows.append(("created", text(item.created)))
    rows.append(("updated", text(item.updated)))
    return rows


def sources_table(item: Item, lang: str) -> RenderableType:
    """Where the item comes from: each source's document, page, heading and quote, and the provenance remark."""
    table = Table(box=box.SIMPLE_HEAD, title=vocab.header("sources", lang), title_justify="left")
    for key in ("document", "page", "heading", "quote"):
        table.add_column(vocab.header(key, lang), overflow="fold", no_wrap=key == "page")
    for source in item.sources:
        table.add_row(*(text(part or "") for part in (source.document, source.page, source.heading, source.quote)))
    if not item.provenance:
        return table
    remark = Table.grid(padding=(0, 2))
    remark.add_column(style="bold", no_wrap=True)
    remark.add_column(overflow="fold")
    remark.add_row(vocab.header("provenance", lang), text(item.provenance))
    return Group(table, remark)


def item_detail(item: Item, tracker: Tracker, lang: str, *, sources: bool = False) -> RenderableType:
    """Everything about one item: its fields, its meeting, its follow-ups, its history; with `sources`,
    where each fact comes from."""
    fields = Table.grid(padding=(0, 2))
    fields.add_column(style="bold", no_wrap=True)
    fields.add_column(overflow="fold")
    for key, value in _field_lines(item, tracker, lang):
        fields.add_row(vocab.header(key, lang), value)
    parts: list[RenderableType] = [fields]
    if sources:
        parts.append(sources_table(item, lang))
    followups = tracker.followups(item.id)
    if followups:
        parts.append(ItemsTable(followups, tracker, lang, title=vocab.header("followups", lang)))
    related = tracker.related_to(item)
    if related:
        parts.append(ItemsTable(related, tracker, lang, title=vocab.header("related", lang)))
    entries = Table(box=box.SIMPLE_HEAD, title=vocab.header("history", lang), title_justify="left")
    entries.add_column(vocab.header("at", lang), no_wrap=True)
    entries.add_column(vocab.header("change", lang), overflow="fold")
    for event in history(item):
        entries.add_row(text(event.at), change_cell(event, lang))
    parts.append(entries)
    return Group(*parts)
