"""Rich rendering: the only package that builds Rich objects.

User text always enters as `Text` (never markup) after `labels.literal` has made control
characters visible, so a title can neither style nor steer the terminal. This module holds what
every view shares: the console, user text and status cells.

| module | draws |
| --- | --- |
| `items` | the listing table (`list`, and the item tables of `show` and `sync`), counts per country or field |
| `detail` | one item in full (`show`) |
| `followups` | meetings and what followed them (`followups`), the briefing of a meeting or a country (`brief`) |
| `timeline` | items by year (`timeline`) and the lanes per country or field (`timeline --by`) |
| `attention` | what needs attention (`attention`) and what is coming (`upcoming`) |
| `scorecard` | follow-ups tallied by status (`scorecard`) |
| `log` | recorded changes (`log`) |
| `sync` | what `sync` committed, pulled and pushed |
| `progress` | a progress bar for long steps |
| `preview` | what an edit of several items would change (`edit` with filters) |
"""

from __future__ import annotations

from io import StringIO
from typing import TYPE_CHECKING

from rich.console import Console, RenderableType
from rich.text import Text

from stidiplo import vocab
from stidiplo.labels import STATUS_MARK, literal
from stidiplo.model import STATUSES
from stidiplo.views.cells import Styled

if TYPE_CHECKING:
    from stidiplo.activity import Event

STATUS_STYLE = {
    "exploring": "magenta",
    "coordinating": "yellow",
    "scheduled": "cyan",
    "ongoing": "blue",
    "done": "green",
    "dropped": "dim",
}


def text(value: str | None, style: str = "") -> Text:
    """User text as a Rich Text that is displayed, never interpreted."""
    return Text(literal(value or ""), style=style)


def plain(value: str | None) -> str:
    """User text as a table cell of lines (`views.lines`): displayed, never interpreted."""
    return literal(value or "")


class _Console(Console):
    """A Console that draws its usual lines and marks on a stream that substitutes what its encoding lacks.

    Rich draws tables as ASCII grids on any stream whose encoding is not UTF-8; the program's
    streams replace each missing character with a stand-in instead of raising (a cp932 console
    keeps its ─ rules, an ASCII pipe gets -), so the tables keep their layout.
    """

    @property
    def encoding(self) -> str:
        if getattr(self.file, "errors", "strict") not in ("strict", "surrogateescape"):
            return "utf-8"
        return super().encoding


def console(*, stderr: bool = False, color: str = "auto") -> Console:
    """The console every command prints through (COLUMNS pins its width).

    `auto` leaves the choice to Rich, which colours a terminal and honours NO_COLOR and FORCE_COLOR;
    `always` colours even a pipe or a file (basic colours, as every view uses), `never` nowhere.
    """
    chosen: dict[str, object] = {}
    if color == "always":
        chosen = {"force_terminal": True, "color_system": "standard", "no_color": False}
    elif color == "never":
        chosen = {"color_system": None}
    return _Console(stderr=stderr, highlight=False, soft_wrap=False, emoji=False, markup=False, **chosen)  # type: ignore[arg-type]


def plain_text(renderable: RenderableType, width: int) -> str:
    """A view as plain text (no colour), for writing the terminal view to a file."""
    buffer = StringIO()
    out = Console(
        file=buffer, width=width, color_system=None, highlight=False, emoji=False, markup=False, soft_wrap=False
    )
    out.print(renderable)
    return buffer.getvalue()


def status_cell(status: str, lang: str) -> Text:
    """'✓ done' in the status's colour."""
    return status_mark(status, lang).as_text()


_MARKS: dict[tuple[str, str], Styled] = {}


def status_mark(status: str, lang: str) -> Styled:
    """'✓ done' in the status's colour, as a table cell of lines (made once per status and language)."""
    mark = _MARKS.get((status, lang))
    if mark is None:
        label = f"{STATUS_MARK[status]} {vocab.status_label(status, lang)}"
        mark = _MARKS[status, lang] = Styled(label, STATUS_STYLE[status])
    return mark


def status_legend(lang: str) -> Text:
    """Every status mark with its name, in the statuses' colours."""
    legend = Text("  ")
    for status in STATUSES:
        legend.append(f"{STATUS_MARK[status]} {vocab.status_label(status, lang)}  ", style=STATUS_STYLE[status])
    return legend


def change_cell(event: Event, lang: str) -> Text | str:
    """What a recorded change did: the new status, the note's text, or nothing (an edit)."""
    change = change_mark(event, lang)
    return change.as_text() if isinstance(change, Styled) else text(change) if change else ""


def change_mark(event: Event, lang: str) -> Styled | str:
    """What a recorded change did, as a table cell of lines: the new status, the note, or nothing."""
    if event.status is not None:
        return status_mark(event.status, lang)
    note = event.note_in(lang)
    return "" if note is None else literal(note)
