"""Sharing a tracker through git: the merge driver git calls, the one-time set-up of a clone, and sync."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from stidiplo.cli.context import SESSION
from stidiplo.cli.output import print_renderable
from stidiplo.errors import UsageError

commands = typer.Typer()
PANEL = "Sharing through git"


@commands.command("git-setup", rich_help_panel=PANEL)
def git_setup(
    command: Annotated[
        str | None,
        typer.Option(
            "--command",
            metavar="COMMAND",
            help="How git starts stidiplo (default: this Python, by its absolute path, with -m stidiplo).",
        ),
    ] = None,
) -> None:
    """Make this clone merge the tracker item by item, never with conflict markers (once per clone).

    Example: stidiplo git-setup
    """
    from stidiplo.gitshare import ATTRIBUTES, Repository, default_command

    if command is not None and not command.strip():
        raise UsageError("--command must not be empty")
    done = Repository.holding(SESSION.location()).setup(command or default_command())
    if done.config_changed:
        print(f"registered the merge driver in .git/config: {done.driver}")
    if done.attributes_changed:
        print(f"added to {ATTRIBUTES}: {done.attributes_line}")
        print(
            f"commit it so that every clone merges the tracker this way: git add {ATTRIBUTES} && "
            "git commit -m 'Merge the tracker with stidiplo'"
        )
    if not (done.config_changed or done.attributes_changed):
        print("already set up; nothing changed")


@commands.command(rich_help_panel=PANEL)
def sync(
    commit: Annotated[
        bool,
        typer.Option(
            "--commit",
            help="First commit the tracker's uncommitted changes, with a message that sums them up.",
        ),
    ] = False,
) -> None:
    """Pull the team's changes (the tracker merged item by item), then push yours, and say what came in.

    Example: stidiplo sync --commit
    """
    from stidiplo import tracker_file
    from stidiplo.gitshare import Repository
    from stidiplo.store import Store
    from stidiplo.views.sync import sync_summary

    location = SESSION.location()
    repository = Repository.holding(location)
    store = Store(location.path)
    with store.lock():
        report = repository.sync(commit=commit)
    print_renderable(sync_summary(report, tracker_file.load(store), SESSION.lang))


@commands.command("merge-driver", rich_help_panel=PANEL)
def merge_driver(
    base: Annotated[Path, typer.Argument(metavar="BASE", help="The common ancestor (git's %O; may be empty).")],
    ours: Annotated[Path, typer.Argument(metavar="OURS", help="Our version, replaced by the result (git's %A).")],
    theirs: Annotated[Path, typer.Argument(metavar="THEIRS", help="Their version (git's %B).")],
) -> None:
    """Merge three versions of the tracker item by item into OURS (git runs this when you pull).

    Example: stidiplo merge-driver base.json ours.json theirs.json
    """
    from stidiplo.gitshare import merge_files
    from stidiplo.labels import literal

    for conflict in merge_files(base, ours, theirs):
        where = conflict.item_id[:8] if conflict.item_id else "meta"
        print(f"stidiplo: {where}: {literal(conflict.note)}", file=sys.stderr)
