"""`stidiplo extract`: draft items from the documents an office already has, for a person to review."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from stidiplo.cli.context import SESSION, interactive, today
from stidiplo.cli.options import check_format
from stidiplo.cli.output import print_renderable, send_bytes
from stidiplo.errors import StidiploError, UsageError

if TYPE_CHECKING:
    from stidiplo.extract.proposals import Proposal
    from stidiplo.tracker import Tracker

PANEL = "Import and export"
FORMATS = ("table", "json", "csv")
EDITED = ("title", "date", "kind", "status", "countries", "fields")
"""What an edit asks for, each prefilled with the proposal's guess."""


commands = typer.Typer()


@commands.command(rich_help_panel=PANEL)
def extract(
    paths: Annotated[
        list[Path], typer.Argument(help="Text, Markdown, Word (.docx) or PDF documents.", metavar="FILE...")
    ],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table (to review), or json or csv for `stidiplo import`.")
    ] = "table",
    output: Annotated[
        str | None, typer.Option("--output", "-o", metavar="FILE", help="Write json or csv to FILE.")
    ] = None,
    review: Annotated[
        bool,
        typer.Option(
            "--interactive", "-i", help="Accept, edit or skip each proposal at the terminal, then store them."
        ),
    ] = False,
    why: Annotated[bool, typer.Option("--why", help="Show every guess with its confidence and reason.")] = False,
) -> None:
    """Propose draft items from documents: one per dated meeting, signing, call, event, visit or opening.

    Nothing is stored unless --interactive is given and proposals are accepted. Proposals the
    tracker already holds are marked, and left out of json and csv.

    Example: stidiplo extract briefing.docx --format csv -o drafts.csv
    """
    from stidiplo.extract import extract as propose

    fmt = check_format(fmt, FORMATS)
    if review and not interactive():
        raise UsageError("--interactive needs a terminal; use --format csv and `stidiplo import` in a script")
    tracker = SESSION.load()
    proposals = propose(paths, tracker.all(), today())
    if not proposals:
        raise StidiploError(f"no dated happenings found in {', '.join(map(str, paths))}")
    if review:
        _review(proposals, tracker)
    elif fmt == "table":
        _show(proposals, tracker, why)
    else:
        _write(proposals, tracker, fmt, output)


def _show(proposals: list[Proposal], tracker: Tracker, why: bool) -> None:
    from stidiplo.views.proposals import legend, proposal_detail, proposals_table

    short = {p.duplicate_of: tracker.short_id(p.duplicate_of) for p in proposals if p.duplicate_of}
    if why:
        for number, proposal in enumerate(proposals, 1):
            print_renderable(proposal_detail(proposal, number, SESSION.lang))
    else:
        print_renderable(proposals_table(proposals, short, SESSION.lang))
        print_renderable(legend(SESSION.lang))
    held = len(short)
    print(
        f"{len(proposals)} proposal(s), {held} already in the tracker; nothing stored. "
        "Review with --format csv -o FILE then `stidiplo import FILE`, or with --interactive."
    )


def _write(proposals: list[Proposal], tracker: Tracker, fmt: str, output: str | None) -> None:
    """The new proposals as an import file, on stdout or in FILE; those already held are named on stderr."""
    import io

    from stidiplo.extract.review import drafts
    from stidiplo.formats.interchange import export
    from stidiplo.schema import now

    items = drafts(proposals, set(tracker.items), now())
    held = [p for p in proposals if p.duplicate_of]
    if held:
        listed = ", ".join(dict.fromkeys(tracker.short_id(p.duplicate_of) for p in held if p.duplicate_of))
        print(f"left out {len(held)} proposal(s) already in the tracker: {listed}", file=sys.stderr)
    buffer = io.BytesIO()
    export(items, fmt, buffer)
    if send_bytes(buffer.getvalue(), output):
        print(f"wrote {len(items)} proposal(s) to {output}; review them, then `stidiplo import {output}`")


def _review(proposals: list[Proposal], tracker: Tracker) -> None:
    """Ask about each new proposal, then store the accepted ones as one change (`stidiplo undo` reverts it)."""
    from stidiplo.extract.review import as_row, drafts, new_proposals
    from stidiplo.schema import now
    from stidiplo.views.proposals import proposal_detail

    fresh = new_proposals(proposals)
    if len(fresh) < len(proposals):
        print(f"{len(proposals) - len(fresh)} proposal(s) already in the tracker are not asked about.")
    items = drafts(proposals, set(tracker.items), now())
    accepted: list[dict[str, Any]] = []
    for number, (proposal, item) in enumerate(zip(fresh, items, strict=True), 1):
        print_renderable(proposal_detail(proposal, number, SESSION.lang))
        answer = _ask("[a]ccept, [e]dit, [s]kip, [q]uit", ("a", "e", "s", "q"))
        if answer == "q":
            break
        if answer == "a":
            accepted.append(as_row(item))
        elif answer == "e":
            accepted.append(_edited(as_row(item), tracker))
    _store(accepted, set(tracker.items))


def _ask(question: str, answers: tuple[str, ...]) -> str:
    while True:
        answer = typer.prompt(question, default=answers[0]).strip().lower()[:1]
        if answer in answers:
            return answer
        typer.echo(f"  answer one of {', '.join(answers)}", err=True)


def _edited(row: dict[str, Any], tracker: Tracker) -> dict[str, Any]:
    """The row with each field asked again (the guess prefilled) until the import rules accept it."""
    from stidiplo.import_cells import Row
    from stidiplo.import_plan import plan_import
    from stidiplo.labels import literal

    while True:
        changed = dict(row)
        for name in EDITED:
            value = row[name]
            if name == "date" and row["end"]:
                value = f"{row['date']}..{row['end']}"
            shown = "; ".join(value) if isinstance(value, list) else value or ""
            answer = typer.prompt(f"{name} [{literal(shown)}]", default=shown, show_default=False)
            changed[name] = (
                [v.strip() for v in answer.replace(",", ";").split(";") if v.strip()]
                if isinstance(value, list)
                else answer
            )
        if changed["date"] != row["date"]:
            changed["end"] = None
        # a follow-up of a meeting proposed alongside is linked when both are stored
        alone = {**changed, "follows": [m for m in changed["follows"] if m in tracker.items]}
        plan = plan_import(tracker, [Row("your edit", alone, flat=False)], today())
        if not plan.problems:
            return changed
        for problem in plan.problems:
            typer.echo(f"  {problem.message}; edit again", err=True)


def _store(rows: list[dict[str, Any]], tracker_ids: set[str]) -> None:
    from stidiplo.import_cells import Row
    from stidiplo.import_plan import apply_plan, plan_import

    if not rows:
        print("nothing accepted; nothing stored")
        return
    chosen = tracker_ids | {str(r["id"]) for r in rows}
    for row in rows:
        row["follows"] = [m for m in row["follows"] if m in chosen]
    with SESSION.transaction() as tracker:
        plan = plan_import(tracker, [Row(f"proposal {n}", r, flat=False) for n, r in enumerate(rows, 1)], today())
        if plan.problems:
            raise StidiploError(f"{plan.problems[0].where}: {plan.problems[0].message}; nothing stored")
        apply_plan(tracker, plan)
    print(f"stored {len(plan.changes())} item(s) as one change; `stidiplo undo` takes them back")
