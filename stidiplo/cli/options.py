"""Options shared by several commands, and turning their values into domain values (a Filter, a date)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stidiplo.cli.context import today
from stidiplo.errors import UsageError

if TYPE_CHECKING:
    from stidiplo.dates import PartialDate
    from stidiplo.query import Filter
    from stidiplo.tracker import Tracker

LIST_FORMATS = ("table", "json", "csv", "md")
VOCABULARIES = ("kind", "status", "field", "country")
"""The vocabularies whose words options accept (`stidiplo values VOCABULARY` lists them)."""
DOCUMENT_SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".csv": "csv",
    ".json": "json",
    ".txt": "table",
    "": "table",
    ".pptx": "pptx",
    ".docx": "docx",
    ".pdf": "pdf",
    ".xlsx": "xlsx",
}

Id = Annotated[str, typer.Argument(help="Item id or any unambiguous prefix of it.", metavar="ID")]
FOLLOW_UP_PANEL = "Follow-up intelligence"
"""The help panel of the commands that answer what followed a meeting."""

Country = Annotated[
    list[str] | None,
    typer.Option(
        "--country",
        "-c",
        help="Country or bloc: code, English or Japanese name (repeatable; stidiplo values country).",
    ),
]
Field = Annotated[
    list[str] | None,
    typer.Option(
        "--field",
        help="Field, e.g. quantum, arctic, 量子技術 (repeatable; stidiplo values field).",
    ),
]
Kind = Annotated[
    list[str] | None,
    typer.Option(
        "--kind",
        "-k",
        help="meeting, agreement, joint-call, event, visit, office, program, or as shown: 訪問 (repeatable).",
    ),
]
Status = Annotated[
    list[str] | None,
    typer.Option(
        "--status",
        "-s",
        help="exploring, coordinating, scheduled, ongoing, done, dropped, or as shown: 済 (repeatable).",
    ),
]
Since = Annotated[
    str | None,
    typer.Option(
        "--since",
        help="From this date: 2018, 2018-01, 2018年1月, FY2018, '6 months ago'. Leaves out undated items.",
    ),
]
Until = Annotated[
    str | None,
    typer.Option("--until", help="Up to this date (a year includes its 31 December). Leaves out undated items."),
]
Follows = Annotated[str | None, typer.Option("--follows", help="Only follow-ups of this meeting (id or prefix).")]
Search = Annotated[
    str | None,
    typer.Option("--search", "-q", help="Text in title, notes, organisations, people, place (Japanese too)."),
]
Format = Annotated[str, typer.Option("--format", "-f", help="table, json, csv or md.")]
Output = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write to FILE instead of the terminal; its suffix (.html, .md) sets the format unless --format does.",
    ),
]


def choice(value: str, allowed: Sequence[str], what: str) -> str:
    """`value` if it is one of `allowed` (case-insensitive), else a usage error that lists them."""
    key = value.strip().lower()
    if key in allowed:
        return key
    import difflib

    near = difflib.get_close_matches(key, allowed, n=1)
    hint = f" (did you mean {near[0]}?)" if near else ""
    raise UsageError(f"unknown {what} {value!r}{hint}; use one of: {', '.join(allowed)}")


def build_filter(
    tracker: Tracker,
    *,
    country: Sequence[str] | None = None,
    field: Sequence[str] | None = None,
    kind: Sequence[str] | None = None,
    status: Sequence[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    follows: str | None = None,
    search: str | None = None,
) -> Filter:
    """Turn the listing options into a Filter, refusing any value it cannot read."""
    from stidiplo import vocab
    from stidiplo.query import Filter

    return Filter(
        countries=frozenset(vocab.resolve_country(c) for c in country or ()),
        fields=frozenset(vocab.resolve_field(f) for f in field or ()),
        kinds=frozenset(vocab.resolve_kind(k) for k in kind or ()),
        statuses=frozenset(vocab.resolve_status(s) for s in status or ()),
        since=read_date(since) if since else None,
        until=read_date(until) if until else None,
        follows=tracker.resolve(follows).id if follows else None,
        search=search or None,
    )


NOT_CHOOSING = frozenset({"fmt", "output", "sort", "reverse", "limit", "history", "by", "stale_months", "months"})
"""Options that shape or place the output rather than choose the items."""


def say_nothing_matches(lead: str = "no items match") -> None:
    """One line on stderr for a view left empty, naming the options that chose nothing:
    `no items match: --country KP --since 2030`. The view prints nothing more; the exit code stays 0."""
    import sys

    print(f"{lead}: {given_options()}" if given_options() else lead, file=sys.stderr)


def given_options() -> str:
    """The choosing options of the running command as the user gave them (`--country KP --since 2030`)."""
    import shlex

    from typer._click.globals import get_current_context

    from stidiplo.labels import literal

    ctx = get_current_context(silent=True)
    if ctx is None:
        return ""
    words = []
    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        if param.name in NOT_CHOOSING or not param.opts[0].startswith("-") or value in (None, (), [], param.default):
            continue
        for one in value if isinstance(value, list | tuple) else [value]:
            words.append(f"{param.opts[0]} {shlex.quote(literal(str(one)))}")
    return " ".join(words)


def read_date(text: str) -> PartialDate:
    """A date as the user may write it (ISO, Japanese, fiscal year, '6 months ago')."""
    from stidiplo.dateparse import parse_date

    return parse_date(text, today=today())


def check_format(value: str, allowed: Sequence[str] = LIST_FORMATS) -> str:
    """`value` if it names one of the `allowed` output formats, else a usage error."""
    return choice(value, allowed, "format")


def document_format(fmt: str | None, output: str | None, allowed: Sequence[str]) -> str:
    """--format, else the one -o's suffix implies, else the terminal view."""
    if fmt is not None:
        return check_format(fmt, allowed)
    if output is None:
        return "table"
    suffix = Path(output).suffix.lower()
    implied = DOCUMENT_SUFFIXES.get(suffix)
    if implied is None or implied not in allowed:
        known = ", ".join(dict.fromkeys(s for s, f in DOCUMENT_SUFFIXES.items() if f in allowed and s))
        raise UsageError(f"cannot write {suffix or 'that'} files here; -o takes {known} (or --format)")
    return implied
