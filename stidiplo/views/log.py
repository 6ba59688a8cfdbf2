"""The log (`log`): every recorded change, newest first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import RenderableType
from rich.table import Table

from stidiplo import vocab
from stidiplo.views import change_mark, plain
from stidiplo.views.cells import Styled
from stidiplo.views.lines import TableLines

if TYPE_CHECKING:
    from stidiplo.activity import Event
    from stidiplo.tracker import Tracker

ACTION_STYLE = {"added": "green", "status": "cyan", "noted": "yellow", "edited": "dim"}


def log_table(events: Sequence[Event], tracker: Tracker, lang: str) -> RenderableType:
    """Recorded changes, newest first: when, what, which item, and the new status or the note."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True, expand=True)
    for column in ("at", "action", "id", "title", "change"):
        table.add_column(
            vocab.header(column, lang),
            overflow="fold",
            no_wrap=column in ("at", "action", "id"),
            ratio={"title": 3, "change": 2}.get(column),
        )
    actions = {action: Styled(vocab.header("action_" + action, lang), style) for action, style in ACTION_STYLE.items()}
    short = tracker.short_ids() if len(events) > _FEW else None
    items: dict[str, tuple[Styled, str]] = {}
    stamps: dict[str, str] = {}
    rows = []
    for event in events:
        item = event.item
        ident, title = items.get(item.id) or items.setdefault(
            item.id,
            (Styled(short[item.id] if short else tracker.short_id(item.id), "bold"), plain(item.title_in(lang))),
        )
        stamp = stamps.get(event.at) or stamps.setdefault(event.at, plain(event.at.replace("T", " ").rstrip("Z")))
        rows.append((stamp, actions[event.action], ident, title, change_mark(event, lang)))
    return TableLines(table, rows)


_FEW = 1000
"""Up to this many changes, each item's short id is worked out alone; beyond, all at once."""
