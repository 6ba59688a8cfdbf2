"""Views across meetings: what followed each one, and the timeline."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from stidiplo.cli import (
    LIST_FORMATS,
    SESSION,
    Country,
    Field,
    Follows,
    Format,
    Kind,
    Search,
    Since,
    Status,
    Until,
    app,
    build_filter,
    check_format,
    choice,
    emit_items,
    print_renderable,
    today,
    write_bytes,
)
from stidiplo.errors import UsageError

if TYPE_CHECKING:
    from stidiplo.model import Item
    from stidiplo.tracker import Tracker

TimelineFormat = Annotated[str, typer.Option("--format", "-f", help="table, json, csv, md or html (a printable page).")]


@app.command()
def followups(
    country: Country = None,
    field: Field = None,
    status: Status = None,
    since: Since = None,
    until: Until = None,
    search: Search = None,
    fmt: Format = "table",
) -> None:
    """Each meeting and what followed it, by field, with a tally per meeting.

    --since and --until choose the follow-ups shown; a meeting appears when it or one of its
    follow-ups falls in that period. --country and --search choose meetings; --field and
    --status choose follow-ups.

    Example: stidiplo followups --since 2018-01 --country EU
    """
    from stidiplo.meetings import followups_by_meeting

    fmt = check_format(fmt)
    tracker = SESSION.load()
    meeting_filter = build_filter(tracker, country=country, search=search)
    followup_filter = build_filter(tracker, field=field, status=status, since=since, until=until)
    report = followups_by_meeting(tracker, meeting_filter, followup_filter)
    if fmt == "json":
        from stidiplo.formats.jsonfmt import write_value

        write_bytes(write_value, [
            {"meeting": m.to_json(), "followups": [f.to_json() for f in fs]} for m, fs in report
        ])
    elif fmt in ("csv", "md"):
        emit_items([i for m, fs in report for i in (m, *fs)], tracker, fmt)
    else:
        from stidiplo.views.items import followups_view

        print_renderable(followups_view(report, tracker, SESSION.lang, today()))


@app.command()
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
    fmt: TimelineFormat = "table",
) -> None:
    """Items in date order, by year, one line each with a status mark; or lanes per country or field.

    Example: stidiplo timeline --by country --since 2016
    """
    from stidiplo.query import select

    fmt = check_format(fmt, (*LIST_FORMATS, "html"))
    if by is not None:
        by = choice(by, ("country", "field"), "lane")
        if fmt not in ("table", "html"):
            raise UsageError("--by draws lanes: use --format table or html")
    tracker = SESSION.load()
    flt = build_filter(tracker, country=country, field=field, kind=kind, status=status, since=since,
                       until=until, follows=follows, search=search)
    items = select(tracker.candidates(flt), flt)
    if by is not None:
        _lanes(items, by, fmt, tracker)
    elif fmt == "html":
        from stidiplo.formats.briefing import write_timeline_html

        write_timeline_html(items, SESSION.lang, today(), sys.stdout)
    elif fmt != "table":
        emit_items(items, tracker, fmt)
    else:
        from stidiplo.views.items import timeline_view

        print_renderable(timeline_view(items, SESSION.lang))


def _lanes(items: list[Item], by: str, fmt: str, tracker: Tracker) -> None:
    """The lanes of `items` per country or field, in the terminal or as a page."""
    from stidiplo.tally import group_name, lanes

    years, built = lanes(items, by)
    named = [(group_name(lane.key, by, tracker, SESSION.lang), lane) for lane in built]
    if fmt == "html":
        from stidiplo.formats.briefing import write_lanes_html

        write_lanes_html(years, named, by, SESSION.lang, today(), sys.stdout)
        return
    from stidiplo.views.briefing import LanesView

    print_renderable(LanesView(years, named, SESSION.lang))


def _counts(kind: str, fmt: str) -> None:
    from collections import Counter

    from stidiplo import vocab

    fmt = check_format(fmt)
    tracker = SESSION.load()
    counter: Counter[str] = Counter(v for item in tracker.all() for v in getattr(item, kind))
    name = vocab.country_name if kind == "countries" else vocab.field_name
    rows = [(code, name(code, SESSION.lang), n) for code, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]
    if fmt == "json":
        from stidiplo.formats.jsonfmt import write_value

        write_bytes(write_value, [
            {"code": c, "name_en": name(c, "en"), "name_ja": name(c, "ja"), "count": n} for c, _, n in rows
        ])
    elif fmt in ("csv", "md"):
        import sys

        from stidiplo.formats.table import write_csv_rows, write_md_rows

        writer = write_csv_rows if fmt == "csv" else write_md_rows
        writer(("code", "name", "count"), [(c, nm, str(n)) for c, nm, n in rows], sys.stdout)
    else:
        from stidiplo.views.items import counts_table

        print_renderable(counts_table(rows, SESSION.lang))


@app.command()
def countries(fmt: Format = "table") -> None:
    """Countries and blocs in use, with how many items each has.

    Example: stidiplo countries --lang ja
    """
    _counts("countries", fmt)


@app.command()
def fields(fmt: Format = "table") -> None:
    """Fields in use, with how many items each has.

    Example: stidiplo fields --format json
    """
    _counts("fields", fmt)


