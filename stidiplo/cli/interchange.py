"""Interchange commands: export items for Excel, calendars, documents and scripts; import them back."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stidiplo.cli.context import SESSION, today
from stidiplo.cli.options import (
    Country,
    Field,
    Follows,
    Kind,
    Search,
    Since,
    Status,
    Until,
    build_filter,
    check_format,
)
from stidiplo.cli.output import send_bytes
from stidiplo.errors import StidiploError, UsageError

if TYPE_CHECKING:
    from stidiplo.import_plan import Plan, Problem
    from stidiplo.tracker import Tracker

commands = typer.Typer()
PANEL = "Import and export"
SUFFIX_FORMATS = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".ics": "ics",
    ".md": "md",
    ".markdown": "md",
}
BINARY_FORMATS = ("xlsx",)


def file_format(fmt: str | None, path: str | None, allowed: tuple[str, ...]) -> str | None:
    """--format, else the one the file's suffix names, else None."""
    if fmt is not None:
        return check_format(fmt, allowed)
    if path is None:
        return None
    suffix = Path(path).suffix.lower()
    if suffix == ".xls":
        raise UsageError(f"{path}: the old .xls format is not read; save it as .xlsx (Excel Workbook)")
    if SUFFIX_FORMATS.get(suffix) not in allowed:
        raise UsageError(f"cannot tell the format of {path} from its suffix; give --format ({', '.join(allowed)})")
    return SUFFIX_FORMATS[suffix]


@commands.command(rich_help_panel=PANEL)
def export(
    country: Country = None,
    field: Field = None,
    kind: Kind = None,
    status: Status = None,
    since: Since = None,
    until: Until = None,
    follows: Follows = None,
    search: Search = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help="json, jsonl, csv, xlsx, ics or md (else from the suffix of -o, else json)."
        ),
    ] = None,
    output: Annotated[
        str | None, typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of standard output.")
    ] = None,
    ics_spans: Annotated[
        bool,
        typer.Option(
            "--ics-spans",
            help="In a calendar, also show items dated only to the month or year, as all-day events spanning it.",
        ),
    ] = False,
) -> None:
    """Export items for Excel (csv, xlsx), calendars (ics), documents (md) or scripts (json, jsonl).

    Example: stidiplo export --country sweden -o sweden.xlsx
    """
    import io

    from stidiplo.formats.interchange import EXPORT_FORMATS
    from stidiplo.formats.interchange import export as write_export

    fmt = file_format(fmt, output, EXPORT_FORMATS) or "json"
    if fmt in BINARY_FORMATS and output is None and sys.stdout.isatty():
        raise UsageError(f"{fmt} is a binary format; write it to a file with -o FILE")
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
    buffer = io.BytesIO()
    written = write_export(items, fmt, buffer, lang=SESSION.lang, spans=ics_spans)
    undated = sum(1 for item in items if not item.dated) if fmt == "ics" else 0
    if written < len(items) - undated:
        print(
            f"left out {len(items) - undated - written} item(s) dated only to the month or year "
            "(--ics-spans includes them)",
            file=sys.stderr,
        )
    if undated:
        print(f"left out {undated} undated item(s): a calendar holds only dated ones", file=sys.stderr)
    if send_bytes(buffer.getvalue(), output):
        print(f"wrote {written} item(s) to {output}")


def _report_problems(problems: list[Problem]) -> None:
    """One stderr line per row that cannot be imported: where it is, the field and the reason."""
    from stidiplo.labels import literal

    for problem in problems:
        print(f"stidiplo: {problem.where}: {literal(problem.message)}", file=sys.stderr)


def _show_plan(plan: Plan, tracker: Tracker) -> None:
    """Each step of a dry run on a line (what would happen to which item), an update's fields below it."""
    from stidiplo.changes import field_changes
    from stidiplo.import_plan import SKIP
    from stidiplo.labels import literal
    from stidiplo.rules import LOG_KEYS

    for step in plan.steps:
        item = step.item
        line = f"{step.where}: {step.action:<6} {tracker.short_id(item.id)}  {item.date:<10}  {literal(item.title)}"
        if step.action == SKIP and step.same_as is not None and step.same_as != item.id:
            line += f"  (same as {tracker.short_id(step.same_as)})"
        print(line)
        if step.old is not None:
            for change in field_changes(step.old, item):
                name, before, after = change.field, change.old, change.new
                if isinstance(before, list) and isinstance(after, list) and name in LOG_KEYS:  # logs only grow
                    for entry in (e for e in after if e not in before):
                        print(f"    {name}: + {entry['at']} {literal(_shown(entry.get('text', entry.get('status'))))}")
                else:
                    print(f"    {name}: {literal(_shown(before))} → {literal(_shown(after))}")


