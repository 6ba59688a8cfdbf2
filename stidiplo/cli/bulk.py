"""How `edit` makes a change: to the one item an ID names, or to every item the listing's filters choose.

With filters, what would change is shown first (a table of ids, titles and `field: old -> new`),
a person is asked (or `--yes` answers; a script without it is refused), and the change is made to
all of them in one write, so one `undo` takes it back.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import typer

from stidiplo.cli.context import SESSION, interactive
from stidiplo.cli.options import build_filter
from stidiplo.cli.output import print_renderable
from stidiplo.errors import UsageError

if TYPE_CHECKING:
    from stidiplo.changes import ItemChanges

FILTERS = ("country", "field", "kind", "status", "since", "until", "follows", "search")
"""The listing's filters, as `edit` takes them when no ID is given."""


def one_value(old: list[str] | None, new: str | None, name: str) -> str | None:
    """The one value an item's edit sets for `name`, from --NAME or --set-NAME."""
    given = [*(old or ()), *([new] if new is not None else [])]
    if len(set(given)) > 1:
        raise UsageError(f"give one new {name} for an item (--{name} or --set-{name})")
    return given[0] if given else None


def edit_one(item_id: str, changes: ItemChanges, *, editor: bool) -> None:
    """Make `changes` to one item (or open it in the editor with them) and say whether it changed."""
    if not changes and not editor:
        raise UsageError("nothing to change: give at least one option (see stidiplo edit --help)")
    if editor:
        from stidiplo.cli.editor import edit_in_editor

        short, changed = edit_in_editor(item_id, changes)
    else:
        with SESSION.transaction() as tracker:
            item = tracker.resolve(item_id)
            updated = tracker.change(item.id, changes)
            short, changed = tracker.short_id(item.id), updated != item
    print(f"{short} {'updated' if changed else 'unchanged'}")


def given_filters(filters: dict[str, Any]) -> str:
    """The filters given, as they were written: `--country SE --status coordinating`."""
    words = []
    for name in FILTERS:
        value = filters.get(name)
        for one in value if isinstance(value, list) else [value]:
            if one:  # an empty value chooses nothing: `--follows ''` must not choose every item
                words.append(f"--{name} {one}")
    return " ".join(words)


def edit_chosen(filters: dict[str, Any], changes: ItemChanges, *, yes: bool) -> None:
    """Make `changes` to every item `filters` choose: shown, confirmed, then written once."""
    from stidiplo.edits import apply_edits, plan_edits
    from stidiplo.views.preview import edits_table

    filters = {name: value or None for name, value in filters.items()}
    described = given_filters(filters)
    if not described:
        raise UsageError("give an ID, or filters (--country, --status, --since …) choosing the items to edit")
    if not changes:
        raise UsageError(
            "nothing to change: give a new value (--set-status, --add-country …; see stidiplo edit --help)"
        )
    tracker = SESSION.load()
    flt = build_filter(tracker, **filters)
    chosen = tracker.select(flt)
    planned = plan_edits(tracker, chosen, changes)
    if not planned:
        what = "no items match" if not chosen else f"nothing to change in the {len(chosen)} item(s) that match"
        print(f"stidiplo: {what}: {described}", file=sys.stderr)
        return
    print_renderable(edits_table(planned, tracker, SESSION.lang))
    if not yes:  # asked before the lock is taken: nobody waits while a person answers
        if not interactive():
            raise UsageError(f"refusing to change {len(planned)} item(s) without confirmation; add --yes")
        if not typer.confirm(f"Change {len(planned)} item(s)?"):
            raise typer.Exit(1)
    with SESSION.transaction() as current:
        changed = apply_edits(current, [edit.item.id for edit in planned], changes)
    print(f"updated {changed} item(s) as one change; `stidiplo undo` takes it back")
