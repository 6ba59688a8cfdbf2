"""Views across meetings: what followed each one, and the timeline."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Annotated

import typer

from stidiplo.cli import (
    LIST_FORMATS,
    SESSION,
    Country,
    Field,
    Follows,
    Format,
    Kind,
    Output,
    Search,
    Since,
    Status,
    Until,
    app,
    build_filter,
    check_format,
    choice,
    document_format,
    emit_document,
    emit_items,
    print_renderable,
    today,
    write_bytes,
)
from stidiplo.errors import UsageError

if TYPE_CHECKING:
    from rich.console import RenderableType

TIMELINE_FORMATS = (*LIST_FORMATS, "html", "pdf")
TimelineFormat = Annotated[
    str | None, typer.Option("--format", "-f", help="table, json, csv, md, html (a printable page) or pdf.")
]


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
    from stidiplo.followups import followups_by_meeting

    fmt = check_format(fmt)
    tracker = SESSION.load()
    meeting_filter = build_filter(tracker, country=country, search=search)
    followup_filter = build_filter(tracker, field=field, status=status, since=since, until=until)
    report = followups_by_meeting(tracker, meeting_filter, followup_filter)
    if fmt == "json":
        from stidiplo.formats.jsonfmt import write_value

        write_bytes(write_value, [{"meeting": m.to_json(), "followups": [f.to_json() for f in fs]} for m, fs in report])
    elif fmt in ("csv", "md"):
        emit_items([i for m, fs in report for i in (m, *fs)], tracker, fmt)
    else:
        from stidiplo.views.followups import followups_view

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
    fmt: TimelineFormat = None,
    output: Output = None,
) -> None:
    """Items in date order, by year, one line each with a status mark; or lanes per country or field.

    Example: stidiplo timeline --by country --since 2016 -o timeline.html
    """
    from stidiplo.query import select

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
    items = select(tracker.candidates(flt), flt)
    lang = SESSION.lang
    if by is not None:
        from stidiplo.tally import group_name, lanes

        years, built = lanes(items, by)
        named = [(group_name(lane.key, by, tracker, lang), lane) for lane in built]

        def lanes_view() -> RenderableType:
            from stidiplo.views.timeline import LanesView

            return LanesView(years, named, lang)

        def lanes_page(out: IO[str]) -> None:
            from stidiplo.formats.html import write_lanes_html

            write_lanes_html(years, named, by, lang, today(), out)

        emit_document(fmt, output, lanes_view, {"html": lanes_page})
        return

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
        from stidiplo.formats.jsonfmt import dumps

        out.write(dumps([item.to_json() for item in items]).decode("utf-8"))

    def printed() -> bytes:
        from stidiplo.formats.pdf import timeline_pdf

        return timeline_pdf(items, lang, today())

    emit_document(fmt, output, view, {"html": page, "csv": listing, "md": listing, "json": objects}, {"pdf": printed})


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

        write_bytes(
            write_value,
            [{"code": c, "name_en": name(c, "en"), "name_ja": name(c, "ja"), "count": n} for c, _, n in rows],
        )
    elif fmt in ("csv", "md"):
        import sys

        from stidiplo.formats.markdown import write_md_rows
        from stidiplo.formats.table import write_csv_rows

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
