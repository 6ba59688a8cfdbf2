"""Proposals as the records `stidiplo import` reads, so a person can review them before anything is stored.

A proposal becomes an item record with its id (stable for the same sentence, so importing a
reviewed file twice updates instead of duplicating), its source and quoted sentence in
`sources`, and one note saying which guesses to check and why. A proposal the tracker already
holds is left out: it would only be added twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from stidiplo.extract.proposals import confidence_notes
from stidiplo.model import Item, Note, Source

if TYPE_CHECKING:
    from stidiplo.extract.proposals import Proposal

NOTE_PREFIX = "extracted; check: "


def new_proposals(proposals: Sequence[Proposal]) -> list[Proposal]:
    """The proposals the tracker does not hold yet."""
    return [p for p in proposals if p.duplicate_of is None]


def as_item(proposal: Proposal, known: set[str], stamp: str) -> Item:
    """The item `proposal` drafts; `follows` is kept only when it names an id in `known`."""
    follows = proposal.follows.value if proposal.follows else None
    checks = confidence_notes(proposal)
    return Item(
        id=proposal.id,
        kind=proposal.kind.value,
        title=proposal.title.value,
        date=proposal.date.text,
        end=proposal.end.text if proposal.end else None,
        status=proposal.status.value,
        countries=list(proposal.countries.value),
        fields=list(proposal.fields.value),
        follows=[follows] if follows in known else [],
        organizations=list(proposal.organizations),
        sources=[Source(proposal.source, quote=proposal.quote), *(Source(place) for place in proposal.also_at)],
        notes=[Note(stamp, NOTE_PREFIX + "; ".join(checks))] if checks else [],
    )


def drafts(proposals: Sequence[Proposal], tracker_ids: set[str], stamp: str) -> list[Item]:
    """The items the new proposals draft, follow-ups linked to meetings in the tracker or among them."""
    chosen = new_proposals(proposals)
    known = tracker_ids | {p.id for p in chosen}
    return [as_item(p, known, stamp) for p in chosen]


def as_row(item: Item) -> dict[str, object]:
    """The item as an import record (every key `stidiplo import` reads from json), without stamps or history."""
    record = item.to_json()
    for key in ("created", "updated", "history"):
        record.pop(key)
    return record
