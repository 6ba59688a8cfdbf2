"""Commands that record an item and change it: add (prompting for what is missing) and edit."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from stidiplo.cli.context import SESSION, interactive, today
from stidiplo.cli.options import (
    Country,
    Field,
    Search,
    Since,
    Until,
    read_date,
)
from stidiplo.errors import StidiploError, UsageError

if TYPE_CHECKING:
    from stidiplo.model import Amount, Source

T = TypeVar("T")

commands = typer.Typer()


REQUIRED = ("kind", "title", "date", "country")


def _prompt(name: str, convert: Callable[[str], T]) -> T:
    """Ask for a missing value until it converts."""
    while True:
        answer = typer.prompt(name)
        try:
            return convert(answer)
        except StidiploError as err:
            typer.echo(f"  {err}", err=True)


def _given(**values: object) -> dict[str, object]:
    """The options the user gave: those left out (None) dropped, an empty one ('') clearing its field."""
    return {name: (None if value == "" else value) for name, value in values.items() if value is not None}


def _span(date: str | None, end: str | None) -> dict[str, object]:
    """`date` and `end` from --date (a day, a month, a range ...; '' for none) and --end ('' clears the end)."""
    from stidiplo.dateparse import parse_span

    values: dict[str, object] = {}
    if date == "":
        return {"date": None, "end": None, "date_estimated": False, "end_estimated": False}
    if date is not None:
        start, range_end = parse_span(date, today=today())
        values["date"] = start.text
        if range_end is not None or end is None:
            values["end"] = range_end.text if range_end else None
    if end is not None:
        values["end"] = read_date(end).text if end else None
    return values


def _amount(text: str | None, detail: str | None = None) -> Amount | None:
    from stidiplo.amounts import parse_amount

    return parse_amount(text, detail) if text else None


def _kind(text: str) -> str:
    from stidiplo import vocab

    return vocab.resolve_kind(text)


def _status(text: str) -> str:
    from stidiplo import vocab

    return vocab.resolve_status(text)


def _not_blank(text: str) -> str:
    if not text.strip():
        raise UsageError("title must not be empty")
    return text


def _readable_span(text: str) -> str:
    """`text` once it reads as a date or a range."""
    _span(text, None)
    return text


def _asked_for(
    kind: str | None, title: str | None, date: str | None, countries: list[str], *, undated: bool = False
) -> tuple[str, str, str | None, list[str]]:
    """The four values an item needs, asked for when missing (or refused when nobody can answer);
    an item `undated` needs no date."""
    from stidiplo import vocab
    from stidiplo.model import KINDS

    if undated and date:
        raise UsageError("--undated and --date contradict each other; give one")
    given = (kind, title, date or undated, countries)
    missing = [name for name, value in zip(REQUIRED, given, strict=True) if not value]
    if missing and not interactive():
        raise UsageError(f"missing {', '.join('--' + m for m in missing)} (required to add an item)")
    kind = kind or _prompt(f"kind ({', '.join(KINDS)})", _kind)
    title = title or _prompt("title", _not_blank)
    if not undated:
        date = date or _prompt("date (e.g. 2018-10-07)", _readable_span)
    countries = countries or [_prompt("country", vocab.resolve_country)]
    return kind, title, date, countries


def _sources(documents: list[str] | None) -> list[Source]:
    from stidiplo.model import Source

    return [Source(d) for d in documents or ()]


@commands.command()
def add(
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            "-k",
            help="meeting, agreement, joint-call, event, visit, office or program (or as shown: 訪問).",
        ),
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
    undated: Annotated[bool, typer.Option("--undated", help="The source gives no date: record none.")] = False,
    estimated: Annotated[
        bool, typer.Option("--estimated", help="The date is inferred, not given by the source (shown ≈).")
    ] = False,
    country: Country = None,
    field: Field = None,
    status: Annotated[
        str | None,
        typer.Option("--status", "-s", help="Default: done if the date is past, else (or undated) scheduled."),
    ] = None,
    follows: Annotated[
        list[str] | None, typer.Option("--follows", help="A meeting this item follows up (id or prefix; repeatable).")
    ] = None,
    related: Annotated[list[str] | None, typer.Option("--related", help="A related item (repeatable).")] = None,
    org: Annotated[list[str] | None, typer.Option("--org", help="Organisation, e.g. JST (repeatable).")] = None,
    programme: Annotated[
        list[str] | None, typer.Option("--programme", help="Funding programme, e.g. SICORP (repeatable).")
    ] = None,
    person: Annotated[list[str] | None, typer.Option("--person", help="Person named (repeatable).")] = None,
    person_en: Annotated[
        list[str] | None, typer.Option("--person-en", help="Person named, in English (repeatable).")
    ] = None,
    place: Annotated[str | None, typer.Option("--place", help="Where it happened.")] = None,
    place_en: Annotated[str | None, typer.Option("--place-en", help="Where it happened, in English.")] = None,
    participants: Annotated[str | None, typer.Option("--participants", help="Participant figures, free text.")] = None,
    participants_en: Annotated[
        str | None, typer.Option("--participants-en", help="Participant figures, in English.")
    ] = None,
    amount: Annotated[str | None, typer.Option("--amount", help="Amount and currency, e.g. '54000000 JPY'.")] = None,
    amount_detail: Annotated[
        str | None, typer.Option("--amount-detail", help="What the amount is per, e.g. 'per project, max'.")
    ] = None,
    source: Annotated[
        list[str] | None, typer.Option("--source", help="URL or document reference (repeatable).")
    ] = None,
    provenance: Annotated[
        str | None, typer.Option("--provenance", help="How the item was recorded from its sources.")
    ] = None,
    note: Annotated[list[str] | None, typer.Option("--note", help="A note (repeatable).")] = None,
    note_en: Annotated[
        list[str] | None, typer.Option("--note-en", help="The English of the note in the same place (repeatable).")
    ] = None,
) -> None:
    """Record a new item and print its id.

    Example: stidiplo add --kind event --title "日EU量子ワークショップ" --date 2018-09-03 --country EU --field quantum
    """
    from stidiplo import vocab
    from stidiplo.changes import ItemChanges

    kind, title, date, countries = _asked_for(kind, title, date, list(country or ()), undated=undated)
    if estimated and not date:
        raise UsageError("--estimated needs a --date")
    values = _given(
        kind=_kind(kind),
        title=title,
        title_en=title_en,
        status=status and _status(status),
        place=place,
        place_en=place_en,
        participants=participants,
        participants_en=participants_en,
        provenance=provenance,
        amount=_amount(amount, amount_detail),
    )
    changes = ItemChanges(
        values={**values, **_span(date, end), "date_estimated": estimated},
        added={
            "countries": [vocab.resolve_country(c) for c in countries],
            "fields": [vocab.resolve_field(f) for f in field or ()],
            "follows": follows or [],
            "organizations": org or [],
            "programmes": programme or [],
            "people": person or [],
            "people_en": person_en or [],
            "sources": _sources(source),  # type: ignore[dict-item]
            "related": related or [],
        },
        notes=note or [],
        notes_en=note_en or [],
    )
    with SESSION.transaction() as tracker:
        short = tracker.short_id(tracker.create(changes, today()).id)
    print(short)


Targets = Annotated[
    str | None,
    typer.Argument(help="Item id or prefix; leave it out to edit every item the filters choose.", metavar="[ID]"),
]


@commands.command()
def edit(
    item_id: Targets = None,
    title: Annotated[str | None, typer.Option("--title", "-t", help="New title.")] = None,
    title_en: Annotated[str | None, typer.Option("--title-en", help="New English title ('' clears it).")] = None,
    kind: Annotated[
        list[str] | None, typer.Option("--kind", "-k", help="New kind; without an ID, a filter as in list.")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", "-d", help="New date or range ('' leaves the item undated).")
    ] = None,
    end: Annotated[str | None, typer.Option("--end", help="New end date ('' clears it).")] = None,
    estimated: Annotated[
        bool | None,
        typer.Option("--estimated/--not-estimated", help="Mark the date as inferred (≈), or as the source's own."),
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option("--status", "-s", help="New status, kept in the history; without an ID, a filter as in list."),
    ] = None,
    add_country: Annotated[list[str] | None, typer.Option("--add-country", help="Add a country (repeatable).")] = None,
    remove_country: Annotated[
        list[str] | None, typer.Option("--remove-country", help="Remove a country (repeatable).")
    ] = None,
    add_field: Annotated[list[str] | None, typer.Option("--add-field", help="Add a field (repeatable).")] = None,
    remove_field: Annotated[
        list[str] | None, typer.Option("--remove-field", help="Remove a field (repeatable).")
    ] = None,
    follows: Annotated[
        list[str] | None,
        typer.Option(
            "--follows",
            help="Add a meeting it follows (repeatable; '' clears them all); without an ID, a filter as in list.",
        ),
    ] = None,
    unfollow: Annotated[
        list[str] | None, typer.Option("--unfollow", help="No longer follows this meeting (repeatable).")
    ] = None,
    add_org: Annotated[list[str] | None, typer.Option("--add-org", help="Add an organisation (repeatable).")] = None,
    remove_org: Annotated[
        list[str] | None, typer.Option("--remove-org", help="Remove an organisation (repeatable).")
    ] = None,
    add_programme: Annotated[
        list[str] | None, typer.Option("--add-programme", help="Add a funding programme (repeatable).")
    ] = None,
    remove_programme: Annotated[
        list[str] | None, typer.Option("--remove-programme", help="Remove a funding programme (repeatable).")
    ] = None,
    add_person: Annotated[list[str] | None, typer.Option("--add-person", help="Add a person (repeatable).")] = None,
    add_person_en: Annotated[
        list[str] | None, typer.Option("--add-person-en", help="Add a person, in English (repeatable).")
    ] = None,
    remove_person: Annotated[
        list[str] | None, typer.Option("--remove-person", help="Remove a person (repeatable).")
    ] = None,
    add_source: Annotated[list[str] | None, typer.Option("--add-source", help="Add a source (repeatable).")] = None,
    remove_source: Annotated[
        list[str] | None,
        typer.Option("--remove-source", help="Remove every source from this document (repeatable)."),
    ] = None,
    add_related: Annotated[
        list[str] | None,
        typer.Option("--add-related", help="Relate another item (id or prefix; repeatable)."),
    ] = None,
    remove_related: Annotated[
        list[str] | None,
        typer.Option("--remove-related", help="Unrelate an item (repeatable)."),
    ] = None,
    provenance: Annotated[
        str | None, typer.Option("--provenance", help="How the item was recorded ('' clears it).")
    ] = None,
    place: Annotated[str | None, typer.Option("--place", help="New place ('' clears it).")] = None,
    place_en: Annotated[str | None, typer.Option("--place-en", help="New place in English ('' clears it).")] = None,
    participants: Annotated[
        str | None, typer.Option("--participants", help="New participant figures ('' clears).")
    ] = None,
    participants_en: Annotated[
        str | None, typer.Option("--participants-en", help="New participant figures in English ('' clears).")
    ] = None,
    amount: Annotated[str | None, typer.Option("--amount", help="New amount, e.g. '54000000 JPY' ('' clears).")] = None,
    editor: Annotated[bool, typer.Option("--editor", "-e", help="Edit the whole record in $EDITOR.")] = False,
    set_kind: Annotated[str | None, typer.Option("--set-kind", help="New kind (with filters, or an ID).")] = None,
    set_status: Annotated[str | None, typer.Option("--set-status", help="New status (with filters, or an ID).")] = None,
    set_follows: Annotated[
        str | None,
        typer.Option("--set-follows", help="Follows only this meeting from now ('' none; with filters, or an ID)."),
    ] = None,
    country: Country = None,
    field: Field = None,
    since: Since = None,
    until: Until = None,
    search: Search = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="With filters: do not ask before changing.")] = False,
) -> None:
    """Change fields of an item, or of every item the filters choose (shown first, then asked).

    Example: stidiplo edit 3f2a1b --status done --add-country DK
    Example: stidiplo edit --country SE --status coordinating --set-status ongoing
    """
    from stidiplo import vocab
    from stidiplo.changes import ItemChanges
    from stidiplo.cli.bulk import edit_chosen, edit_one, one_value

    meetings: list[str] = []
    if item_id is not None:
        if any((country, field, since, until, search)):
            raise UsageError("give an ID or filters (--country, --field, --since, --until, --search), not both")
        set_kind, set_status = one_value(kind, set_kind, "kind"), one_value(status, set_status, "status")
        meetings = [m for m in follows or () if m]
        if follows and "" in follows and set_follows is None:
            set_follows = ""
    elif follows and len(follows) > 1:
        raise UsageError("choose items by one meeting (--follows) at a time")
    changes = ItemChanges(
        values={
            **_given(
                title=title,
                title_en=title_en,
                kind=set_kind and _kind(set_kind),
                status=set_status and _status(set_status),
                place=place,
                place_en=place_en,
                participants=participants,
                participants_en=participants_en,
                provenance=provenance,
                amount=amount if amount == "" else _amount(amount),
            ),
            **_span(date, end),
            **({} if estimated is None else {"date_estimated": estimated}),
            **({} if set_follows is None else {"follows": [set_follows] if set_follows else []}),
        },
        added={
            "countries": [vocab.resolve_country(c) for c in add_country or ()],
            "fields": [vocab.resolve_field(f) for f in add_field or ()],
            "follows": meetings,
            "organizations": add_org or [],
            "programmes": add_programme or [],
            "people": add_person or [],
            "people_en": add_person_en or [],
            "sources": _sources(add_source),  # type: ignore[dict-item]
            "related": add_related or [],
        },
        removed={
            "countries": [vocab.resolve_country(c) for c in remove_country or ()],
            "fields": [vocab.resolve_field(f) for f in remove_field or ()],
            "follows": unfollow or [],
            "organizations": remove_org or [],
            "programmes": remove_programme or [],
            "people": remove_person or [],
            "sources": remove_source or [],
            "related": remove_related or [],
        },
    )
    if item_id is not None:
        edit_one(item_id, changes, editor=editor)
        return
    if editor:
        raise UsageError("--editor edits one item: give its ID")
    chosen = {"country": country, "field": field, "kind": kind, "status": status}
    meeting = follows[0] if follows else None
    edit_chosen({**chosen, "since": since, "until": until, "follows": meeting, "search": search}, changes, yes=yes)
