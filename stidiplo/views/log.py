"""The log (`log`): every recorded change, newest first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from stidiplo import vocab
from stidiplo.views import change_cell, text

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
    for event in events:
        table.add_row(
            text(event.at.replace("T", " ").rstrip("Z")),
            Text(vocab.header("action_" + event.action, lang), style=ACTION_STYLE[event.action]),
            Text(tracker.short_id(event.item.id), style="bold"),
            text(event.item.title_in(lang)),
            change_cell(event, lang),
        )
    return table
