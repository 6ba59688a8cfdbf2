"""A Tracker read from its store, and its changes written back: the bridge between records and items.

The store (below) knows the file and its records; the tracker (beside this module) knows items.
Here one becomes the other, so that neither imports the other's side.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from stidiplo import rules
from stidiplo.store import changed_data
from stidiplo.store.fileformat import stored
from stidiplo.store.records import StoredItems
from stidiplo.tracker import ItemMap, Tracker

if TYPE_CHECKING:
    from stidiplo.store import Store


def tracker_from_data(data: dict) -> Tracker:
    """The domain view of parsed file data; each item is built from its record when first used."""
    return _tracker(StoredItems.parsed(*stored(data)))


def _tracker(records: StoredItems) -> Tracker:
    """The tracker over a file's records as the store gives them (with its index, if any)."""
    return Tracker(ItemMap.of_stored(records), dict(records.meta))


def _changes(tracker: Tracker) -> tuple[dict[str, dict], set[str]]:
    """The records of the items changed since the tracker was read, and the ids removed."""
    changed = {i: tracker.items[i].to_record() for i in tracker.changed_ids if i in tracker.items}
    return changed, set(tracker.removed_ids)


def data_from_tracker(tracker: Tracker, data: dict | None = None) -> dict:
    """File data with the tracker's changes applied (a new file holding all its items when `data` is None)."""
    if data is None:
        records = {i: item.to_record() for i, item in tracker.items.items()}
        return changed_data(None, records, (), tracker.meta)
    changed, removed = _changes(tracker)
    return changed_data(data, changed, removed, tracker.meta)


def load(store: Store) -> Tracker:
    """The tracker, read once without the lock (replaces are atomic, so the file is always whole);
    each item is built from its record, parsed, when first used."""
    return _tracker(store.records(usable))


def usable(record: object) -> bool:
    """Whether a stored record can be used as an item (what the store's index remembers)."""
    return rules.record_problem(record) is None


@contextmanager
def transaction(store: Store) -> Iterator[Tracker]:
    """Lock, re-read, let the caller change the tracker, then write it once if it changed."""
    with store.session() as session:
        tracker = _tracker(session.records)
        yield tracker
        if tracker.changed_ids or tracker.removed_ids or tracker.meta_changed:
            changed, removed = _changes(tracker)
            session.save(changed, removed, tracker.meta, sound=tracker.items.sound)
