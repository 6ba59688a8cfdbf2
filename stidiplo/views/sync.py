"""The short summary `sync` prints: what was committed, what came in from the team, what went out."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from stidiplo import vocab
from stidiplo.gitshare import SyncReport
from stidiplo.labels import joined
from stidiplo.model import Item
from stidiplo.tracker import Tracker
from stidiplo.views import status_cell, text
from stidiplo.views.items import ItemsTable


def sync_summary(report: SyncReport, tracker: Tracker, lang: str) -> RenderableType:
    """A few lines, then the new items and the status changes that came in."""
    upstream = str(report.upstream)
    change = report.changes
    parts: list[RenderableType] = []
    if report.committed:
        parts.append(text(vocab.phrase("sync_committed", lang, subject=report.committed)))
    if not report.pulled:
        parts.append(Text(vocab.phrase("sync_nothing_in", lang, upstream=upstream)))
    else:
        counts = [
            vocab.phrase("sync_" + key, lang, n=len(found))
            for key, found in (
                ("added", change.added),
                ("statuses", change.statuses),
                ("edited", change.edited),
                ("removed", change.removed),
            )
            if found
        ]
        counts_text = joined(counts, lang) or vocab.phrase("sync_no_tracker_change", lang)
        parts.append(Text(vocab.phrase("sync_came_in", lang, upstream=upstream, counts=counts_text), style="bold"))
    added = [tracker.items[i] for i in change.added if i in tracker.items]
    if added:
        parts.append(
            ItemsTable(
                sorted(added, key=lambda i: i.start.sort_key), tracker, lang, title=vocab.phrase("sync_new_items", lang)
            )
        )
    statuses = [(tracker.items[i], was, now) for i, was, now in change.statuses if i in tracker.items]
    if statuses:
        parts.append(_status_changes(statuses, tracker, lang))
    if change.conflicts:
        parts.append(Text(vocab.phrase("sync_conflicts", lang), style="bold yellow"))
        for item_id, note in change.conflicts:
            line = Text(f"  {tracker.short_id(item_id) if item_id in tracker.items else item_id[:8]}  ", style="bold")
            parts.append(line.append_text(text(note)))
    if report.pushed:
        parts.append(Text(vocab.phrase("sync_pushed", lang, n=report.pushed, upstream=upstream)))
    else:
        parts.append(Text(vocab.phrase("sync_nothing_out", lang, upstream=upstream), style="dim"))
    return Group(*parts)


def _status_changes(statuses: list[tuple[Item, str, str]], tracker: Tracker, lang: str) -> Table:
    """The items whose status changed: id, old → new status, title."""
    table = Table(
        box=box.SIMPLE_HEAD, title=vocab.phrase("sync_status_changes", lang), title_justify="left", pad_edge=False
    )
    for column in ("id", "status", "title"):
        table.add_column(vocab.header(column, lang), overflow="fold", no_wrap=column != "title")
    for item, was, now in statuses:
        moved = status_cell(was, lang).append(" → ").append_text(status_cell(now, lang))
        table.add_row(Text(tracker.short_id(item.id), style="bold"), moved, text(item.title_in(lang)))
    return table
