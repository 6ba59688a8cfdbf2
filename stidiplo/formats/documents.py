"""What the office documents (slides, Word, PDF, the scorecard's chart) share.

Each writer imports its library only when its format is asked for; when the library is missing,
`missing` makes the one line that says what to install. The words come from `labels` and the
colours from the HTML, so a slide, a page and the HTML name and colour a status alike; the
typefaces and language tags here make Word and PowerPoint set Japanese in a Japanese face.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from stidiplo import vocab
from stidiplo.errors import DOCUMENTS_EXTRA, StidiploError
from stidiplo.formats.html import COLOURS, OVERDUE_COLOUR
from stidiplo.labels import literal as printable
from stidiplo.model import Item

EAST_ASIAN_FONT = "Meiryo"
"""The East Asian typeface slides and Word documents name; LibreOffice resolves it to an installed Japanese font."""
LATIN_FONTS = {"ja": "Meiryo", "en": "Calibri"}
GREY = "666666"
"""Secondary text in slides and Word documents: counts, history, the as-of date."""


def missing(suffix: str, package: str) -> StidiploError:
    """The error a document writer raises when its library is not installed."""
    return StidiploError(f"writing {suffix} needs {package}: {DOCUMENTS_EXTRA}")


def rgb(colour: str) -> str:
    """A colour ("#rrggbb") as six hex digits, as office formats write it."""
    return colour.lstrip("#")


def status_colour(item: Item, overdue: Sequence[Item]) -> str:
    """The colour a follow-up's status is written in: the overdue colour when it is overdue, else its status's."""
    return OVERDUE_COLOUR if item in overdue else COLOURS[item.status]


def language_tag(lang: str) -> str:
    """The language a document's text is marked with, so spelling and fonts follow it."""
    return "ja-JP" if lang == "ja" else "en-GB"


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
