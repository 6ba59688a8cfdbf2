"""The timeline: items in date order by year, or lanes per country or field across the years."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Annotated

import typer

from stidiplo.cli.context import SESSION, today
from stidiplo.cli.options import (
    FOLLOW_UP_PANEL,
    LIST_FORMATS,
    Country,
    Field,
    Follows,
    Kind,
    Output,
    Search,
    Since,
    Status,
    Until,
    build_filter,
    choice,
    document_format,
    say_nothing_matches,
)
from stidiplo.cli.output import emit_document
from stidiplo.errors import UsageError

if TYPE_CHECKING:
    from rich.console import RenderableType

    from stidiplo.model import Item
    from stidiplo.tracker import Tracker

commands = typer.Typer()
TIMELINE_FORMATS = (*LIST_FORMATS, "html", "pdf")
TimelineFormat = Annotated[
    str | None, typer.Option("--format", "-f", help="table, json, csv, md, html (a printable page) or pdf.")
]


@commands.command(rich_help_panel=FOLLOW_UP_PANEL)
def timeline(
    country: Country = None,
    field: Field = None,
    kind: Kind = None,
    status: Status = None,
    since: Since = None,
    until: Until = None,
    follows: Follows = None,
    search: Search = None,
    by: Annotated[str | None, typer.Option("--by", help="One lane per country or field across the years.")] = None,
    fmt: TimelineFormat = None,
    output: Output = None,
) -> None:
    """Items in date order, by year, one line each with a status mark; or lanes per country or field.

    Example: stidiplo timeline --by country --since 2016 -o timeline.html
    """

    fmt = document_format(fmt, output, TIMELINE_FORMATS)
    if by is not None:
        by = choice(by, ("country", "field"), "lane")
        if fmt not in ("table", "html"):
            raise UsageError("--by draws lanes: use --format table or html")
    tracker = SESSION.load()
    flt = build_filter(
        tracker,
        country=country,
        field=field,
        kind=kind,
        status=status,
        since=since,
        until=until,
        follows=follows,
        search=search,
    )
    items = tracker.select(flt)
    if not items:
        say_nothing_matches()
        if fmt == "table" and output is None:
            return
    if by is not None:
        _emit_lanes(items, by, tracker, fmt, output)
    else:
        _emit_timeline(items, fmt, output)


def _emit_timeline(items: list[Item], fmt: str, output: str | None) -> None:
    """The timeline by year, on the terminal or as a page, a listing, JSON records or a PDF."""
    lang = SESSION.lang

    def view() -> RenderableType:
        from stidiplo.views.timeline import timeline_view

        return timeline_view(items, lang)

    def page(out: IO[str]) -> None:
        from stidiplo.formats.html import write_timeline_html

        write_timeline_html(items, lang, today(), out)

    def listing(out: IO[str]) -> None:
        from stidiplo.formats.markdown import write_md
        from stidiplo.formats.table import write_csv

        (write_csv if fmt == "csv" else write_md)(items, out)

    def objects(out: IO[str]) -> None:
        from stidiplo.formats.jsonfmt import write_value_text

        write_value_text([item.to_json() for item in items], out)

    def printed() -> bytes:
        from stidiplo.formats.pdf import timeline_pdf

        return timeline_pdf(items, lang, today())

    emit_document(fmt, output, view, {"html": page, "csv": listing, "md": listing, "json": objects}, {"pdf": printed})


def _emit_lanes(items: list[Item], by: str, tracker: Tracker, fmt: str, output: str | None) -> None:
    """The timeline as one lane per country or field across the years, on the terminal or as a page."""
    from stidiplo.labels import group_name
    from stidiplo.tally import lanes

    lang = SESSION.lang
    years, built = lanes(items, by)
    named = [(group_name(lane.key, by, tracker, lang), lane) for lane in built]

    def lanes_view() -> RenderableType:
        from stidiplo.views.timeline import LanesView

        return LanesView(years, named, lang)

    def lanes_page(out: IO[str]) -> None:
        from stidiplo.formats.html import write_lanes_html

        write_lanes_html(years, named, by, lang, today(), out)

    emit_document(fmt, output, lanes_view, {"html": lanes_page})
