"""One change made to several items: what it would do to each, shown before it is made.

`edit --country SE --status coordinating --set-status ongoing` chooses items with the listing's
filters and plans the same ItemChanges for each; the plan lists, per item, every field that would
change from what to what, and leaves out the items it would not change. The command shows the plan,
asks, and applies it in one write, so one `undo` takes it all back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from stidiplo import rules, schema
from stidiplo.changes import FieldChange, field_changes
from stidiplo.errors import StidiploError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from stidiplo.changes import ItemChanges
    from stidiplo.model import Item
    from stidiplo.tracker import Tracker

SHOWN_FIELDS = (
    "kind",
    "title",
    "title_en",
    "date",
    "end",
    "status",
    "countries",
    "fields",
    "follows",
    "related",
    "organizations",
    "people",
    "sources",
    "place",
    "participants",
    "amount",
)
"""The fields a planned edit shows, in the order `show` lists them."""


@dataclass(frozen=True)
class PlannedEdit:
    """An item the change would alter, and how."""

    item: Item
    fields: list[FieldChange]


def plan_edits(tracker: Tracker, items: Iterable[Item], changes: ItemChanges) -> list[PlannedEdit]:
    """What `changes` would do to each of `items`, checked against the model; unchanged items left out.

    Nothing is changed: each edited copy is validated as the tracker would validate it, so a
    change that one of the items cannot take is refused before anyone is asked.
    """
    resolved = changes.with_ids(tracker.id_of)
    stamp = schema.now()
    planned = []
    for item in items:
        after = resolved.applied_to(item, stamp)
        if after == item:
            continue
        after = rules.status_recorded(after, stamp)  # as Tracker.update records a new status
        try:
            tracker.check(after)
        except StidiploError as err:
            raise type(err)(f"{tracker.short_id(item.id)}: {err}; nothing was changed") from None
        planned.append(PlannedEdit(item, field_changes(item, after, SHOWN_FIELDS)))
    return planned


def apply_edits(tracker: Tracker, ids: Iterable[str], changes: ItemChanges) -> int:
    """Make `changes` to each item of `ids` still in the tracker; how many items changed."""
    changed = 0
    for item_id in ids:
        if item_id in tracker.items:
            before = tracker.items[item_id]
            changed += tracker.change(item_id, changes) != before
    return changed
