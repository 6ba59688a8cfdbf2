"""Commands on items: list, show, add, edit, note, remove."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Annotated

import typer

from stidiplo.cli.context import SESSION, interactive, today
from stidiplo.cli.options import (
    Country,
    Field,
    Follows,
    Format,
    Kind,
    Search,
    Since,
    Status,
    Until,
    build_filter,
    check_format,
    choice,
    read_date,
)
from stidiplo.cli.output import emit_items, print_renderable
from stidiplo.errors import UsageError

Id = Annotated[str, typer.Argument(help="Item id or any unambiguous prefix of it.", metavar="ID")]


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
) -> None:
    """List items, oldest first.

    Example: stidiplo list --country sweden --since 2018
    """
    from stidiplo.query import select

    fmt = check_format(fmt)
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
    emit_items(select(tracker.candidates(flt), flt, sort, limit=limit, reverse=reverse), tracker, fmt)


@commands.command()
def show(
    item_id: Id,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Show one item: every field, its meeting, its follow-ups and its history.

    Example: stidiplo show 3f2a1b
    """
    fmt = check_format(fmt, ("table", "json"))
    tracker = SESSION.load()
    item = tracker.resolve(item_id)
    if fmt == "json":
        from stidiplo.cli.output import write_bytes
        from stidiplo.formats.jsonfmt import write_value

        write_bytes(write_value, item.to_json())
        return
    from stidiplo.views.items import item_detail

    print_renderable(item_detail(item, tracker, SESSION.lang))


REQUIRED = ("kind", "title", "date", "country")


def _prompt(name: str, convert):
    """Ask for a missing value until it converts."""
    from stidiplo.errors import StidiploError

    while True:
        answer = typer.prompt(name)
        try:
            return convert(answer)
        except StidiploError as err:
            typer.echo(f"  {err}", err=True)


def _amount(value: str | None, detail: str | None):
    from stidiplo.model import Amount

    if value is None:
        return None
    parts = value.replace(",", "").split()
    try:
        number = float(parts[0])
    except (ValueError, IndexError):
        raise UsageError(f"amount {value!r}: write a number and a currency, e.g. '54000000 JPY'") from None
    currency = parts[1].upper() if len(parts) > 1 else "JPY"
    return Amount(int(number) if number.is_integer() else number, currency, detail)


@commands.command()
def add(
    kind: Annotated[
        str | None,
        typer.Option("--kind", "-k", help="meeting, agreement, joint-call, event, visit, office or program."),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", "-t", help="Title as written in the source (Japanese or English).")
    ] = None,
    title_en: Annotated[str | None, typer.Option("--title-en", help="English title.")] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date", "-d", help="2018-10-07, 2018-10, 2018, FY2018, 2018年10月7日, '9 Oct 2018'; a range too."
        ),
    ] = None,
    end: Annotated[str | None, typer.Option("--end", help="Last day of a range.")] = None,
    country: Country = None,
    field: Field = None,
    status: Annotated[
        str | None, typer.Option("--status", "-s", help="Default: done if the date is past, else scheduled.")
    ] = None,
    follows: Annotated[
        str | None, typer.Option("--follows", help="The meeting this item follows up (id or prefix).")
    ] = None,
    related: Annotated[list[str] | None, typer.Option("--related", help="A related item (repeatable).")] = None,
    org: Annotated[list[str] | None, typer.Option("--org", help="Organisation, e.g. JST (repeatable).")] = None,
    person: Annotated[list[str] | None, typer.Option("--person", help="Person named (repeatable).")] = None,
    place: Annotated[str | None, typer.Option("--place", help="Where it happened.")] = None,
    participants: Annotated[str | None, typer.Option("--participants", help="Participant figures, free text.")] = None,
    amount: Annotated[str | None, typer.Option("--amount", help="Amount and currency, e.g. '54000000 JPY'.")] = None,
    amount_detail: Annotated[
        str | None, typer.Option("--amount-detail", help="What the amount is per, e.g. 'per project, max'.")
    ] = None,
    source: Annotated[
        list[str] | None, typer.Option("--source", help="URL or document reference (repeatable).")
    ] = None,
    note: Annotated[list[str] | None, typer.Option("--note", help="A note (repeatable).")] = None,
) -> None:
    """Record a new item and print its id.

    Example: stidiplo add --kind event --title "日EU量子ワークショップ" --date 2018-09-03 --country EU --field quantum
    """
    from stidiplo import vocab
    from stidiplo.dateparse import parse_span
    from stidiplo.model import KINDS, STATUSES, Item, Note, new_id, now

    countries = list(country or ())
    missing = [name for name, value in zip(REQUIRED, (kind, title, date, countries), strict=True) if not value]
    if missing and not interactive():
        raise UsageError(f"missing {', '.join('--' + m for m in missing)} (required to add an item)")

    def kind_of(text: str) -> str:
        return choice(text, KINDS, "kind")

    def span_of(text: str):
        return parse_span(text, today=today())

    kind = _prompt(f"kind ({', '.join(KINDS)})", kind_of) if not kind else kind_of(kind)
    title = title or _prompt("title", lambda t: t if t.strip() else _blank("title"))
    start, range_end = _prompt("date (e.g. 2018-10-07)", span_of) if not date else span_of(date)
    if end:
        range_end = read_date(end)
    codes = [vocab.resolve_country(c) for c in countries] or [_prompt("country", vocab.resolve_country)]
    if status is None:
        status = "scheduled" if start.first > today() else "done"
    stamp = now()
    item = Item(
        id=new_id(),
        kind=kind,
        title=title,
        title_en=title_en,
        date=start.text,
        end=range_end.text if range_end else None,
        status=choice(status, STATUSES, "status"),
        countries=list(dict.fromkeys(codes)),
        fields=list(dict.fromkeys(vocab.resolve_field(f) for f in field or ())),
        organizations=list(org or ()),
        people=list(person or ()),
        place=place,
        participants=participants,
        amount=_amount(amount, amount_detail),
        sources=list(source or ()),
        notes=[Note(stamp, n) for n in note or ()],
    )
    with SESSION.store().transaction() as tracker:
        item = replace(
            item,
            follows=tracker.resolve(follows).id if follows else None,
            related=[tracker.resolve(r).id for r in related or ()],
        )
        added = tracker.add(item)
        short = tracker.short_id(added.id)
    print(short)


