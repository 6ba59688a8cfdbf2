"""Briefings: what followed each meeting, what needs attention, the scorecard, what is coming, the log."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Annotated

import typer

from stidiplo.cli.context import SESSION, chosen_stale_months, today
from stidiplo.cli.options import (
    FOLLOW_UP_PANEL,
    Country,
    Field,
    Format,
    Kind,
    Output,
    Search,
    Since,
    Status,
    Until,
    build_filter,
    check_format,
    choice,
    document_format,
    read_date,
    say_nothing_matches,
)
from stidiplo.cli.output import emit_document, emit_items, print_renderable, write_bytes
from stidiplo.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import RenderableType

    from stidiplo.followups import Briefing, CountryBriefing

commands = typer.Typer()
PANEL = FOLLOW_UP_PANEL
MAX_MONTHS = 1200
"""The longest span --months and --stale-months take: a hundred years."""
DOCUMENT_FORMATS = ("table", "json", "md", "html", "pptx", "docx", "pdf")


@commands.command(rich_help_panel=PANEL)
def brief(
    meeting_id: Annotated[str | None, typer.Argument(help="The meeting (id or prefix).", metavar="MEETING_ID")] = None,
    country: Annotated[
        str | None, typer.Option("--country", "-c", help="Brief every meeting with this country, newest first.")
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="table (terminal), json, md, html, pptx, docx or pdf.")
    ] = None,
    output: Output = None,
    history: Annotated[
        bool, typer.Option("--history/--no-history", help="List each follow-up's status changes and notes beneath it.")
    ] = True,
) -> None:
    """The status after a meeting: its follow-ups by field, what is pending and what is overdue.

    Example: stidiplo brief --country EU --format html -o eu-briefing.html
    """
    from stidiplo import followups as briefing
    from stidiplo import vocab
    from stidiplo.formats import html, jsonfmt, markdown, records
    from stidiplo.views import followups as views

    if (meeting_id is None) == (country is None):
        raise UsageError("give a meeting id or --country (one of them)")
    fmt = document_format(fmt, output, DOCUMENT_FORMATS)
    tracker = SESSION.load()
    lang = SESSION.lang
    if meeting_id is not None:
        one = briefing.brief(tracker, tracker.resolve(meeting_id), today(), history=history)
        emit_document(
            fmt,
            output,
            lambda: views.briefing_view(one, tracker, lang),
            {
                "json": lambda out: jsonfmt.write_value_text(records.briefing_record(one), out),
                "md": lambda out: markdown.write_briefing_md(one, lang, out),
                "html": lambda out: html.write_briefing_html(one, lang, out),
            },
            document_files(one, lang),
        )
        return
    assert country is not None  # one of the two was given, checked above
    report = briefing.brief_country(tracker, vocab.resolve_country(country), today(), history=history)
    if not report.briefings and not report.others:
        say_nothing_matches()
        if fmt == "table" and output is None:
            return
    emit_document(
        fmt,
        output,
        lambda: views.country_briefing_view(report, tracker, lang),
        {
            "json": lambda out: jsonfmt.write_value_text(records.country_briefing_record(report), out),
            "md": lambda out: markdown.write_country_briefing_md(report, lang, out),
            "html": lambda out: html.write_country_briefing_html(report, lang, out),
        },
        document_files(report, lang),
    )


def document_files(report: Briefing | CountryBriefing, lang: str) -> dict[str, Callable[[], bytes]]:
    """The briefing as slides, a Word document and a PDF, each module loaded only when asked for."""

    def pptx() -> bytes:
        from stidiplo.formats.slides import deck

        return deck(report, lang)

    def docx() -> bytes:
        from stidiplo.formats.word import document

        return document(report, lang)

    def pdf() -> bytes:
        from stidiplo.formats.pdf import briefing_pdf

        return briefing_pdf(report, lang)

    return {"pptx": pptx, "docx": docx, "pdf": pdf}


@commands.command(rich_help_panel=PANEL)
def attention(
    country: Country = None,
    field: Field = None,
    kind: Kind = None,
    stale_months: Annotated[
        int | None,
        typer.Option(
            "--stale-months",
            min=1,
            max=MAX_MONTHS,
            help="Months without a status change or note that make exploring or coordinating stale "
            "(else the settings file's stale_months, else 6).",
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """What needs attention: overdue, stale, meetings without follow-up, joint calls past their support.

    Example: stidiplo attention --country US --stale-months 3
    """
    from stidiplo.attention import findings

    fmt = check_format(fmt, ("table", "json"))
    tracker = SESSION.load()
    flt = build_filter(tracker, country=country, field=field, kind=kind)
    found = findings(tracker, flt, today(), chosen_stale_months(stale_months))
    if not found:
        from stidiplo import vocab
        from stidiplo.dates import from_date

        none = vocab.header("attention_none", SESSION.lang).format(date=from_date(today()).format(SESSION.lang))
        say_nothing_matches(none.rstrip(".。"))
        if fmt == "table":
            return
    if fmt == "json":
        from stidiplo.formats.jsonfmt import write_value
        from stidiplo.formats.records import finding_records

        write_bytes(write_value, finding_records(found, today()))
        return
    from stidiplo.views.attention import attention_view

    print_renderable(attention_view(found, tracker, SESSION.lang, today()))


@commands.command(rich_help_panel=PANEL)
def scorecard(
    by: Annotated[str, typer.Option("--by", help="meeting, country, field or year.")] = "meeting",
    country: Country = None,
    field: Field = None,
    kind: Kind = None,
    since: Since = None,
    until: Until = None,
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="table, md, json, csv or xlsx (with a chart).")
    ] = None,
    output: Output = None,
) -> None:
    """Follow-ups tallied by status, with the share completed: done / (all − dropped).

    The options choose the follow-ups scored; by country, field and year each is counted under its own.

    Example: stidiplo scorecard --by country -o scorecard.md
    """
    from stidiplo.labels import group_name
    from stidiplo.query import select
    from stidiplo.tally import GROUPINGS
    from stidiplo.tally import scorecard as score

    by = choice(by, GROUPINGS, "grouping")
    fmt = document_format(fmt, output, ("table", "md", "json", "csv", "xlsx"))
    tracker = SESSION.load()
    flt = build_filter(tracker, country=country, field=field, kind=kind, since=since, until=until)
    followups = select((i for i in tracker.candidates(flt) if any(m in tracker.items for m in i.follows)), flt)
    tallies, total = score(tracker, followups, by)
    rows = [(group_name(t.key, by, tracker, SESSION.lang), t) for t in tallies]

    def view() -> RenderableType:
        from stidiplo.views.scorecard import scorecard_table

        return scorecard_table(rows, total, by, SESSION.lang)

    def records(out: IO[str]) -> None:
        from stidiplo.formats.jsonfmt import write_value_text
        from stidiplo.formats.records import scorecard_records

        def label(key: str, lang: str) -> str:
            return group_name(key, by, tracker, lang)

        write_value_text(scorecard_records(tallies, total, by, label), out)

    def table(out: IO[str]) -> None:
        from stidiplo.formats.markdown import write_md_rows
        from stidiplo.formats.records import scorecard_rows
        from stidiplo.formats.table import write_csv_rows

        header, cells = scorecard_rows(rows, total, SESSION.lang)
        (write_csv_rows if fmt == "csv" else write_md_rows)(header, cells, out)

    def workbook() -> bytes:
        from stidiplo.formats.chart import scorecard_workbook

        return scorecard_workbook(rows, total, by, SESSION.lang)

    emit_document(fmt, output, view, {"json": records, "csv": table, "md": table}, {"xlsx": workbook})


@commands.command(rich_help_panel=PANEL)
def upcoming(
    months: Annotated[
        int, typer.Option("--months", "-m", min=1, max=MAX_MONTHS, help="How many months ahead to look.")
    ] = 3,
    country: Country = None,
    field: Field = None,
    kind: Kind = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, csv or md.")] = "table",
) -> None:
    """Scheduled items in the coming months, soonest first.

    Example: stidiplo upcoming --months 6 --country UK
    """
    from stidiplo.attention import upcoming as coming

    fmt = check_format(fmt)
    tracker = SESSION.load()
    flt = build_filter(tracker, country=country, field=field, kind=kind)
    items = coming(tracker.candidates(flt), flt, today(), months)
    if not items:
        from stidiplo import vocab

        say_nothing_matches(vocab.header("upcoming_none", SESSION.lang).format(months=months).rstrip(".。"))
        if fmt == "table":
            return
    if fmt != "table":
        emit_items(items, tracker, fmt)
        return
    from stidiplo.views.attention import upcoming_table

    print_renderable(upcoming_table(items, tracker, SESSION.lang, today(), months))


@commands.command("log", rich_help_panel=PANEL)
def log_command(
    since: Since = None,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="Show at most this many.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Every recorded change, newest first: items added, status changed, noted, edited.

    Example: stidiplo log --since 2019-04 --limit 20
    """
    from stidiplo.activity import log

    fmt = check_format(fmt, ("table", "json"))
    tracker = SESSION.load()
    events = log(tracker.all(), read_date(since) if since else None, limit)
    if fmt == "json":
        from stidiplo.formats.jsonfmt import write_value
        from stidiplo.formats.records import event_records

        write_bytes(write_value, event_records(events))
        return
    from stidiplo.views.log import log_table

    print_renderable(log_table(events, tracker, SESSION.lang))


@commands.command(rich_help_panel=PANEL)
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
    if not report:
        say_nothing_matches()
        if fmt == "table":
            return
    if fmt == "json":
        from stidiplo.formats.jsonfmt import write_value

        write_bytes(write_value, [{"meeting": m.to_json(), "followups": [f.to_json() for f in fs]} for m, fs in report])
    elif fmt in ("csv", "md"):
        emit_items([i for m, fs in report for i in (m, *fs)], tracker, fmt)
    else:
        from stidiplo.views.followups import followups_view

        print_renderable(followups_view(report, tracker, SESSION.lang, today()))
