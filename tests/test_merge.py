"""The three-way merge of tracker files: each rule on plain dicts, and a property: the result always validates."""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stidiplo import model, rules, schema
from stidiplo.errors import NotFoundError, ValidationError
from stidiplo.gitshare import commit_message
from stidiplo.merge import changes, merge
from stidiplo.model import Item
from stidiplo.store.fileformat import parse, serialize
from stidiplo.tracker import Tracker
from stidiplo.tracker_file import tracker_from_data
from tests.helpers import STAMP, fixed_id, fixture_items, item

EU = fixed_id("eu-meeting")
ERC = fixed_id("erc")
NSF = fixed_id("nsf-call")
LUND = fixed_id("lund")
EARLY, MIDDLE, LATE = "2019-05-01T09:00:00Z", "2019-05-02T09:00:00Z", "2019-05-03T09:00:00Z"


def tracker_data(items: list[Item], as_of: str = "2019-04") -> dict:
    return {"items": {i.id: i.to_record() for i in items}, "meta": {"stidiplo": {"as_of": as_of, "schema_version": 1}}}


@pytest.fixture
def base() -> dict:
    return tracker_data(fixture_items())


def edit(data: dict, item_id: str, at: str = EARLY, **fields: object) -> dict:
    """A copy of `data` with one item's fields replaced and its `updated` stamp moved to `at`."""
    edited = copy.deepcopy(data)
    edited["items"][item_id].update(fields, updated=at)
    return edited


def without(data: dict, *item_ids: str) -> dict:
    edited = copy.deepcopy(data)
    for item_id in item_ids:
        del edited["items"][item_id]
    return edited


def with_items(data: dict, *items: Item) -> dict:
    edited = copy.deepcopy(data)
    edited["items"].update({i.id: i.to_record() for i in items})
    return edited


def notes(record: dict) -> list[str]:
    return [n["text"] for n in record["notes"]]


def assert_valid(data: dict) -> Tracker:
    """The merged data written and read back as the store does, every item valid and every link resolving."""
    tracker = tracker_from_data(parse(serialize(data), Path("merged.json")))
    for found in tracker.all():
        rules.validate(found)
        tracker.check_links(found)
    return tracker


def test_items_added_on_either_side_are_kept(base: dict) -> None:
    mine = item("mine", kind="visit", title="NSF量子専門家の来日", date="2018-10", countries=["US"])
    yours = item("yours", kind="event", title="日英科学技術協力委員会", date="2019-01", countries=["GB"])
    merged = merge(base, with_items(base, mine), with_items(base, yours))
    assert set(merged.data["items"]) == set(base["items"]) | {mine.id, yours.id}
    assert merged.data["items"][mine.id] == mine.to_record()
    assert merged.conflicts == []
    assert_valid(merged.data)


@pytest.mark.parametrize("deleted_on", ["ours", "theirs"])
def test_an_item_deleted_on_one_side_and_unchanged_on_the_other_is_deleted(base: dict, deleted_on: str) -> None:
    gone = without(base, LUND)
    merged = merge(base, gone, base) if deleted_on == "ours" else merge(base, base, gone)
    assert LUND not in merged.data["items"]
    assert merged.conflicts == []


@pytest.mark.parametrize(("deleted_on", "changed_on"), [("theirs", "ours"), ("ours", "theirs")])
def test_an_item_deleted_on_one_side_and_changed_on_the_other_is_kept_with_a_note(
    base: dict, deleted_on: str, changed_on: str
) -> None:
    gone, changed = without(base, LUND), edit(base, LUND, place="Lund University")
    merged = merge(base, changed, gone) if changed_on == "ours" else merge(base, gone, changed)
    kept = merged.data["items"][LUND]
    assert kept["place"] == "Lund University"
    expected = f"merge conflict: deleted on {deleted_on}, kept with the changes from {changed_on}"
    assert notes(kept) == [expected]
    assert kept["notes"][0]["at"] == EARLY
    assert [(c.item_id, c.field, c.note) for c in merged.conflicts] == [(LUND, "deleted", expected)]
    assert_valid(merged.data)


