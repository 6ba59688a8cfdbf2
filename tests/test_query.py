"""Filters and sorting, called directly: which items a Filter matches and the order `select` returns."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

from stidiplo.dates import parse_stored
from stidiplo.errors import UsageError
from stidiplo.model import Note
from stidiplo.query import SORT_KEYS, Filter, select, sort_items
from tests.helpers import fixed_id, fixture_items, item

if TYPE_CHECKING:
    from stidiplo.model import Item

EU = fixed_id("eu-meeting")
US = fixed_id("us-meeting")
NAMES = ["eu-meeting", "erc", "quantum-ws", "riken", "us-meeting", "nsf-call", "lund", "se-doc"]
ITEMS = fixture_items()
BY_ID = {fixed_id(name): name for name in [*NAMES, "noted"]}


def names(items: list[Item]) -> list[str]:
    """The fixture names of `items`, in order, so a failure reads as names rather than hashes."""
    return [BY_ID[i.id] for i in items]


def matching(flt: Filter, items: list[Item] | None = None) -> set[str]:
    return set(names([i for i in (ITEMS if items is None else items) if flt.matches(i)]))


def period(since: str | None = None, until: str | None = None) -> Filter:
    return Filter(
        since=parse_stored(since) if since else None,
        until=parse_stored(until) if until else None,
    )


# -- a partial date matches every period it overlaps ------------------------------------------


def dated(text: str, end: str | None = None) -> Item:
    return item("dated", kind="event", title="t", date=text, end=end, countries=["SE"])


@pytest.mark.parametrize(
    ("date", "end", "since", "until", "expected"),
    [
        ("2018-01", None, "2018-01", None, True),  # a month-precision item matches --since that month
        ("2018-01", None, "2018-01-31", None, True),  # ... and any day in it
        ("2018-01", None, "2018-02", None, False),
        ("2018-01", None, None, "2018-01-01", True),
        ("2018-01", None, None, "2017-12-31", False),
        ("2018", None, "2018-12", "2019", True),
        ("2018", None, "2019", None, False),
        ("FY2018", None, "2019-03", None, True),  # fiscal 2018 runs to March 2019
        ("FY2018", None, "2019-04", None, False),
        ("FY2018", None, None, "2018-04", True),  # ... and from April 2018
        ("FY2018", None, None, "2018-03", False),
        ("2018-09-03", "2018-09-04", "2018-09-04", None, True),  # a range counts to its end
        ("2018-09-03", "2018-09-04", "2018-09-05", None, False),
        ("2018-09-03", "2018-10", "2018-10-31", None, True),
        ("2018-09-03", "2018-10", None, "2018-09-02", False),
        ("2018-10-07", None, "2018-10-07", "2018-10-07", True),
        ("2018-10-07", None, "FY2018", "FY2018", True),
    ],
)
def test_a_partial_date_matches_the_periods_it_overlaps(
    date: str, end: str | None, since: str | None, until: str | None, expected: bool
) -> None:
    assert period(since, until).matches(dated(date, end)) is expected


# -- each filter ------------------------------------------------------------------------------


def test_an_empty_filter_matches_every_item() -> None:
    assert matching(Filter()) == set(NAMES)


def test_country_matches_any_of_the_item_countries() -> None:
    assert matching(Filter(countries=frozenset({"FR"}))) == {"quantum-ws"}
    assert matching(Filter(countries=frozenset({"BE", "SE"}))) == {"riken", "lund", "se-doc"}
    assert matching(Filter(countries=frozenset({"DE"}))) == set()


def test_field_kind_and_status() -> None:
    assert matching(Filter(fields=frozenset({"quantum", "digital"}))) == {"quantum-ws", "nsf-call"}
    assert matching(Filter(kinds=frozenset({"meeting"}))) == {"eu-meeting", "us-meeting"}
    assert matching(Filter(statuses=frozenset({"coordinating"}))) == {"nsf-call"}


def test_follows_matches_the_follow_ups_of_one_meeting() -> None:
    assert matching(Filter(follows=EU)) == {"erc", "quantum-ws", "riken"}
    assert matching(Filter(follows=US)) == {"nsf-call"}


def test_conditions_are_all_required() -> None:
    flt = Filter(countries=frozenset({"EU"}), kinds=frozenset({"agreement", "office"}), since=parse_stored("2018-11"))
    assert matching(flt) == {"riken"}


def test_search_looks_in_titles_places_organizations_people_and_notes_whatever_the_width_and_case() -> None:
    noted = item(
        "noted",
        kind="visit",
        title="訪問",
        date="2018",
        countries=["SE"],
        people=["Dr. Ｌｉｎｄ"],
        notes=[Note("2019-01-01T00:00:00Z", "Budget agreed in principle")],
    )
    items = [*ITEMS, noted]
    assert matching(Filter(search="lund"), items) == {"lund"}  # title_en and place
    assert matching(Filter(search="ＪＳＴ"), items) == {"erc", "nsf-call"}  # full-width, in organizations
    assert matching(Filter(search="量子"), items) == {"quantum-ws"}
    assert matching(Filter(search="dr. lind"), items) == {"noted"}
    assert matching(Filter(search="IN PRINCIPLE"), items) == {"noted"}
    assert matching(Filter(search="washington"), items) == {"us-meeting"}
    assert matching(Filter(search="nowhere"), items) == set()


def test_admits_judges_stored_records_like_matches() -> None:
    flt = Filter(countries=frozenset({"EU"}), kinds=frozenset({"event"}))
    for one in ITEMS:
        assert flt.admits(one.to_record()) == flt.matches(one), one.title_en
    assert flt.judges_records and not Filter(search="x").judges_records
    assert flt.admits({"kind": ["not", "a", "code"], "countries": ["EU"]})  # building the item will say why


# -- sort orders and limit --------------------------------------------------------------------


BY_DATE = ["eu-meeting", "lund", "us-meeting", "quantum-ws", "erc", "se-doc", "riken", "nsf-call"]


def test_select_sorts_by_date_by_default() -> None:
    assert names(select(ITEMS, Filter())) == BY_DATE


DATES = [("fiscal", "FY2018"), ("month", "2018-04"), ("day", "2018-04-01"), ("year", "2018")]


def test_dates_sort_by_their_first_day_then_by_their_last() -> None:
    """Of dates that begin on the same day, the one that ends first comes first."""
    made = [item(name, kind="event", title=name, date=text, countries=["SE"]) for name, text in DATES]
    assert [i.title for i in select(made, Filter())] == ["year", "day", "month", "fiscal"]


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("title", ["erc", "nsf-call", "lund", "us-meeting", "eu-meeting", "se-doc", "quantum-ws", "riken"]),
        ("kind", ["erc", "se-doc", "quantum-ws", "nsf-call", "eu-meeting", "us-meeting", "riken", "lund"]),
        ("status", ["nsf-call", *(n for n in BY_DATE if n != "nsf-call")]),
        ("country", ["riken", "eu-meeting", "quantum-ws", "erc", "lund", "se-doc", "us-meeting", "nsf-call"]),
        ("created", BY_DATE),  # every stamp is the same: ties fall back to the date
    ],
)
def test_each_sort_key_orders_by_its_value_then_by_date(key: str, expected: list[str]) -> None:
    assert names(select(ITEMS, Filter(), key)) == expected


def test_sort_by_updated_puts_the_latest_change_last() -> None:
    items = [replace(ITEMS[0], updated="2019-05-01T00:00:00Z"), replace(ITEMS[-1], updated="2018-01-01T00:00:00Z")]
    items += ITEMS[1:-1]
    assert names(select(items, Filter(), "updated")) == [
        "se-doc",
        *(n for n in BY_DATE[1:] if n != "se-doc"),
        "eu-meeting",
    ]


def test_reverse_is_the_same_order_backwards() -> None:
    for key in SORT_KEYS:
        assert select(ITEMS, Filter(), key, reverse=True) == select(ITEMS, Filter(), key)[::-1], key


@pytest.mark.parametrize("key", SORT_KEYS)
@pytest.mark.parametrize("limit", [0, 1, 3, 7, 8, 20])
@pytest.mark.parametrize("reverse", [False, True])
def test_a_limit_keeps_the_first_of_the_full_order(key: str, limit: int, reverse: bool) -> None:
    full = select(ITEMS, Filter(), key, reverse=reverse)
    assert select(ITEMS, Filter(), key, limit=limit, reverse=reverse) == full[:limit]


def test_limit_applies_after_the_filter() -> None:
    assert names(select(ITEMS, Filter(follows=EU), limit=2)) == ["quantum-ws", "erc"]


def test_sort_items_matches_select_without_a_filter() -> None:
    for key in SORT_KEYS:
        assert sort_items(ITEMS, key) == select(ITEMS, Filter(), key)


def test_an_unknown_sort_key_is_a_usage_error_naming_the_choices() -> None:
    with pytest.raises(UsageError, match="cannot sort by 'colour'; use one of: date, title"):
        select(ITEMS, Filter(), "colour")
