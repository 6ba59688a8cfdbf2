"""Commands that keep the tracker safe: undo, backups, restore, check."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

from stidiplo.cli.context import SESSION
from stidiplo.cli.options import check_format
from stidiplo.cli.output import write_bytes

if TYPE_CHECKING:
    from stidiplo.check import Report
    from stidiplo.model import Item
    from stidiplo.recovery import BackupInfo, Diff

commands = typer.Typer()
PANEL = "Backups and checks"
TITLE_WIDTH = 60


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "unknown time"


def _size(size: int) -> str:
    return f"{size} B" if size < 1000 else f"{size / 1000:,.1f} kB"


def _title(item: Item) -> str:
    from stidiplo.labels import literal

    title = literal(item.title_in(SESSION.lang))
    return title if len(title) <= TITLE_WIDTH else title[: TITLE_WIDTH - 1] + "…"


def _print_diff(diff: Diff, unreadable: str | None) -> None:
    from stidiplo.labels import literal

    for change in diff.changes:
        fields = f" ({', '.join(change.fields)})" if change.fields else ""
        print(f"  {change.change:<8} {change.short}  {_title(change.item)}{fields}")
    if diff.meta:
        print(f"  changed  the file's {', '.join(diff.meta)}")
    if unreadable:
        print(f"  (the replaced file could not be read, so what changed is unknown: {literal(unreadable)})")
    elif not diff.changes and not diff.meta:
        print("  no item changed")


def _summary(diff: Diff | None) -> str:
    if diff is None:
        return ""
    if len(diff.changes) == 1:
        change = diff.changes[0]
        fields = f" ({', '.join(change.fields)})" if change.fields else ""
        return f"{change.change} {change.short} {_title(change.item)}{fields}"
    counts = [f"{verb} {diff.count(verb)}" for verb in ("added", "removed", "changed") if diff.count(verb)]
    if diff.meta:
        counts.append(f"changed {', '.join(diff.meta)}")
    return ", ".join(counts) or "no item changed"


@commands.command(rich_help_panel=PANEL)
def undo() -> None:
    """Revert the last change; run it again to go further back (nothing is lost: see backups).

    Example: stidiplo undo
    """
    from stidiplo.recovery import undo as undo_last
    from stidiplo.store.backups import backup_time

    reverted = undo_last(SESSION.store())
    print(f"undone: the change of {_when(backup_time(reverted.backup))}")
    _print_diff(reverted.diff, reverted.unreadable)
    if reverted.kept is not None:
        print(f"the undone version is kept as backup {reverted.kept.name}; `stidiplo restore 1` brings it back")


@commands.command(rich_help_panel=PANEL)
def backups(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """List the backups kept beside the tracker, newest first, with the change that replaced each.

    Example: stidiplo backups
    """
    from stidiplo.recovery import backup_history

    fmt = check_format(fmt, ("table", "json"))
    store = SESSION.store()
    history = backup_history(store)
    if fmt == "json":
        from stidiplo.formats.jsonfmt import write_value

        write_bytes(write_value, [_backup_json(info) for info in history])
        return
    if not history:
        print(f"no backups yet in {store.backups}")
        return
    print(f"{'#':>3}  {'replaced at':<23}  {'items':>5}  {'size':>8}  {'mark':<9}  change that replaced it")
    for info in history:
        items = "?" if info.items is None else str(info.items)
        change = f"unreadable: {info.problem}" if info.problem else _summary(info.diff)
        print(
            f"{info.index:>3}  {_when(info.time):<23}  {items:>5}  {_size(info.size):>8}  {info.mark:<9}  "
            f"{change}".rstrip()
        )
    print(f"in {store.backups}; `stidiplo restore N` brings back number N, `stidiplo undo` the last change")


def _backup_json(info: BackupInfo) -> dict:
    changes = {
        verb: [c.item.id for c in info.diff.changes if c.change == verb] if info.diff else []
        for verb in ("added", "removed", "changed")
    }
    return {
        "index": info.index,
        "file": info.path.name,
        "replaced": info.time.strftime("%Y-%m-%dT%H:%M:%SZ") if info.time else None,
        "mark": info.mark,
        "items": info.items,
        "size": info.size,
        "problem": info.problem,
        **changes,
    }


@commands.command(rich_help_panel=PANEL)
def restore(
    backup: Annotated[str, typer.Argument(help="Backup number from `stidiplo backups` (1 = newest) or file name.")],
) -> None:
    """Bring back a backup, keeping the current file as a backup first (undo reverts it).

    Example: stidiplo restore 3
    """
    from stidiplo.recovery import restore as restore_backup
    from stidiplo.store.backups import backup_time

    reverted = restore_backup(SESSION.store(), backup)
    if reverted is None:
        print(f"backup {backup} is the same as the current file; nothing changed")
        return
    print(f"restored {reverted.backup.name} (the version replaced at {_when(backup_time(reverted.backup))})")
    _print_diff(reverted.diff, reverted.unreadable)
    if reverted.kept is not None:
        print(f"the version it replaced is kept as backup {reverted.kept.name}; `stidiplo undo` reverts this restore")


@commands.command(rich_help_panel=PANEL)
def check(
    fix: Annotated[bool, typer.Option("--fix", help="Apply the safe repairs (after a backup).")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Check every item and link in the tracker; exit 1 if anything is wrong (warnings alone: 0).

    Example: stidiplo check --fix
    """
    from stidiplo.check import check as check_store

    fmt = check_format(fmt, ("table", "json"))
    report = check_store(SESSION.store(), fix=fix)
    if fmt == "json":
        from stidiplo.formats.jsonfmt import write_value

        write_bytes(
            write_value,
            {
                "items": report.items,
                "problems": [p.to_json() for p in report.problems],
                "fixed": [p.to_json() for p in report.fixed],
                "backup": report.kept.name if report.kept else None,
            },
        )
    else:
        _print_report(report)
    if any(not p.warning for p in report.problems):
        raise typer.Exit(1)


def _print_report(report: Report) -> None:
    from stidiplo.labels import literal

    tracker = report.tracker

    def heading(item_id: str | None) -> str:
        if item_id is None:
            return "the file"
        item = tracker.items.get(item_id)
        return f"{literal(tracker.short_id(item_id))}  {_title(item) if item else '(unreadable record)'}"

    for title, problems in (("repaired", report.fixed), ("problems", report.problems)):
        if not problems:
            continue
        print(f"{title}:")
        by_item: dict[str | None, list] = {}
        for problem in problems:
            by_item.setdefault(problem.item_id, []).append(problem)
        for item_id, found in by_item.items():
            print(f"  {heading(item_id)}")
            for problem in found:
                hint = " (--fix repairs it)" if problem.fixable and title == "problems" else ""
                print(f"    {literal(problem.message)}{hint}")
    if report.kept is not None:
        print(f"the version before the repairs is kept as backup {report.kept.name}; `stidiplo undo` reverts them")
    if not report.problems:
        print(f"no problems in {report.items} item{'' if report.items == 1 else 's'}")
        return
    fixable = sum(1 for p in report.problems if p.fixable)
    affected = len({p.item_id for p in report.problems} - {None})
    more = f"; {fixable} can be repaired with --fix" if fixable else ""
    warned = sum(1 for p in report.problems if p.warning)
    more += f"; {warned} of them warning(s) about the status lifecycle" if warned else ""
    print(f"{len(report.problems)} problem(s) in {affected} of {report.items} items{more}")
