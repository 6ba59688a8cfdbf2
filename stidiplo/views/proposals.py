"""Tables and detail views of proposals read from documents (`stidiplo extract`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from stidiplo import vocab
from stidiplo.dates import format_span
from stidiplo.labels import country_names, joined
from stidiplo.views import STATUS_MARK, STATUS_STYLE, text

if TYPE_CHECKING:
    from stidiplo.extract.guessing import Guess
    from stidiplo.extract.proposals import Proposal

COUNTRIES_WIDTH = 12
CONFIDENCE_MARK = {"high": "●", "medium": "◐", "low": "○"}
CONFIDENCE_STYLE = {"high": "green", "medium": "yellow", "low": "red"}
CHECKED = ("when", "kind", "status", "countries", "title")
"""The guesses the table's Sure column shows, in its order: date, kind, status, countries, title."""


def _sure(proposal: Proposal) -> Text:
    marks = Text()
    for name in CHECKED:
        guess: Guess = getattr(proposal, name)
        marks.append(CONFIDENCE_MARK[guess.confidence], style=CONFIDENCE_STYLE[guess.confidence])
    return marks


def _title(proposal: Proposal, short: dict[str, str]) -> Text:
    title = text(proposal.title.value)
    if proposal.duplicate_of is not None:
        title.append(f"  = {short.get(proposal.duplicate_of, proposal.duplicate_of[:6])} in the tracker", style="dim")
    return title


def proposals_table(proposals: Sequence[Proposal], short: dict[str, str], lang: str) -> Table:
    """One row per proposal; `short` gives tracker items' short ids, for those the tracker already holds.

    Countries show as codes and the source as its line, so the title keeps room at 80 columns.
    """
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold", collapse_padding=True)
    table.add_column("#", style="dim", no_wrap=True)
    for name in ("date", "kind"):
        table.add_column(vocab.header(name, lang), no_wrap=True)
    table.add_column("", no_wrap=True)  # the status, as its mark
    table.add_column(vocab.header("countries", lang), max_width=COUNTRIES_WIDTH, overflow="fold")
    table.add_column(vocab.header("sure", lang), no_wrap=True)
    table.add_column(vocab.header("line", lang), style="dim", no_wrap=True)
    table.add_column(vocab.header("title", lang), overflow="fold")
    for number, proposal in enumerate(proposals, 1):
        status = proposal.status.value
        table.add_row(
            str(number),
            format_span(proposal.date, proposal.end, lang),
            vocab.kind_label(proposal.kind.value, lang),
            Text(STATUS_MARK[status], style=STATUS_STYLE[status]),
            text(" ".join(proposal.countries.value)),
            _sure(proposal),
            text(proposal.source.rsplit(", ", 1)[-1].removeprefix("line ")),
            _title(proposal, short),
        )
    return table


def proposal_detail(proposal: Proposal, number: int, lang: str) -> RenderableType:
    """Every guess of one proposal with its confidence and reason, then the sentence it was read from."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    rows: list[tuple[str, Guess, str]] = [
        ("date", proposal.when, format_span(proposal.date, proposal.end, lang)),
        ("kind", proposal.kind, vocab.kind_label(proposal.kind.value, lang)),
        ("status", proposal.status, vocab.status_label(proposal.status.value, lang)),
        ("countries", proposal.countries, country_names(proposal.countries.value, lang)),
        ("fields", proposal.fields, joined([vocab.field_name(f, lang) for f in proposal.fields.value], lang)),
        ("title", proposal.title, proposal.title.value),
    ]
    if proposal.follows is not None:
        rows.append(("follows", proposal.follows, proposal.follows.value[:6]))
    for key, guess, shown in rows:
        label = vocab.header(key, lang)
        mark = Text(CONFIDENCE_MARK[guess.confidence], style=CONFIDENCE_STYLE[guess.confidence])
        grid.add_row(label, mark, text(shown).append(f"  ({guess.reason})", style="dim"))
    heading = Text(f"{vocab.header('proposal', lang)} {number}", style="bold")
    source = text(f"{proposal.source}: {proposal.quote}", style="dim")
    return Group(heading, grid, source)


def legend(lang: str) -> Text:
    """What the status marks and the Sure column's marks mean."""
    marks = Text()
    for status, mark in STATUS_MARK.items():
        marks.append(mark, style=STATUS_STYLE[status]).append(f" {vocab.status_label(status, lang)}  ")
    marks.append("\nSure: date, kind, status, countries, title — ")
    for level in ("high", "medium", "low"):
        marks.append(CONFIDENCE_MARK[level], style=CONFIDENCE_STYLE[level]).append(f" {level}  ")
    return marks