def _blank(name: str) -> str:
    raise UsageError(f"{name} must not be empty")


@commands.command()
def edit(
    item_id: Id,
    title: Annotated[str | None, typer.Option("--title", "-t", help="New title.")] = None,
    title_en: Annotated[str | None, typer.Option("--title-en", help="New English title ('' clears it).")] = None,
    kind: Annotated[str | None, typer.Option("--kind", "-k", help="New kind.")] = None,
    date: Annotated[str | None, typer.Option("--date", "-d", help="New date or range.")] = None,
    end: Annotated[str | None, typer.Option("--end", help="New end date ('' clears it).")] = None,
    status: Annotated[
        str | None, typer.Option("--status", "-s", help="New status; the change is kept in the history.")
    ] = None,
    add_country: Annotated[list[str] | None, typer.Option("--add-country", help="Add a country (repeatable).")] = None,
    remove_country: Annotated[
        list[str] | None, typer.Option("--remove-country", help="Remove a country (repeatable).")
    ] = None,
    add_field: Annotated[list[str] | None, typer.Option("--add-field", help="Add a field (repeatable).")] = None,
    remove_field: Annotated[
        list[str] | None, typer.Option("--remove-field", help="Remove a field (repeatable).")
    ] = None,
    follows: Annotated[str | None, typer.Option("--follows", help="The meeting it follows ('' clears it).")] = None,
    add_org: Annotated[list[str] | None, typer.Option("--add-org", help="Add an organisation (repeatable).")] = None,
    remove_org: Annotated[
        list[str] | None, typer.Option("--remove-org", help="Remove an organisation (repeatable).")
    ] = None,
    add_person: Annotated[list[str] | None, typer.Option("--add-person", help="Add a person (repeatable).")] = None,
    add_source: Annotated[list[str] | None, typer.Option("--add-source", help="Add a source (repeatable).")] = None,
    place: Annotated[str | None, typer.Option("--place", help="New place ('' clears it).")] = None,
    participants: Annotated[
        str | None, typer.Option("--participants", help="New participant figures ('' clears).")
    ] = None,
    amount: Annotated[str | None, typer.Option("--amount", help="New amount, e.g. '54000000 JPY' ('' clears).")] = None,
    editor: Annotated[bool, typer.Option("--editor", "-e", help="Edit the whole record in $EDITOR.")] = False,
) -> None:
    """Change fields of an item.

    Example: stidiplo edit 3f2a1b --status done --add-country DK
    """
    from stidiplo import vocab
    from stidiplo.dateparse import parse_span
    from stidiplo.errors import StidiploError
    from stidiplo.model import KINDS, STATUSES

    edited = None
    if editor:  # edited before the lock is taken: nobody waits while a person types
        before = SESSION.load().resolve(item_id)
        edited = _edit_in_editor(before)
        item_id = before.id
    with SESSION.store().transaction() as tracker:
        item = tracker.resolve(item_id)
        if edited is not None:
            if item != before:
                raise StidiploError(f"{tracker.short_id(item.id)} was changed while you edited it; nothing saved")
            item = edited
        changes: dict = {}
        if title is not None:
            changes["title"] = title
        if title_en is not None:
            changes["title_en"] = title_en or None
        if kind is not None:
            changes["kind"] = choice(kind, KINDS, "kind")
        if date is not None:
            start, range_end = parse_span(date, today=today())
            changes["date"] = start.text
            if range_end is not None or end is None:
                changes["end"] = range_end.text if range_end else None
        if end is not None:
            changes["end"] = read_date(end).text if end else None
        if status is not None:
            changes["status"] = choice(status, STATUSES, "status")
        if add_country or remove_country:
            changes["countries"] = _merged(
                item.countries,
                map(vocab.resolve_country, add_country or ()),
                map(vocab.resolve_country, remove_country or ()),
            )
        if add_field or remove_field:
            changes["fields"] = _merged(
                item.fields, map(vocab.resolve_field, add_field or ()), map(vocab.resolve_field, remove_field or ())
            )
        if follows is not None:
            changes["follows"] = tracker.resolve(follows).id if follows else None
        if add_org or remove_org:
            changes["organizations"] = _merged(item.organizations, add_org or (), remove_org or ())
        if add_person:
            changes["people"] = _merged(item.people, add_person)
        if add_source:
            changes["sources"] = _merged(item.sources, add_source)
        for name, value in (("place", place), ("participants", participants)):
            if value is not None:
                changes[name] = value or None
        if amount is not None:
            changes["amount"] = _amount(amount, item.amount.detail if item.amount else None) if amount else None
        if not changes and not editor:
            raise UsageError("nothing to change: give at least one option (see stidiplo edit --help)")
        updated = tracker.update(replace(item, **changes))
        short = tracker.short_id(updated.id)
        changed = updated != item or editor
    print(f"{short} {'updated' if changed else 'unchanged'}")


