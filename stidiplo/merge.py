"""Three-way merge of tracker files, item by item and field by field, so that sharing never needs hand edits.

Pure: three parsed file dicts (as `fileformat.parse` returns them) in, the merged dict and what had to be
settled out. Edits made on one side only are taken; edits made differently on both sides are settled
by rules (the later `updated` wins, the other value is kept in the item's notes), so the result is
always a valid tracker. The same rules serve `import`: an item's two versions merged
(`merge_versions`, for --merge) and its notes and history kept whole (`merged_log`). `changes`
says what differs between two versions of a file (what a sync brought in, what a commit holds).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from stidiplo import model, rules
from stidiplo.errors import ValidationError
from stidiplo.model import RECORD_KEYS, Item, a_kind
from stidiplo.rules import LOG_KEYS, VALUE_LISTS
from stidiplo.schema import ITEMS, META, META_DOC
from stidiplo.tracker import Tracker

BASE, OURS, THEIRS = "base", "ours", "theirs"
CONFLICT_NOTE = "merge conflict"
"""How every note the merge writes about a conflict begins."""
_ABSENT = object()
_SHOWN = model.MAX_TEXT - 200
"""The longest other value quoted in a note, so the note itself stays valid."""


@dataclass(frozen=True, slots=True)
class Conflict:
    """Something both sides changed differently, and the note that records how it was settled."""

    item_id: str | None
    """The item it concerns; None for the meta table."""
    field: str
    note: str


@dataclass(frozen=True, slots=True)
class Merged:
    data: dict
    conflicts: list[Conflict]


def _other(side: str) -> str:
    return THEIRS if side == OURS else OURS


def _shown(value: object) -> str:
    """A value as JSON text, the way a note quotes it (shortened when very long)."""
    shown = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return shown if len(shown) <= _SHOWN else shown[:_SHOWN] + "…"


def _canonical(item_id: str, record: dict, side: str) -> dict:
    """The stored form with every key present, so that 'unchanged' means equal; an edited side's items
    must be valid, so that a fault is reported where it is rather than in the merged result."""
    item = Item.from_record(item_id, record)
    if side != BASE:
        try:
            rules.validate(item)
        except ValidationError as err:
            raise ValidationError(f"item {item_id} ({side}): {err}") from None
    return item.to_record()


def _one_sided(old: object, mine: object, yours: object) -> tuple[bool, object]:
    """(True, value) when at most one side changed a value (`_ABSENT` if it removed it), else (False, None)."""
    if mine == yours or yours == old:
        return True, mine
    if mine == old:
        return True, yours
    return False, None


def _merge_set(base: list, ours: list, theirs: list) -> list:
    """Entries compared as JSON text, so that sources (objects) merge like ids and names."""
    old, mine, yours = ({_shown(v) for v in side} for side in (base, ours, theirs))
    removed = (old - mine) | (old - yours)
    merged: dict[str, object] = {}
    for value in (*ours, *theirs):
        key = _shown(value)
        if key not in removed:
            merged.setdefault(key, value)
    return list(merged.values())


def merged_log(ours: list[dict], theirs: list[dict]) -> list[dict]:
    """Both logs (notes, history) as one, in date order, each entry once: never shortened; ties ordered by
    content so either side gives the same."""
    unique = {_shown(entry): entry for entry in (*ours, *theirs)}
    return [unique[key] for key in sorted(unique, key=lambda k: (unique[k]["at"], k))]


def _winner(ours: dict, theirs: dict, key: str) -> str:
    """The side whose value of `key` is kept: the later `updated`, then (a tie) the larger value, so that
    merging in either direction gives the same file."""
    if ours["updated"] != theirs["updated"]:
        return OURS if ours["updated"] > theirs["updated"] else THEIRS
    return OURS if _shown(ours[key]) > _shown(theirs[key]) else THEIRS


def _merge_item(item_id: str, base: dict, ours: dict, theirs: dict) -> tuple[dict, list[Conflict]]:
    """One item present on both sides; `base` is {} when both added it."""
    merged: dict = {}
    conflicts: list[Conflict] = []
    for key in sorted(RECORD_KEYS):
        empty: list | None = [] if key in VALUE_LISTS or key in LOG_KEYS else None
        settled, value = _one_sided(base.get(key, empty), ours[key], theirs[key])
        mine, yours = ours[key], theirs[key]
        if settled:
            merged[key] = value
        elif key == "updated":
            merged[key] = max(mine, yours)
        elif key == "created":
            merged[key] = min(mine, yours) if mine and yours else mine or yours
        elif key in VALUE_LISTS:
            merged[key] = _merge_set(base.get(key) or [], mine, yours)
        elif key in LOG_KEYS:
            merged[key] = merged_log(mine, yours)
        else:
            side = _winner(ours, theirs, key)
            kept, lost = (ours, theirs) if side == OURS else (theirs, ours)
            merged[key] = kept[key]
            note = f"{CONFLICT_NOTE} on {key}: other value {_shown(lost[key])} (from {_other(side)})"
            conflicts.append(Conflict(item_id, key, note))
    history = merged["history"]
    if history and history[-1]["status"] != merged["status"]:
        merged["history"] = [*history, {"at": max(merged["updated"], history[-1]["at"]), "status": merged["status"]}]
    return merged, conflicts


def merge_versions(item_id: str, ours: dict, theirs: dict) -> tuple[dict, list[Conflict]]:
    """Two stored versions of one item with no common ancestor (the tracker's and an import row's),
    merged by the rules above: lists united, the later `updated` winning each field both set, and
    each value it loses kept in a note of the item."""
    merged, conflicts = _merge_item(item_id, {}, ours, theirs)
    for conflict in conflicts:
        _note(merged, conflict.note)
    return merged, conflicts


def _merge_items(base: dict, ours: dict, theirs: dict) -> tuple[dict, list[Conflict]]:
    merged: dict = {}
    conflicts: list[Conflict] = []
    for item_id in sorted(set(ours) | set(theirs) | set(base)):
        old, mine, yours = (
            _canonical(item_id, t[item_id], side) if item_id in t else None
            for t, side in ((base, BASE), (ours, OURS), (theirs, THEIRS))
        )
        if mine is not None and yours is not None:
            merged[item_id], found = _merge_item(item_id, old or {}, mine, yours)
            conflicts += found
        elif mine is None and yours is None:
            continue
        else:
            side, kept = (OURS, mine) if mine is not None else (THEIRS, yours)
            if old is None:
                merged[item_id] = kept
            elif kept != old:
                merged[item_id] = kept
                note = f"{CONFLICT_NOTE}: deleted on {_other(side)}, kept with the changes from {side}"
                conflicts.append(Conflict(item_id, "deleted", note))
    return merged, conflicts


def _repair_links(items: dict) -> list[Conflict]:
    """Drop from `follows` and `related` the ids that no longer name an item (or, for follows, a meeting)."""
    repairs: list[Conflict] = []
    for item_id, record in items.items():
        for meeting in [m for m in record["follows"] if items.get(m, {}).get("kind") != "meeting"]:
            record["follows"] = [m for m in record["follows"] if m != meeting]
            why = "was deleted" if meeting not in items else f"is now {a_kind(items[meeting]['kind'])}, not a meeting"
            repairs.append(Conflict(item_id, "follows", f"{CONFLICT_NOTE}: follows dropped {meeting}: it {why}"))
        for ref in [r for r in record["related"] if r not in items]:
            record["related"] = [r for r in record["related"] if r != ref]
            repairs.append(Conflict(item_id, "related", f"{CONFLICT_NOTE}: related item {ref} was deleted"))
    return repairs


def _merge_meta(base: dict, ours: dict, theirs: dict) -> tuple[dict, list[Conflict]]:
    """The meta table, doc by doc and field by field; the schema version is the higher one."""
    merged: dict = {}
    conflicts: list[Conflict] = []
    for doc_id in sorted(set(ours) | set(theirs)):
        old, mine, yours = (t.get(doc_id) or {} for t in (base, ours, theirs))
        doc: dict = {}
        for key in sorted(set(mine) | set(yours)):
            a, b, o = mine.get(key, _ABSENT), yours.get(key, _ABSENT), old.get(key, _ABSENT)
            settled, value = _one_sided(o, a, b)
            if key == "schema_version":
                value = max(v for v in (a, b) if isinstance(v, int))
            elif not settled and _ABSENT in (a, b):
                value = b if a is _ABSENT else a
            elif not settled:
                value, lost = sorted((a, b), key=_shown, reverse=True)
                conflicts.append(
                    Conflict(
                        None,
                        f"{doc_id}.{key}",
                        f"{CONFLICT_NOTE} on meta {doc_id}.{key}: kept {_shown(value)}, other value {_shown(lost)}",
                    )
                )
            if value is not _ABSENT:
                doc[key] = value
        merged[doc_id] = doc
    return merged, conflicts


def _note(record: dict, text: str) -> None:
    if not any(n["text"] == text for n in record["notes"]):
        record["notes"] = [*record["notes"], {"at": record["updated"], "text": text}]


def _validated(items: dict, meta: dict) -> None:
    """Raise ValidationError naming the merged item that breaks the model or links to nothing."""
    tracker = Tracker({i: Item.from_record(i, r) for i, r in items.items()}, meta)
    for item in tracker.items.values():
        try:
            tracker.check(item)
        except ValidationError as err:
            raise ValidationError(f"the merged item {item.id} would be invalid: {err}") from None


def merge(base: dict | None, ours: dict, theirs: dict) -> Merged:
    """Merge two edited versions of a tracker file with their common ancestor (None: they share none).

    Raises ValidationError when a version holds a malformed item or the merge cannot be made valid.
    """
    base = base or {ITEMS: {}, META: {}}
    items, conflicts = _merge_items(base.get(ITEMS, {}), ours.get(ITEMS, {}), theirs.get(ITEMS, {}))
    conflicts += _repair_links(items)
    for conflict in conflicts:
        if conflict.item_id is not None:
            _note(items[conflict.item_id], conflict.note)
    meta, meta_conflicts = _merge_meta(base.get(META, {}), ours.get(META, {}), theirs.get(META, {}))
    _validated(items, meta.get(META_DOC, {}))
    data: dict[str, object] = {ITEMS: items, META: meta}
    for table in sorted((set(ours) | set(theirs)) - {ITEMS, META}):
        mine, yours = ours.get(table, _ABSENT), theirs.get(table, _ABSENT)
        settled, value = _one_sided(base.get(table, _ABSENT), mine, yours)
        value = value if settled else yours if mine is _ABSENT else mine
        if value is not _ABSENT:
            data[table] = value
    return Merged(data, conflicts + meta_conflicts)


@dataclass(frozen=True, slots=True)
class Changes:
    """What differs between two versions of a tracker file, by item id."""

    added: list[str]
    removed: list[str]
    statuses: list[tuple[str, str, str]]
    """(id, old status, new status) of items whose status changed."""
    edited: list[str]
    """Items changed in other ways only."""
    conflicts: list[tuple[str, str]]
    """(id, text) of merge-conflict notes that appeared."""


def changes(before: dict, after: dict) -> Changes:
    """Compare two versions of a tracker file (either may be an empty dict: no file)."""
    old, new = before.get(ITEMS, {}), after.get(ITEMS, {})
    added = [i for i in new if i not in old]
    removed = [i for i in old if i not in new]
    statuses, edited, conflicts = [], [], []
    for item_id in (i for i in new if i in old and new[i] != old[i]):
        was, now = old[item_id], new[item_id]
        if was["status"] != now["status"]:
            statuses.append((item_id, was["status"], now["status"]))
        else:
            edited.append(item_id)
    for item_id, record in new.items():
        seen = {n.get("text") for n in old.get(item_id, {}).get("notes") or ()}
        conflicts += [
            (item_id, n["text"])
            for n in record.get("notes") or ()
            if n.get("text", "").startswith(CONFLICT_NOTE) and n["text"] not in seen
        ]
    return Changes(added, removed, statuses, edited, conflicts)
