"""What an edit of several items would change (`edit` with filters): one row per item, one line per field."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from stidiplo import vocab
from stidiplo.views import text

if TYPE_CHECKING:
    from stidiplo.edits import PlannedEdit
    from stidiplo.tracker import Tracker


def shown_value(value: object) -> str:
    """A field's stored value in a line: a list joined by commas, an amount as its sum, nothing as '-'."""
    if value is None or value == []:
        return "-"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return " ".join(str(value[k]) for k in ("value", "currency", "detail") if value.get(k) is not None)
    return str(value)


def edits_table(planned: Sequence[PlannedEdit], tracker: Tracker, lang: str) -> RenderableType:
    """Each item the edit would change: its short id, its title, and `field: old -> new` for every field."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True, expand=True)
    for column in ("id", "title", "change"):
        table.add_column(
            vocab.header(column, lang),
            overflow="fold",
            no_wrap=column == "id",
            ratio={"title": 3, "change": 2}.get(column),
        )

    def shown(field: str, value: object) -> str:
        if field in ("follows", "related") and isinstance(value, list):
            return shown_value([tracker.short_id(ref) for ref in value])
        return shown_value(value)

    for edit in planned:
        lines = [f"{c.field}: {shown(c.field, c.old)} -> {shown(c.field, c.new)}" for c in edit.fields]
        table.add_row(
            Text(tracker.short_id(edit.item.id), style="bold"), text(edit.item.title_in(lang)), text("\n".join(lines))
        )
    return table