def test_a_field_changed_on_one_side_only_takes_that_change(base: dict) -> None:
    ours = edit(base, ERC, at=EARLY, title="JST・ERC実施取極")
    theirs = edit(base, ERC, at=LATE, place="Brussels")
    merged = merge(base, ours, theirs)
    record = merged.data["items"][ERC]
    assert (record["title"], record["place"], record["updated"]) == ("JST・ERC実施取極", "Brussels", LATE)
    assert merged.conflicts == [] and record["notes"] == []


@pytest.mark.parametrize(
    ("field", "mine", "yours"),
    [
        ("countries", "DE", "FR"),
        ("fields", "quantum", "arctic"),
        ("organizations", "NSF", "DFG"),
        ("people", "Moedas", "Córdova"),
        (
            "sources",
            {"document": "MEXT briefing", "heading": "EU", "page": "2", "quote": None},
            {"document": "https://www.jst.go.jp/b", "heading": None, "page": None, "quote": None},
        ),
        ("related", fixed_id("lund"), fixed_id("se-doc")),
    ],
)
def test_list_fields_changed_on_both_sides_merge_as_unions(base: dict, field: str, mine: str, yours: str) -> None:
    before = base["items"][ERC][field]
    merged = merge(
        base, edit(base, ERC, **{field: [*before, mine]}), edit(base, ERC, at=LATE, **{field: [*before, yours]})
    )
    assert merged.data["items"][ERC][field] == [*before, mine, yours]
    assert merged.conflicts == []
    assert_valid(merged.data)


def test_meetings_followed_merge_as_a_set(base: dict) -> None:
    us = fixed_id("us-meeting")
    both = merge(base, edit(base, ERC, follows=[EU, us]), edit(base, ERC, at=LATE, place="Kyoto"))
    assert both.data["items"][ERC]["follows"] == [EU, us]
    moved = merge(base, edit(base, ERC, follows=[EU, us]), edit(base, ERC, at=LATE, follows=[]))
    assert moved.data["items"][ERC]["follows"] == [us]
    assert_valid(moved.data)


def test_a_list_entry_removed_on_one_side_stays_removed_when_the_other_adds(base: dict) -> None:
    workshop = fixed_id("quantum-ws")
    merged = merge(base, edit(base, workshop, countries=["EU"]), edit(base, workshop, countries=["EU", "FR", "DE"]))
    assert merged.data["items"][workshop]["countries"] == ["EU", "DE"]


def test_notes_merge_in_date_order_without_repeats(base: dict) -> None:
    first = {"at": "2019-04-01T00:00:00Z", "text": "JST confirmed"}
    base = edit(base, ERC, at=STAMP, notes=[first])
    shared = {"at": LATE, "text": "signed copy filed"}
    ours = edit(base, ERC, at=LATE, notes=[first, {"at": MIDDLE, "text": "ERC replied"}, shared])
    theirs = edit(base, ERC, at=LATE, notes=[first, {"at": EARLY, "text": "call with ERC"}, shared])
    merged = merge(base, ours, theirs)
    assert notes(merged.data["items"][ERC]) == ["JST confirmed", "call with ERC", "ERC replied", "signed copy filed"]


def status_change(data: dict, item_id: str, status: str, at: str) -> dict:
    record = data["items"][item_id]
    return edit(data, item_id, at=at, status=status, history=[*record["history"], {"at": at, "status": status}])


def test_a_status_changed_on_both_sides_takes_the_later_and_merges_the_history(base: dict) -> None:
    merged = merge(base, status_change(base, NSF, "done", EARLY), status_change(base, NSF, "dropped", LATE))
    record = merged.data["items"][NSF]
    assert record["status"] == "dropped" and record["updated"] == LATE
    assert record["history"] == [
        {"at": "2019-04", "status": "coordinating"},
        {"at": EARLY, "status": "done"},
        {"at": LATE, "status": "dropped"},
    ]
    assert notes(record) == ['merge conflict on status: other value "done" (from ours)']
    assert [(c.item_id, c.field) for c in merged.conflicts] == [(NSF, "status")]
    assert_valid(merged.data)