def _merged(values: list[str], added: Iterable[str], gone: Iterable[str] = ()) -> list[str]:
    """`values` with `added` appended (each once) and `gone` left out."""
    left_out = set(gone)
    return [v for v in dict.fromkeys([*values, *added]) if v not in left_out]


def _edit_in_editor(item):
    """Open the item's JSON in $EDITOR and read it back, validated."""
    import os
    import subprocess
    import tempfile

    import orjson

    from stidiplo.model import Item, validate

    with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as handle:
        handle.write(orjson.dumps(item.to_json(), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
        path = handle.name
    try:
        command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        if subprocess.call([*command.split(), path]) != 0:
            raise UsageError("the editor exited with an error; nothing changed")
        with open(path, "rb") as handle:
            try:
                record = orjson.loads(handle.read())
            except orjson.JSONDecodeError as err:
                raise UsageError(f"the edited record is not valid JSON (line {err.lineno}); nothing changed") from None
    finally:
        os.unlink(path)
    if not isinstance(record, dict) or record.get("id", item.id) != item.id:
        raise UsageError("the id cannot be changed; nothing changed")
    edited = Item.from_record(item.id, record)
    validate(edited)
    return edited


@commands.command()
def note(
    item_id: Id,
    text: Annotated[str, typer.Argument(help="The note.")],
) -> None:
    """Add a dated note to an item.

    Example: stidiplo note 3f2a1b "JST confirmed the call opens in May"
    """
    if not text.strip():
        raise UsageError("the note is empty")
    with SESSION.store().transaction() as tracker:
        item = tracker.note(tracker.resolve(item_id).id, text)
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
        if not typer.confirm(f"Remove {short} {item.title_in(SESSION.lang)}?"):
            raise typer.Exit(1)
        item_id = item.id
    with SESSION.store().transaction() as tracker:
        item = tracker.resolve(item_id)
        short = tracker.short_id(item.id)
        detached = tracker.remove(item.id, detach=detach)
    suffix = f" ({len(detached)} follow-up(s) detached)" if detached else ""
    print(f"{short} removed{suffix}")