def _shown(value: object) -> str:
    """A field's value in a dry run's list of changes, cut short when long."""
    import json

    text = (
        "(none)"
        if value in (None, [], "")
        else value
        if isinstance(value, str)
        else json.dumps(value, ensure_ascii=False)
    )
    return text if len(text) <= 80 else text[:79] + "…"


def _summary(plan: Plan, *, dry_run: bool, skip_invalid: bool) -> str:
    """The one line that ends an import: how many rows were (or would be) added, updated, skipped, left out."""
    from stidiplo.import_plan import ADD, SKIP, UPDATE

    added, updated, unchanged, invalid = plan.count(ADD), plan.count(UPDATE), plan.count(SKIP), len(plan.problems)
    counts = f"add {added}, update {updated}, skip {unchanged} unchanged"
    if dry_run and invalid and not skip_invalid:
        return f"dry run: would write nothing: {invalid} invalid row(s) (fix them, or --skip-invalid would {counts})"
    if dry_run:
        left_out = f", leave out {invalid} invalid" if invalid else ""
        return f"dry run: would {counts}{left_out}; nothing written"
    left_out = f", left out {invalid} invalid" if invalid else ""
    return f"added {added}, updated {updated}, skipped {unchanged} unchanged{left_out}"


@commands.command("import", rich_help_panel=PANEL)
def import_items(
    path: Annotated[
        Path, typer.Argument(help="A json, jsonl, csv or xlsx file, as export writes them.", metavar="FILE")
    ],
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="json, jsonl, csv or xlsx (else from the suffix of FILE).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Show what would be added, updated and skipped; write nothing.")
    ] = False,
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid",
            help="Import the valid rows and leave out the "
            "invalid ones (else nothing is written if any row is invalid).",
        ),
    ] = False,
    merge: Annotated[
        bool,
        typer.Option(
            "--merge",
            help="Merge a row older than its item field by field, as git sharing does: the newer value wins, "
            "the other is kept in a note (else such rows are refused).",
        ),
    ] = False,
    overwrite: Annotated[
        bool,
        typer.Option("--overwrite", help="Let a row older than its item overwrite its fields (notes are kept)."),
    ] = False,
) -> None:
    """Add and update items from a json, jsonl, csv or xlsx file: every row checked, all or nothing.

    Example: stidiplo import sweden.xlsx --dry-run
    """
    from stidiplo.formats.interchange import IMPORT_FORMATS, read_rows
    from stidiplo.import_plan import MERGE, OVERWRITE, REFUSE, apply_plan, plan_import
    from stidiplo.views.progress import progress

    if merge and overwrite:
        raise UsageError("--merge and --overwrite ask for opposite things; give one")
    older = MERGE if merge else OVERWRITE if overwrite else REFUSE

    fmt = file_format(fmt, str(path), IMPORT_FORMATS)
    assert fmt is not None  # a path always names a format, or file_format refuses it
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise UsageError(f"cannot read {path}: {err.strerror}") from None
    try:
        rows = read_rows(raw, fmt)
    except StidiploError as err:
        raise type(err)(f"{path}: {err}") from None
    if dry_run:
        tracker = SESSION.load()
        with progress(len(rows), "checking rows") as advance:
            plan = plan_import(tracker, rows, today(), advance, older=older)
        _report_problems(plan.problems)
        _show_plan(plan, tracker)
        print(_summary(plan, dry_run=True, skip_invalid=skip_invalid))
        if plan.problems and not skip_invalid:
            raise typer.Exit(1)
        return
    with SESSION.transaction() as tracker:
        with progress(len(rows), "checking rows") as advance:
            plan = plan_import(tracker, rows, today(), advance, older=older)
        _report_problems(plan.problems)
        if plan.problems and not skip_invalid:
            raise StidiploError(
                f"{len(plan.problems)} of {len(rows)} row(s) cannot be imported; "
                "nothing was written (fix them, or use --skip-invalid)"
            )
        apply_plan(tracker, plan)
    print(_summary(plan, dry_run=False, skip_invalid=skip_invalid))
