"""The scorecard (`scorecard`): follow-ups tallied by status per meeting, country, field or year,
with a bar and the share completed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from stidiplo import vocab
from stidiplo.labels import STATUS_MARK
from stidiplo.model import STATUSES
from stidiplo.views import STATUS_STYLE, status_legend, text

if TYPE_CHECKING:
    from stidiplo.tally import Tally

BAR_WIDTH = 20


def completed_text(share: float | None) -> str:
    """The share completed as a percentage, '–' when nothing is left to complete."""
    return "–" if share is None else f"{share:.0%}"


def bar(share: float | None, width: int = BAR_WIDTH) -> Text:
    """A bar filled in proportion to the share completed."""
    filled = 0 if share is None else round(share * width)
    return Text("█" * filled, style="green").append("░" * (width - filled), style="dim")


def _count(n: int, status: str) -> Text:
    return Text(str(n), style=STATUS_STYLE[status]) if n else Text("·", style="dim")


def scorecard_table(rows: Sequence[tuple[str, Tally]], total: Tally, by: str, lang: str) -> RenderableType:
    """One row per meeting, country, field or year: counts by status, a bar and the share completed."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_footer=True)
    table.add_column(vocab.header(by, lang), vocab.header("total", lang), overflow="fold", ratio=1, min_width=12)
    for status in STATUSES:
        table.add_column(
            Text(STATUS_MARK[status], style=STATUS_STYLE[status]),
            Text(str(total.counts[status]), style=STATUS_STYLE[status]),
            justify="right",
            no_wrap=True,
        )
    table.add_column("Σ", str(total.total), justify="right", no_wrap=True)
    table.add_column(vocab.header("completed", lang), bar(total.completed), no_wrap=True)
    table.add_column("%", completed_text(total.completed), justify="right", no_wrap=True)
    for name, row in rows:
        table.add_row(
            text(name),
            *(_count(row.counts[s], s) for s in STATUSES),
            str(row.total),
            bar(row.completed),
            completed_text(row.completed),
        )
    return Group(table, status_legend(lang))
