"""The tracker: every item, looked up by id prefix, changed only through checked operations."""

from __future__ import annotations

import bisect
import os
from collections.abc import Iterable
from dataclasses import replace

from stidiplo import model
from stidiplo.errors import AmbiguousIdError, NotFoundError, ValidationError
from stidiplo.model import Item, Note

MIN_SHORT_ID = 6


class Tracker:
    """All items of one tracker file, with the changes made since it was read."""

    def __init__(self, items: dict[str, Item], meta: dict) -> None:
        self.items = items
        self.meta = meta
        self.changed_ids: set[str] = set()
        self.removed_ids: set[str] = set()
        self.meta_changed = False
        self._sorted_ids: list[str] | None = None
        self._followups: dict[str, list[Item]] | None = None

    # -- looking up ---------------------------------------------------------------------------

    def all(self) -> list[Item]:
        return list(self.items.values())

    @property
    def as_of(self) -> str | None:
        """The date the recorded statuses describe, when the file says so."""
        return self.meta.get("as_of")

    def sorted_ids(self) -> list[str]:
        if self._sorted_ids is None:
            self._sorted_ids = sorted(self.items)
        return self._sorted_ids

    def resolve(self, ref: str) -> Item:
        """The item whose id is `ref` or starts with it, like a git commit prefix."""
        key = ref.strip().lower()
        if key in self.items:
            return self.items[key]
        if not key or any(c not in "0123456789abcdef" for c in key):
            raise NotFoundError(f"no item with id {ref!r} (ids are hexadecimal; see `stidiplo list`)")
        ids = self.sorted_ids()
        start = bisect.bisect_left(ids, key)
        matches = []
        for item_id in ids[start:]:
            if not item_id.startswith(key):
                break
            matches.append(item_id)
        if not matches:
            raise NotFoundError(f"no item with id {ref!r}")
        if len(matches) > 1:
            shown = ", ".join(f"{self.short_id(i)} ({self.items[i].title_in('en')[:40]})" for i in matches[:5])
            more = f" and {len(matches) - 5} more" if len(matches) > 5 else ""
            raise AmbiguousIdError(f"id {ref!r} is ambiguous: {shown}{more}")
        return self.items[matches[0]]

    def short_id(self, item_id: str) -> str:
        """The shortest prefix (at least 6 characters) that names only this item."""
        ids = self.sorted_ids()
        at = bisect.bisect_left(ids, item_id)
        neighbours = ids[max(at - 1, 0) : at] + ids[at + 1 : at + 2]
        shared = max((len(os.path.commonprefix((item_id, other))) for other in neighbours), default=0)
        return item_id[: max(MIN_SHORT_ID, shared + 1)]

    def followups(self, meeting_id: str) -> list[Item]:
        """The items that follow up a meeting, by date."""
        if self._followups is None:
            index: dict[str, list[Item]] = {}
            for item in self.items.values():
                if item.follows:
                    index.setdefault(item.follows, []).append(item)
            for followers in index.values():
                followers.sort(key=lambda i: i.start.sort_key)
            self._followups = index
        return self._followups.get(meeting_id, [])

    def related_to(self, item: Item) -> list[Item]:
        """Items linked to `item` through `related`, in either direction."""
        linked = {i for i in item.related if i in self.items}
        linked |= {other.id for other in self.items.values() if item.id in other.related}
        return sorted((self.items[i] for i in linked), key=lambda i: i.start.sort_key)

    # -- changing -----------------------------------------------------------------------------

    def check_links(self, item: Item) -> None:
        """Raise ValidationError when `follows` or `related` name a missing item or a non-meeting."""
        if item.follows is not None:
            meeting = self.items.get(item.follows)
            if meeting is None:
                raise ValidationError(f"follows: no item with id {item.follows}")
            if meeting.kind != "meeting":
                raise ValidationError(f"follows: {self.short_id(meeting.id)} is a {meeting.kind}, not a meeting")
        for ref in item.related:
            if ref not in self.items:
                raise ValidationError(f"related: no item with id {ref}")

    def _put(self, item: Item) -> Item:
        model.validate(item)
        self.check_links(item)
        self.items[item.id] = item
        self.changed_ids.add(item.id)
        self._sorted_ids = None
        self._followups = None
        return item

    def add(self, item: Item) -> Item:
        """Add a new item, stamping its creation and first status."""
        if item.id in self.items:
            raise ValidationError(f"id: {item.id} already exists")
        stamp = model.now()
        history = item.history or [model.StatusChange(stamp, item.status)]
        return self._put(replace(item, created=item.created or stamp, updated=stamp, history=history))

    def update(self, item: Item, stamp: str | None = None) -> Item:
        """Replace an existing item with an edited copy, recording a status change in its history.

        `stamp` is when the change was made (default: now), so one change has one time.
        """
        old = self.items.get(item.id)
        if old is None:
            raise NotFoundError(f"no item with id {item.id}")
        if item == old:
            return old
        stamp = stamp or model.now()
        if item.status != old.status and item.history == old.history:
            item = replace(item, history=[*old.history, model.StatusChange(stamp, item.status)])
        if item.kind != "meeting" and old.kind == "meeting" and self.followups(item.id):
            raise ValidationError(f"kind: {self.short_id(item.id)} is followed by other items and must stay a meeting")
        return self._put(replace(item, updated=stamp))

    def put_all(self, items: Iterable[Item]) -> None:
        """Add or replace items exactly as given, stamps and history kept (an import, a restore).

        Links are checked once all are in place, so the items may follow or relate to one another
        in any order; a meeting that others follow must stay a meeting.
        """
        items = list(items)
        for item in items:
            model.validate(item)
        for item in items:
            self.items[item.id] = item
            self.changed_ids.add(item.id)
        self._sorted_ids = None
        self._followups = None
        for item in items:
            self.check_links(item)
            if item.kind != "meeting" and self.followups(item.id):
                raise ValidationError(
                    f"kind: {self.short_id(item.id)} is followed by other items and must stay a meeting"
                )

    def note(self, item_id: str, text: str) -> Item:
        """Add a dated note to an item, like an annotation."""
        item = self.items[item_id]
        stamp = model.now()
        return self.update(replace(item, notes=[*item.notes, Note(stamp, text)]), stamp)

    def remove(self, item_id: str, *, detach: bool = False) -> list[Item]:
        """Remove an item; a meeting that others follow is removed only with `detach`.

        Returns the follow-ups that were detached.
        """
        followers = self.followups(item_id)
        if followers and not detach:
            raise ValidationError(
                f"{self.short_id(item_id)} is followed by {len(followers)} item(s); "
                "use --detach to keep them without a meeting, or remove them first"
            )
        for follower in followers:
            self.update(replace(follower, follows=None))
        for other in list(self.items.values()):
            if item_id in other.related:
                self.update(replace(other, related=[r for r in other.related if r != item_id]))
        del self.items[item_id]
        self.changed_ids.discard(item_id)
        self.removed_ids.add(item_id)
        self._sorted_ids = None
        self._followups = None
        return followers
