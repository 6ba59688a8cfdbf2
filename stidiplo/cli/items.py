"""Commands that read and annotate items: list, show, note, remove (add and edit live in `record`)."""

# No `from __future__ import annotations` here: Typer reads the options of these commands from
# their annotations at every run, which as strings it would compile and evaluate each time (a
# millisecond of a command's start-up).

from typing import Annotated

import typer

from stidiplo.cli.context import SESSION, interactive
from stidiplo.cli.options import (
    Country,
    Field,
    Follows,
    Format,
    Id,
    Kind,
    Search,
    Since,
    Status,
    Until,
    build_filter,
    check_format,
    say_nothing_matches,
)
from stidiplo.cli.output import emit_items, print_renderable
from stidiplo.errors import StidiploError, UsageError

commands = typer.Typer()


@commands.command("list")
def list_items(
    country: Country = None,
    field: Field = None,
    kind: Kind = None,
    status: Status = None,
    since: Since = None,
    until: Until = None,
    follows: Follows = None,
    search: Search = None,
    sort: Annotated[str, typer.Option(help="date, title, kind, status, country, updated or created.")] = "date",
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Newest (or last) first.")] = False,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="Show at most this many.")] = None,
    fmt: Format = "table",
    json_keys: Annotated[
        str | None, typer.Option("--json", metavar="KEYS", help="JSON with only these keys, e.g. id,title,status.")
    ] = None,
) -> None:
    """List items, oldest first, undated ones last; --since and --until leave undated items out.

    Example: stidiplo list --country sweden --since 2018
    """

    fmt = check_format(fmt)
    if json_keys is not None:
        from stidiplo.formats.jsonfmt import chosen_keys

        keys = chosen_keys(json_keys)
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
    items = tracker.select(flt, sort, limit=limit, reverse=reverse)
    if not items:
        say_nothing_matches()
        if fmt == "table" and json_keys is None:
            return
    if json_keys is not None:
        from stidiplo.cli.output import write_bytes
        from stidiplo.formats.jsonfmt import write_fields

        write_bytes(lambda chosen, out: write_fields(chosen, keys, out), items)
        return
    emit_items(items, tracker, fmt)


@commands.command()
def show(
    item_id: Id,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    sources: Annotated[
        bool, typer.Option("--sources", help="Also each source's page, heading and quoted words, and the provenance.")
    ] = False,
) -> None:
    """Show one item: every field, its meeting, its follow-ups and its history.

    Example: stidiplo show 3f2a1b --sources
    """
    fmt = check_format(fmt, ("table", "json"))
    tracker = SESSION.load()
    item = tracker.resolve(item_id)
    if fmt == "json":
        from stidiplo.cli.output import write_bytes
        from stidiplo.formats.jsonfmt import write_value

        write_bytes(write_value, item.to_json())
        return
    from stidiplo.views.detail import item_detail

    print_renderable(item_detail(item, tracker, SESSION.lang, sources=sources))


@commands.command()
def note(
    item_id: Id,
    text: Annotated[str, typer.Argument(help="The note (in Japanese, or the one language it is written in).")],
    en: Annotated[str | None, typer.Option("--en", help="The same note in English.")] = None,
) -> None:
    """Add a dated note to an item.

    Example: stidiplo note 3f2a1b "公募は5月開始とJSTが確認" --en "JST confirmed the call opens in May"
    """
    if not text.strip() or (en is not None and not en.strip()):
        raise UsageError("the note is empty")
    with SESSION.transaction() as tracker:
        item = tracker.note(tracker.resolve(item_id).id, text, en)
        short = tracker.short_id(item.id)
    print(f"{short} noted")


@commands.command()
def remove(
    item_id: Id,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    detach: Annotated[
        bool, typer.Option("--detach", help="Keep the meeting's follow-ups, no longer following it.")
    ] = False,
) -> None:
    """Remove an item (asks first).

    Example: stidiplo remove 3f2a1b --yes
    """
    if not yes:  # asked before the lock is taken: nobody waits while a person answers
        tracker = SESSION.load()
        item = tracker.resolve(item_id)
        short = tracker.short_id(item.id)
        if not interactive():
            raise UsageError(f"refusing to remove {short} without confirmation; add --yes")
        from stidiplo.labels import literal

        if not typer.confirm(f"Remove {short} {literal(item.title_in(SESSION.lang))}?"):
            raise StidiploError(f"{short} not removed (the answer was no)")
        item_id = item.id
    with SESSION.transaction() as tracker:
        item = tracker.resolve(item_id)
        short = tracker.short_id(item.id)
        detached = tracker.remove(item.id, detach=detach)
    suffix = f" ({len(detached)} follow-up(s) detached)" if detached else ""
    print(f"{short} removed{suffix}")
