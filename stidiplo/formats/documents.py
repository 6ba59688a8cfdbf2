"""What the office documents (slides, Word, PDF, the scorecard's chart) share.

Each writer imports its library only when its format is asked for; when the library is missing,
`missing` makes the one line that says what to install. The words and colours come from the
briefing formats, so a slide, a page and the HTML name a status alike.
"""

from __future__ import annotations

from collections.abc import Iterable

from stidiplo import vocab
from stidiplo.errors import StidiploError
from stidiplo.formats.html import COLOURS
from stidiplo.labels import STATUS_MARK
from stidiplo.labels import literal as printable
from stidiplo.model import Item

EXTRA = "documents"
OVERDUE_COLOUR = "#c62828"


def missing(suffix: str, package: str) -> StidiploError:
    """The error a document writer raises when its library is not installed."""
    return StidiploError(f"writing {suffix} needs {package}: pip install 'stidiplo[{EXTRA}]'")


def rgb(status: str) -> str:
    """A status's colour as six hex digits, as office formats write it."""
    return COLOURS[status].lstrip("#")


def clean(text: str) -> str:
    """User text for a document: control characters shown as escapes, runs of blank space as one."""
    return " ".join(printable(text).split())


def status_tag(item: Item, overdue: Iterable[Item], lang: str) -> str:
    """The status as a reader sees it beside a follow-up; an overdue one says so."""
    label = vocab.status_label(item.status, lang)
    if any(item is late for late in overdue):
        return (
            f"{label}・{vocab.header('overdue', lang)}" if lang == "ja" else f"{label}, {vocab.header('overdue', lang)}"
        )
    return label


def counted(label: str, count: int, lang: str) -> str:
    """A label and a count, as a summary line writes them: "Overdue: 0", "期限超過：0"."""
    return f"{vocab.header(label, lang)}{'：' if lang == 'ja' else ': '}{count}"


def unmarked(change: str) -> str:
    """A history entry without the status mark it starts with (✓ 済 → 済), for fonts that lack the marks."""
    mark, _, rest = change.partition(" ")
    return rest if mark in STATUS_MARK.values() and rest else change
