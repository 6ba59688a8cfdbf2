"""Importing: rows planned one by one against the tracker (add, update or skip), then applied as one change.

A row that fails is reported with where it is; the rows that follow or relate to it fail too, so
what remains can be applied on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import orjson

from stidiplo import model, rules, schema
from stidiplo.changes import default_status
from stidiplo.errors import ValidationError
from stidiplo.import_cells import Row, row_fields, status_code
from stidiplo.model import JSON_KEYS, Item, Note, StatusChange
from stidiplo.tracker import Tracker

ADD, UPDATE, SKIP = "add", "update", "skip"
REFUSE, MERGE, OVERWRITE = "refuse", "merge", "overwrite"
"""What to do with a row older than the item it updates (its `updated` is before the item's):
refuse it, merge it field by field as the git merge driver does, or let it overwrite the fields."""


@dataclass(frozen=True, slots=True)
class Step:
    """What importing one row does: add a new item, update an existing one, or skip a duplicate."""

    action: str
    item: Item
    where: str
    same_as: str | None = None
    old: Item | None = None
    """The stored item an update replaces."""


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a row cannot be imported: where it is and 'field: reason'."""

    where: str
    message: str


@dataclass(slots=True)
class Plan:
    """What an import does: a step for every row that can be imported, a problem for every other row."""

    steps: list[Step]
    problems: list[Problem]

    def count(self, action: str) -> int:
        return sum(1 for step in self.steps if step.action == action)

    def changes(self) -> list[Item]:
        """The items to put into the tracker: every added and updated one."""
        return [step.item for step in self.steps if step.action != SKIP]


def _content(item: Item) -> bytes:
    """What makes two items the same record, whatever their ids, stamps and history."""
    record = item.to_record()
    for key in ("created", "updated", "history"):
        del record[key]
    record["notes"] = [[note.text, note.text_en] for note in item.notes]
    return orjson.dumps(record, option=orjson.OPT_SORT_KEYS)


class _Planner:
    """Turns rows into steps against one tracker, with one clock for every stamp it writes."""

    def __init__(self, tracker: Tracker, today: date, older: str = REFUSE) -> None:
        self.tracker = tracker
        self.today = today
        self.older = older
        self.stamp = schema.now()
        self._contents: dict[bytes, str] | None = None

    def contents(self) -> dict[bytes, str]:
        """Content → id of every existing item, built only when a row comes without an id."""
        if self._contents is None:
            self._contents = {_content(item): item.id for item in self.tracker.items.values()}
        return self._contents

    def step(self, row: Row) -> Step:
        values = row.values
        if not isinstance(values, dict):
            raise ValidationError("not an object")
        if not row.flat:
            unknown = sorted(set(values) - set(JSON_KEYS))
            if unknown:
                raise ValidationError(f"unknown field(s): {', '.join(unknown)}")
        item_id = self._id(values.get("id"))
        old = self.tracker.items.get(item_id) if item_id else None
        changes = row_fields(values, row.flat, self.tracker, self.today)
        if old is not None:
            return self._update(old, changes, row.where)
        return self._add(item_id, changes, row.where)

    def _id(self, value: object) -> str | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise ValidationError("id: must be text")
        key = value.strip().lower()
        if not rules.ITEM_ID.fullmatch(key):
            raise ValidationError(f"id: {value!r} is not a 32-character hex id (leave it empty to add a new item)")
        return key

    def _history(self, pairs: list[tuple[object, object]] | None) -> list[StatusChange] | None:
        """Status changes as given; a status may be written as its label (済, done), like the status column."""
        if pairs is None:
            return None
        return [
            StatusChange(at, status_code(status))  # type: ignore[arg-type]  # rules.validate judges them
            for at, status in pairs
        ]

    def _notes(self, entries: list[tuple[object, ...]] | None) -> list[Note] | None:
        """Notes as given; a note line without a stamp is stamped now."""
        if entries is None:
            return None
        return [Note(self.stamp if at is None else at, *rest) for at, *rest in entries]  # type: ignore[arg-type]

    def _finish(self, item: Item) -> Item:
        """The history brought up to the current status, then the whole item checked against the model."""
        item = rules.status_recorded(item, self.stamp)
        rules.validate(item)
        return item

    def _add(self, item_id: str | None, changes: dict[str, Any], where: str) -> Step:
        history = self._history(changes.pop("history", None)) or []
        notes = self._notes(changes.pop("notes", None)) or []
        date_text = changes.pop("date", None)
        status = changes.pop("status", None)
        if status is None:
            status = default_status(date_text, self.today)
        item = Item(
            id=item_id or model.new_id(),
            kind=changes.pop("kind", None) or "",
            title=changes.pop("title", None) or "",
            date=date_text,
            status=status,
            history=history,
            notes=notes,
            created=changes.pop("created", None) or self.stamp,
            updated=changes.pop("updated", None) or self.stamp,
            **changes,
        )
        item = self._finish(item)
        if item_id is None:
            key = _content(item)
            twin = self.contents().get(key)
            if twin is not None:
                return Step(SKIP, self.tracker.items.get(twin, item), where, same_as=twin)
            self.contents()[key] = item.id
        return Step(ADD, item, where)

    def _update(self, old: Item, changes: dict[str, Any], where: str) -> Step:
        """The existing item with the row's values; the columns a row leaves out keep their values."""
        history = self._history(changes.pop("history", None))
        notes = self._notes(changes.pop("notes", None))
        changes.pop("created", None)
        older = self._older(old, changes.pop("updated", None))
        if "status" in changes and changes["status"] is None:
            del changes["status"]
        for key in ("kind", "title"):
            if key in changes and changes[key] is None:
                changes[key] = ""
        item = replace(old, **changes, history=history or old.history, notes=old.notes if notes is None else notes)
        item = _logs_kept(old, item)
        if older is not None and self.older == MERGE:
            item = _merged(old, replace(item, updated=older))
        item = self._finish(item)
        if item == old:
            return Step(SKIP, old, where, same_as=old.id)
        return Step(UPDATE, replace(item, updated=self.stamp), where, old=old)

    def _older(self, old: Item, updated: object) -> str | None:
        """The row's `updated` when it is older than the stored item's; refused unless told what to do."""
        if not isinstance(updated, str) or not updated or not old.updated or updated >= old.updated:
            return None
        if self.older == REFUSE:
            raise ValidationError(
                f"updated: the row is from {updated}, but item {self.tracker.short_id(old.id)} was changed "
                f"since ({old.updated}); importing it would undo that change "
                "(--merge keeps both field by field, --overwrite takes the row)"
            )
        return updated


def _logs_kept(old: Item, new: Item) -> Item:
    """`new` with every note and status change of `old` kept: an import only ever adds to them."""
    from stidiplo.merge import merged_log

    mine, yours = old.to_record(), new.to_record()
    kept = {}
    for key in ("notes", "history"):
        if any(entry not in yours[key] for entry in mine[key]):
            kept[key] = _in_stored_order(mine[key], merged_log(mine[key], yours[key]))
    return Item.from_record(new.id, {**yours, **kept}) if kept else new


def _merged(old: Item, row: Item) -> Item:
    """The stored item and an older row merged field by field, by the git merge driver's rules."""
    from stidiplo.merge import merge_versions

    mine = old.to_record()
    record, _ = merge_versions(old.id, mine, row.to_record())
    for key in ("notes", "history"):
        record[key] = _in_stored_order(mine[key], record[key])
    return Item.from_record(old.id, record)


def _in_stored_order(stored: list[dict], merged: list[dict]) -> list[dict]:
    """A merged log that adds nothing to the stored one is the stored one, in its own order."""
    if len(merged) == len(stored) and all(entry in stored for entry in merged):
        return stored
    return merged


def _link_problems(tracker: Tracker, steps: dict[str, Step], invalid_ids: Mapping[str, str]) -> list[Problem]:
    """Rows whose follows/related name no item (or a non-meeting), once every row is in place."""
    merged = Tracker({**tracker.items, **{i: s.item for i, s in steps.items()}}, tracker.meta)
    problems = []
    for step in steps.values():
        item = step.item
        try:
            for name, ref in (*(("follows", m) for m in item.follows), *(("related", r) for r in item.related)):
                if ref not in merged.items and ref in invalid_ids:
                    raise ValidationError(f"{name}: the item it names ({invalid_ids[ref]}) cannot be imported")
            merged.check_links(item)
        except ValidationError as err:
            problems.append(Problem(step.where, str(err)))
    return problems


def plan_import(
    tracker: Tracker,
    rows: Sequence[Row],
    today: date,
    advance: Callable[[], None] | None = None,
    *,
    older: str = REFUSE,
) -> Plan:
    """What importing `rows` into `tracker` would do, row by row, and every row that cannot be imported.

    A row that fails makes the rows that follow or relate to it fail too, so what remains can be
    applied on its own. A row older than the item it updates is refused, merged or let overwrite
    the item as `older` says; notes and status history are only ever added to.
    """
    planner = _Planner(tracker, today, older)
    steps: list[Step] = []
    problems: list[Problem] = []
    invalid_ids: dict[str, str] = {}
    for row in rows:
        try:
            steps.append(planner.step(row))
        except ValidationError as err:
            problems.append(Problem(row.where, str(err)))
            raw = row.values.get("id") if isinstance(row.values, dict) else None
            if isinstance(raw, str) and raw.strip():
                invalid_ids[raw.strip().lower()] = row.where
        if advance is not None:
            advance()
    changing = {step.item.id: step for step in steps if step.action != SKIP}
    while True:
        failed = _link_problems(tracker, changing, invalid_ids)
        if not failed:
            break
        problems += failed
        failed_where = {p.where for p in failed}
        for item_id, step in list(changing.items()):
            if step.where in failed_where:
                invalid_ids[item_id] = step.where
                del changing[item_id]
    order = {row.where: number for number, row in enumerate(rows)}
    kept = [step for step in steps if step.action == SKIP or step.item.id in changing]
    return Plan(kept, sorted(problems, key=lambda p: order[p.where]))


def apply_plan(tracker: Tracker, plan: Plan) -> None:
    """Put every added and updated item into the tracker at once, exactly as planned."""
    tracker.put_all(plan.changes())
