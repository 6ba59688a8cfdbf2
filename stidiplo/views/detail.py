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
        meeting = tracker.items.get(item.follows)
        label = meeting.title_in(lang) if meeting else "?"
        rows.append(("follows", text(f"{tracker.short_id(item.follows)}  {label}")))
    for key in ("place", "participants"):
        value = getattr(item, key)
        if value:
            rows.append((key, text(value)))
    for key in ("organizations", "people", "sources"):
        values = getattr(item, key)
        if values:
            rows.append((key, text("\n".join(values))))
    if item.amount is not None:
        amount = f"{item.amount.value:,} {item.amount.currency}"
        if item.amount.detail:
            amount += f" ({item.amount.detail})"
        rows.append(("amount", text(amount)))
    rows.append(("created", text(item.created)))
    rows.append(("updated", text(item.updated)))
    return rows


def item_detail(item: Item, tracker: Tracker, lang: str) -> RenderableType:
    """Everything about one item: its fields, its meeting, its follow-ups, its history."""
    fields = Table.grid(padding=(0, 2))
    fields.add_column(style="bold", no_wrap=True)
    fields.add_column(overflow="fold")
    for key, value in _field_lines(item, tracker, lang):
        fields.add_row(vocab.header(key, lang), value)
    parts: list[RenderableType] = [fields]
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