def test_the_history_ends_with_the_status_kept(base: dict) -> None:
    ours = edit(status_change(base, NSF, "done", EARLY), NSF, at=LATE, place="Alexandria, VA")
    merged = merge(base, ours, status_change(base, NSF, "dropped", MIDDLE))
    record = merged.data["items"][NSF]
    assert record["status"] == "done"
    assert record["history"][-3:] == [
        {"at": EARLY, "status": "done"},
        {"at": MIDDLE, "status": "dropped"},
        {"at": LATE, "status": "done"},
    ]
    assert notes(record) == ['merge conflict on status: other value "dropped" (from theirs)']
    assert_valid(merged.data)


@pytest.mark.parametrize(
    ("ours_at", "theirs_at", "kept", "lost", "side"),
    [
        (LATE, EARLY, "JST–ERC arrangement", "JST/ERC IA", "theirs"),
        (EARLY, LATE, "JST/ERC IA", "JST–ERC arrangement", "ours"),
    ],
)
def test_a_scalar_changed_differently_on_both_sides_takes_the_later_and_notes_the_other(
    base: dict, ours_at: str, theirs_at: str, kept: str, lost: str, side: str
) -> None:
    ours = edit(base, ERC, at=ours_at, title_en="JST–ERC arrangement")
    theirs = edit(base, ERC, at=theirs_at, title_en="JST/ERC IA")
    record = merge(base, ours, theirs).data["items"][ERC]
    assert record["title_en"] == kept
    assert record["updated"] == LATE
    assert record["notes"] == [{"at": LATE, "text": f'merge conflict on title_en: other value "{lost}" (from {side})'}]


def test_equal_stamps_settle_a_conflict_the_same_way_from_either_side(base: dict) -> None:
    ours, theirs = edit(base, ERC, place="Brussels"), edit(base, ERC, place="Tokyo")
    one_way, other_way = merge(base, ours, theirs), merge(base, theirs, ours)
    assert one_way.data["items"][ERC]["place"] == other_way.data["items"][ERC]["place"] == "Tokyo"


def test_updated_is_the_later_and_created_the_earlier_when_both_add_the_same_item(base: dict) -> None:
    twin = item("twin", kind="office", title="JSPSロンドン事務所", date="2019-02", countries=["GB"])
    ours = with_items(base, replace(twin, created=EARLY, updated=EARLY, place="London"))
    theirs = with_items(base, replace(twin, created=MIDDLE, updated=LATE, organizations=["JSPS"]))
    record = merge(base, ours, theirs).data["items"][twin.id]
    assert (record["created"], record["updated"]) == (EARLY, LATE)
    assert (record["place"], record["organizations"]) == ("London", ["JSPS"])


def test_without_a_common_ancestor_both_sides_are_kept(base: dict) -> None:
    extra = item("extra", kind="program", title="RENKEI", date="2012-03", countries=["GB"])
    merged = merge(None, base, with_items(base, extra))
    assert set(merged.data["items"]) == set(base["items"]) | {extra.id}
    assert merged.conflicts == []


def test_the_meta_table_merges_field_by_field(base: dict) -> None:
    ours = copy.deepcopy(base)
    ours["meta"]["stidiplo"]["as_of"] = "2019-05"
    assert merge(base, ours, base).data["meta"]["stidiplo"] == {"as_of": "2019-05", "schema_version": 1}
    theirs = copy.deepcopy(base)
    theirs["meta"]["stidiplo"].update(as_of="2019-06", schema_version=0)
    merged = merge(base, ours, theirs)
    assert merged.data["meta"]["stidiplo"] == {"as_of": "2019-06", "schema_version": 1}
    assert [(c.item_id, c.field) for c in merged.conflicts] == [(None, "stidiplo.as_of")]


