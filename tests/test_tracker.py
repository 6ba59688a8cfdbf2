"""The tracker builds an item from its stored record only when a command needs it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stidiplo import model, tracker_file
from stidiplo.query import Filter, select
from stidiplo.store import Store
from stidiplo.tracker import Tracker
from tests.helpers import SHIPPED, fixed_id


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the items built from their records, in order."""
    ids: list[str] = []
    build = model.Item.from_record.__func__

    def counting(cls, item_id: str, record: dict) -> model.Item:
        ids.append(item_id)
        return build(cls, item_id, record)

    monkeypatch.setattr(model.Item, "from_record", classmethod(counting))
    return ids


def test_loading_builds_no_item(db: Path, built: list[str]) -> None:
    tracker = tracker_file.load(Store(db))
    assert len(tracker.items) == 8 and built == []
    assert tracker.resolve(fixed_id("lund")[:8]).title_en == "Minister visits Lund"
    assert built == [fixed_id("lund")]


def test_a_filter_builds_only_the_items_it_may_match(db: Path, built: list[str]) -> None:
    tracker = tracker_file.load(Store(db))
    flt = Filter(countries=frozenset({"SE"}))
    chosen = select(tracker.candidates(flt), flt)
    assert [i.id for i in chosen] == [fixed_id("lund"), fixed_id("se-doc")]
    assert sorted(built) == sorted(i.id for i in chosen)


def test_followups_of_a_meeting_build_only_them(db: Path, built: list[str]) -> None:
    tracker = tracker_file.load(Store(db))
    followers = tracker.followups(fixed_id("us-meeting"))
    assert [i.id for i in followers] == [fixed_id("nsf-call")] and built == [fixed_id("nsf-call")]


def test_changed_items_are_seen_by_the_lazy_lookups(db: Path) -> None:
    with tracker_file.transaction(Store(db)) as tracker:
        tracker.update(replace(tracker.items[fixed_id("lund")], countries=["FI"]))
        sweden, finland = Filter(countries=frozenset({"SE"})), Filter(countries=frozenset({"FI"}))
        assert [i.id for i in select(tracker.candidates(sweden), sweden)] == [fixed_id("se-doc")]
        assert [i.id for i in select(tracker.candidates(finland), finland)] == [fixed_id("lund")]


SHIPPED_TRACKER = tracker_file.load(Store(SHIPPED))
VALUES = {
    "countries": sorted({c for i in SHIPPED_TRACKER.all() for c in i.countries}),
    "fields": sorted({f for i in SHIPPED_TRACKER.all() for f in i.fields}),
    "kinds": list(model.KINDS),
    "statuses": list(model.STATUSES),
}


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(
    countries=st.frozensets(st.sampled_from(VALUES["countries"]), max_size=2),
    fields=st.frozensets(st.sampled_from(VALUES["fields"]), max_size=2),
    kinds=st.frozensets(st.sampled_from(VALUES["kinds"]), max_size=2),
    statuses=st.frozensets(st.sampled_from(VALUES["statuses"]), max_size=2),
    follows=st.sampled_from([None, *sorted(i.id for i in SHIPPED_TRACKER.all() if i.kind == "meeting")]),
)
def test_prefiltering_records_never_loses_a_match(countries, fields, kinds, statuses, follows) -> None:
    flt = Filter(countries=countries, fields=fields, kinds=kinds, statuses=statuses, follows=follows)
    fresh = tracker_file.load(Store(SHIPPED))
    assert select(fresh.candidates(flt), flt) == select(SHIPPED_TRACKER.all(), flt)


def test_a_malformed_record_is_reported_when_its_item_is_needed(run, db: Path) -> None:
    data = json.loads(db.read_text(encoding="utf-8"))
    del data["items"][fixed_id("riken")]["kind"]
    db.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    sweden = run("list", "--country", "sweden")
    assert sweden.exit_code == 0 and "Lund" in sweden.stdout
    everything = run("list")
    assert everything.exit_code == 1 and f"item {fixed_id('riken')} is damaged: kind: missing" in everything.stderr
    assert len(everything.stderr.strip().splitlines()) == 1
    assert fixed_id("riken")[:6] in run("check").stdout


def test_a_country_briefing_builds_only_that_countrys_items(db: Path, built: list[str]) -> None:
    from datetime import date

    from stidiplo.followups import brief_country

    report = brief_country(tracker_file.load(Store(db)), "SE", date(2019, 4, 30))
    assert sorted(built) == sorted([fixed_id("lund"), fixed_id("se-doc")])
    assert {i.id for s in report.others for i in s.items} == {fixed_id("lund"), fixed_id("se-doc")}


def test_removing_an_item_builds_only_the_items_linked_to_it(db: Path, built: list[str]) -> None:
    with tracker_file.transaction(Store(db)) as tracker:
        tracker.update(replace(tracker.items[fixed_id("lund")], related=[fixed_id("se-doc")]))
        built.clear()
        tracker.remove(fixed_id("se-doc"))
        assert built == []  # Lund, linked to it, was built already; no other item is
        assert tracker.items[fixed_id("lund")].related == []


@settings(max_examples=60, deadline=None)
@given(st.sets(st.text("0123", min_size=8, max_size=8), min_size=1, max_size=40))
def test_every_short_id_at_once_is_each_asked_alone(endings: set[str]) -> None:
    ids = [("ab" * 12 + ending)[:32] for ending in endings]  # ids sharing long prefixes
    items = {i: model.Item(id=i, kind="event", title=i, date="2019", status="done") for i in ids}
    tracker = Tracker(items, {})
    assert tracker.short_ids() == {i: tracker.short_id(i) for i in ids}


def test_the_log_is_newest_first_then_by_action_then_item_with_ties_as_recorded() -> None:
    from stidiplo import activity

    items = list(tracker_file.load(Store(SHIPPED)).items.values())
    rank = {name: n for n, name in enumerate(activity.ACTIONS)}
    recorded = [e for item in items for e in activity.item_events(item)]
    expected = sorted(recorded, key=lambda e: (activity._stamp_key(e.at), rank[e.action], e.item.id), reverse=True)
    assert activity.log(items) == expected
    assert activity.log(list(reversed(items))) == sorted(
        [e for item in reversed(items) for e in activity.item_events(item)],
        key=lambda e: (activity._stamp_key(e.at), rank[e.action], e.item.id),
        reverse=True,
    )
