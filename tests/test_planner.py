"""The import planner, called directly: what each row of a file would do to a tracker, before anything is written."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

import pytest

from stidiplo.import_cells import Row
from stidiplo.import_plan import apply_plan, plan_import
from stidiplo.tracker import Tracker
from tests.helpers import fixed_id, fixture_items

if TYPE_CHECKING:
    from collections.abc import Mapping

    from stidiplo.import_plan import Plan

TODAY = date(2019, 4, 30)
EU = fixed_id("eu-meeting")
ERC = fixed_id("erc")
NSF = fixed_id("nsf-call")
LUND = fixed_id("lund")


def fixture_tracker() -> Tracker:
    return Tracker({i.id: i for i in fixture_items()}, {"as_of": "2019-04"})


def sheet(*rows: Mapping[str, object]) -> list[Row]:
    """Rows as a CSV or workbook gives them: numbered from 2, below the header row."""
    return [Row(f"row {n}", values, flat=True) for n, values in enumerate(rows, start=2)]


def records(*values: object) -> list[Row]:
    """Rows as a JSON file gives them: items numbered from 1."""
    return [Row(f"item {n}", value, flat=False) for n, value in enumerate(values, start=1)]


def plan(rows: list[Row], tracker: Tracker | None = None) -> Plan:
    return plan_import(tracker or fixture_tracker(), rows, TODAY)


def actions(result: Plan) -> list[tuple[str, str]]:
    return [(step.where, step.action) for step in result.steps]


def problems(result: Plan) -> list[tuple[str, str]]:
    return [(problem.where, problem.message) for problem in result.problems]


# -- adds -------------------------------------------------------------------------------------


def test_a_row_without_id_adds_an_item_read_as_add_reads_it() -> None:
    result = plan(
        sheet(
            {
                "kind": "共同公募",
                "title": "日独共同公募",
                "date": "2018-04",
                "countries": "ドイツ; EU",
                "fields": "量子技術",
                "status": "実施中",
                "notes": "公募開始",
            }
        )
    )
    assert problems(result) == [] and actions(result) == [("row 2", "add")]
    added = result.steps[0].item
    assert re.fullmatch(r"[0-9a-f]{32}", added.id) and added.id not in fixture_tracker().items
    assert (added.kind, added.status, added.countries, added.fields) == (
        "joint-call",
        "ongoing",
        ["DE", "EU"],
        ["quantum"],
    )
    assert [h.status for h in added.history] == ["ongoing"]
    assert [n.text for n in added.notes] == ["公募開始"] and added.notes[0].at == added.created == added.updated
    assert result.count("add") == 1 and result.changes() == [added]


@pytest.mark.parametrize(("when", "status"), [("2018-06", "done"), ("2019-06-03", "scheduled"), ("2019-04", "done")])
def test_an_added_item_without_status_is_done_if_past_and_scheduled_if_future(when: str, status: str) -> None:
    result = plan(sheet({"kind": "event", "title": "t", "date": when, "countries": "SE"}))
    assert result.steps[0].item.status == status


def test_dates_as_people_write_them_become_stored_dates_and_ranges() -> None:
    result = plan(
        sheet(
            {"kind": "event", "title": "range", "date": "2018年9月3日～4日", "countries": "EU"},
            {"kind": "event", "title": "era", "date": "平成30年8月9日", "countries": "JP"},
            {"kind": "event", "title": "fiscal", "date": "2018年度", "countries": "SE"},
            {"kind": "event", "title": "typed", "date": date(2018, 10, 7), "end": "9 Oct 2018", "countries": "SE"},
        )
    )
    assert problems(result) == []
    spans = {step.item.title: (step.item.date, step.item.end) for step in result.steps}
    assert spans == {
        "range": ("2018-09-03", "2018-09-04"),
        "era": ("2018-08-09", None),
        "fiscal": ("FY2018", None),
        "typed": ("2018-10-07", "2018-10-09"),
    }


def test_planning_leaves_the_tracker_alone_and_applying_puts_in_every_change() -> None:
    tracker = fixture_tracker()
    result = plan(
        sheet(
            {"kind": "visit", "title": "ルンド再訪", "date": "2018-11", "countries": "SE"}, {"id": NSF, "status": "済"}
        ),
        tracker,
    )
    assert len(tracker.items) == 8 and tracker.items[NSF].status == "coordinating" and not tracker.changed_ids
    apply_plan(tracker, result)
    added = result.steps[0].item
    assert len(tracker.items) == 9 and tracker.items[added.id] == added
    assert tracker.items[NSF].status == "done"
    assert tracker.changed_ids == {added.id, NSF}


# -- updates ----------------------------------------------------------------------------------


def test_a_row_with_an_id_updates_the_columns_it_has_and_records_the_status_change() -> None:
    old = fixture_tracker().items[NSF]
    result = plan(sheet({"id": NSF.upper(), "status": "済"}))
    assert actions(result) == [("row 2", "update")]
    new = result.steps[0].item
    assert new.id == NSF and new.status == "done"
    assert [h.status for h in new.history] == ["coordinating", "done"]
    assert new.history[-1].at == new.updated != old.updated
    assert (new.title, new.countries, new.follows, new.created) == (old.title, old.countries, old.follows, old.created)


def test_a_row_that_changes_nothing_is_skipped_as_the_same_item() -> None:
    result = plan(sheet({"id": ERC, "status": "done", "title": "JSTとERCの実施取極に署名"}))
    assert actions(result) == [("row 2", "skip")]
    assert result.steps[0].same_as == ERC and result.changes() == []


def test_an_emptied_cell_clears_the_value_and_a_missing_column_keeps_it() -> None:
    result = plan(sheet({"id": LUND, "place": ""}))
    lund = result.steps[0].item
    assert lund.place is None and lund.title_en == "Minister visits Lund"


# -- the same item twice ----------------------------------------------------------------------


def test_a_new_row_equal_to_an_existing_item_is_skipped_as_that_item() -> None:
    erc = fixture_tracker().items[ERC]
    row = {
        "kind": "agreement",
        "title": erc.title,
        "title_en": erc.title_en,
        "date": erc.date,
        "countries": "EU",
        "fields": "researcher-exchange",
        "follows": EU[:8],
        "organizations": "JST\nERC",
    }
    result = plan(sheet(row))
    assert actions(result) == [("row 2", "skip")] and result.steps[0].same_as == ERC


def test_the_same_new_row_twice_in_one_file_is_added_once() -> None:
    row = {"kind": "event", "title": "seminar", "date": "2018-12", "countries": "SE"}
    result = plan(sheet(row, dict(row), {**row, "title": "another seminar"}))
    assert actions(result) == [("row 2", "add"), ("row 3", "skip"), ("row 4", "add")]
    assert result.steps[1].same_as == result.steps[0].item.id
    assert [item.title for item in result.changes()] == ["seminar", "another seminar"]


# -- invalid rows -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"kind": "party"}, "kind: 'party' is not one of"),
        ({"date": "2018-13"}, "date: "),
        ({"date": "2018-05", "end": "2018-04"}, "end: 2018-04 is before the date 2018-05"),
        ({"countries": "Atlantis"}, "countries: unknown country 'Atlantis'"),
        ({"fields": "astrology"}, "fields: unknown field 'astrology'"),
        ({"status": "finished"}, "status: 'finished' is not one of"),
        ({"follows": ERC}, f"follows: {ERC[:6]} is an agreement, not a meeting"),
        ({"follows": "f" * 32}, f"follows: no item with id {'f' * 32}"),
        ({"title": ""}, "title: must not be empty"),
        ({"amount_value": "lots"}, "amount_value: 'lots' is not a number"),
        ({"id": "nothex"}, "id: 'nothex' is not a 32-character hex id"),
        ({"notes": '["not'}, "notes: starts with [ but is not a JSON list"),
    ],
    ids=[
        "kind",
        "date",
        "end-before-date",
        "country",
        "field",
        "status",
        "follows-non-meeting",
        "follows-nothing",
        "no-title",
        "amount",
        "id",
        "notes",
    ],
)
def test_an_invalid_row_is_a_problem_and_the_valid_rows_still_plan(values: dict, message: str) -> None:
    bad = {"kind": "event", "title": "x", "date": "2018", "countries": "SE", **values}
    result = plan(sheet({"kind": "event", "title": "fine", "date": "2018", "countries": "SE"}, bad))
    assert actions(result) == [("row 2", "add")]
    assert len(result.problems) == 1 and result.problems[0].where == "row 3"
    assert result.problems[0].message.startswith(message), result.problems[0].message


def test_a_row_without_a_date_adds_an_undated_item_and_a_marked_date_an_estimated_one() -> None:
    result = plan(
        sheet(
            {"kind": "program", "title": "undated", "date": "", "countries": "SE", "status": "coordinating"},
            {"kind": "visit", "title": "inferred", "date": "≈2018-08", "countries": "CN"},
        )
    )
    undated, inferred = (step.item for step in result.steps)
    assert (undated.date, undated.date_estimated, undated.status) == (None, False, "coordinating")
    assert (inferred.date, inferred.date_estimated, inferred.status) == ("2018-08", True, "done")


def test_json_records_must_be_objects_with_known_keys_of_the_right_types() -> None:
    result = plan(
        records(
            {"kind": "event", "title": "x", "date": "2018", "colour": "red"},
            {"kind": "event", "title": "x", "date": "2018", "countries": 5},
            "not an object",
            {"kind": "event", "title": "fine", "date": "2018", "countries": ["SE"]},
        )
    )
    assert problems(result) == [
        ("item 1", "unknown field(s): colour"),
        ("item 2", "countries: must be text"),
        ("item 3", "not an object"),
    ]
    assert actions(result) == [("item 4", "add")]


def test_a_row_that_follows_an_invalid_row_is_left_out_too() -> None:
    meeting, follow = fixed_id("bad-meeting"), fixed_id("its-follow-up")
    result = plan(
        sheet(
            {"id": meeting, "kind": "meeting", "title": "m", "date": "2018-13", "countries": "SE"},
            {"id": follow, "kind": "event", "title": "f", "date": "2018-05", "countries": "SE", "follows": meeting},
            {"kind": "event", "title": "alone", "date": "2018-05", "countries": "SE"},
        ),
        Tracker({}, {}),
    )
    assert [where for where, _ in problems(result)] == ["row 2", "row 3"]
    assert result.problems[1].message == "follows: the item it names (row 2) cannot be imported"
    assert [item.title for item in result.changes()] == ["alone"]


def test_a_follow_up_may_come_before_its_meeting_in_the_file() -> None:
    meeting, follow = fixed_id("later-meeting"), fixed_id("early-follow")
    result = plan(
        records(
            {
                "id": follow,
                "kind": "agreement",
                "title": "f",
                "date": "2018-10",
                "countries": ["SE"],
                "follows": meeting,
            },
            {"id": meeting, "kind": "meeting", "title": "m", "date": "2018-01", "countries": ["SE"]},
        ),
        Tracker({}, {}),
    )
    assert problems(result) == [] and actions(result) == [("item 1", "add"), ("item 2", "add")]
    assert result.steps[0].item.follows == [meeting]


def test_a_followed_meeting_must_stay_a_meeting() -> None:
    result = plan(sheet({"id": EU, "kind": "event"}))
    assert problems(result) == [("row 2", f"kind: {EU[:6]} is followed by other items and must stay a meeting")]
    assert result.changes() == []


def test_problems_come_in_the_order_of_the_rows() -> None:
    result = plan(
        sheet(
            {"kind": "event", "title": "x", "date": "2018", "countries": "SE", "follows": "f" * 32},
            {"kind": "party", "title": "x", "date": "2018", "countries": "SE"},
            {"id": EU, "kind": "event"},
        )
    )
    assert [where for where, _ in problems(result)] == ["row 2", "row 3", "row 4"]


def test_advance_is_called_once_per_row() -> None:
    calls: list[None] = []
    rows = sheet(*({"kind": "event", "title": f"t{n}", "date": "2018", "countries": "SE"} for n in range(5)))
    plan_import(
        fixture_tracker(), [*rows, Row("row 7", {"kind": "party"}, flat=True)], TODAY, lambda: calls.append(None)
    )
    assert len(calls) == 6