def test_a_follow_up_of_a_meeting_deleted_on_the_other_side_no_longer_follows_it(base: dict) -> None:
    tracker = tracker_from_data(copy.deepcopy(base))
    tracker.remove(EU, detach=True)
    theirs = {"items": {i.id: i.to_record() for i in tracker.all()}, "meta": base["meta"]}
    late = item(
        "late-followup", kind="event", title="日EU北極ワークショップ", date="2019-03", countries=["EU"], follows=[EU]
    )
    merged = merge(base, with_items(base, late), theirs)
    record = merged.data["items"][late.id]
    assert EU not in merged.data["items"]
    assert record["follows"] == []
    assert notes(record) == [f"merge conflict: follows dropped {EU}: it was deleted"]
    assert merged.data["items"][ERC]["follows"] == []
    assert_valid(merged.data)


def test_a_follow_up_of_a_meeting_that_became_another_kind_no_longer_follows_it(base: dict) -> None:
    us = fixed_id("us-meeting")
    ours = without(base, NSF)
    merged = merge(base, edit(ours, us, kind="event"), edit(base, NSF, place="Arlington"))
    assert merged.data["items"][NSF]["follows"] == []
    assert f"merge conflict: follows dropped {us}: it is now an event, not a meeting" in notes(
        merged.data["items"][NSF]
    )
    assert_valid(merged.data)


def test_a_related_item_deleted_on_the_other_side_is_unlinked(base: dict) -> None:
    se_doc = fixed_id("se-doc")
    merged = merge(base, edit(base, se_doc, related=[LUND]), without(base, LUND))
    record = merged.data["items"][se_doc]
    assert LUND not in merged.data["items"] and record["related"] == []
    assert notes(record) == [f"merge conflict: related item {LUND} was deleted"]


def test_a_very_long_conflicting_value_leaves_a_valid_note(base: dict) -> None:
    long_title = "量" * model.MAX_TEXT
    merged = merge(base, edit(base, ERC, title=long_title), edit(base, ERC, at=LATE, title="JST–ERC"))
    assert len(merged.data["items"][ERC]["notes"][0]["text"]) <= model.MAX_TEXT
    assert_valid(merged.data)


def test_an_invalid_item_on_either_side_is_refused(base: dict) -> None:
    with pytest.raises(ValidationError, match=f"item {ERC} \\(theirs\\): status: 'finished'"):
        merge(base, base, edit(base, ERC, status="finished"))


def test_identical_sides_give_that_side(base: dict) -> None:
    ours = with_items(
        edit(base, ERC, title="JST・ERC"), item("x", kind="visit", title="来訪", date="2019", countries=["SE"])
    )
    assert merge(base, ours, copy.deepcopy(ours)).data == ours


def test_changes_and_the_commit_message_summarise_a_diff(base: dict) -> None:
    new = item(
        "new",
        kind="visit",
        title="NSF量子専門家の来日",
        title_en="NSF quantum experts visit Japan",
        date="2018-10",
        countries=["US"],
    )
    after = with_items(status_change(without(base, LUND), NSF, "done", EARLY), new)
    after = edit(after, ERC, place="Brussels")
    found = changes(base, after)
    assert (found.added, found.removed, found.statuses, found.edited) == (
        [new.id],
        [LUND],
        [(NSF, "coordinating", "done")],
        [ERC],
    )
    assert commit_message(base, after).splitlines() == [
        "stidiplo: 1 added, 1 removed, 1 status changed, 1 edited",
        "",
        f"added    {new.id[:8]}  NSF quantum experts visit Japan",
        f"removed  {LUND[:8]}  Minister visits Lund",
        f"status   {NSF[:8]}  coordinating -> done  JST and NSF coordinate a joint call",
        f"edited   {ERC[:8]}  JST and ERC sign an implementing arrangement",
    ]
    assert commit_message(base, base) == "stidiplo: tracker updated"


# -- property: whatever two people do, the merge is valid and keeps one-sided work ----------------

NAMES = [i.id for i in fixture_items()][:4]
"""A few items, so that both sides often edit the same one."""
EDITS = st.one_of(
    st.tuples(st.just("status"), st.sampled_from(NAMES), st.sampled_from(model.STATUSES)),
    st.tuples(st.just("title"), st.sampled_from(NAMES), st.sampled_from(["A", "B", "日EU会合"])),
    st.tuples(st.just("country"), st.sampled_from(NAMES), st.sampled_from(["DE", "FR", "EU", "SE"])),
    st.tuples(st.just("uncountry"), st.sampled_from(NAMES), st.sampled_from(["EU", "SE", "US"])),
    st.tuples(st.just("note"), st.sampled_from(NAMES), st.sampled_from(["called", "met"])),
    st.tuples(st.just("kind"), st.sampled_from(NAMES), st.sampled_from(["event", "meeting"])),
    st.tuples(st.just("relate"), st.sampled_from(NAMES), st.sampled_from(NAMES)),
    st.tuples(st.just("remove"), st.sampled_from(NAMES), st.just("")),
    st.tuples(st.just("add"), st.sampled_from(NAMES), st.sampled_from(["n1", "n2"])),
)


def apply_edits(data: dict, edits: list[tuple[str, str, str]], side: str, clock: list[str]) -> dict:
    """Make the edits a person could make with stidiplo, skipping those the tracker refuses."""
    tracker = tracker_from_data(copy.deepcopy(data))
    for action, target, value in edits:
        clock.append(f"2019-05-{len(clock) + 1:02d}T00:00:00Z")
        found = tracker.items.get(target)
        try:
            if action == "add":
                follows = [target] if found is not None and found.kind == "meeting" else []
                tracker.put_all(
                    [
                        item(
                            f"{side}-{value}",
                            kind="event",
                            title=value,
                            date="2019-06",
                            countries=["JP"],
                            follows=follows,
                        )
                    ]
                )
            elif found is None:
                continue
            elif action == "remove":
                tracker.remove(target, detach=True)
            elif action == "note":
                tracker.note(target, value)
            elif action == "status":
                tracker.update(replace(found, status=value))
            elif action == "title":
                tracker.update(replace(found, title=value))
            elif action == "kind":
                tracker.update(replace(found, kind=value))
            elif action == "relate" and value in tracker.items:
                tracker.update(replace(found, related=list(dict.fromkeys([*found.related, value]))))
            elif action == "country":
                tracker.update(replace(found, countries=list(dict.fromkeys([*found.countries, value]))))
            elif action == "uncountry":
                tracker.update(replace(found, countries=[c for c in found.countries if c != value] or ["JP"]))
        except (ValidationError, NotFoundError):
            continue
    return {"items": {i.id: i.to_record() for i in tracker.all()}, "meta": copy.deepcopy(data["meta"])}


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(mine=st.lists(EDITS, max_size=6), yours=st.lists(EDITS, max_size=6))
def test_any_two_sets_of_edits_merge_into_a_valid_tracker(mine: list, yours: list) -> None:
    base = tracker_data(fixture_items())
    clock: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(schema, "now", lambda: clock[-1])
        ours, theirs = apply_edits(base, mine, "ours", clock), apply_edits(base, yours, "theirs", clock)
    merged = merge(base, ours, theirs)
    tracker = assert_valid(merged.data)
    for side in (ours, theirs):
        assert all(i in tracker.items for i in side["items"] if i not in base["items"])
    untouched_by_theirs = {i for i in base["items"] if theirs["items"].get(i) == base["items"][i]}
    for item_id in untouched_by_theirs - set(ours["items"]):
        assert item_id not in tracker.items
    assert merge(base, ours, copy.deepcopy(ours)).data == ours
    assert merge(base, copy.deepcopy(base), theirs).data == theirs
