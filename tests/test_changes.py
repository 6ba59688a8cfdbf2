"""One set of rules for every write: countries, amounts, status history, `follows`; on add, edit, import, check."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from stidiplo.amounts import parse_amount
from stidiplo.changes import ItemChanges, merged_values
from stidiplo.errors import ValidationError
from stidiplo.model import Amount, Item, StatusChange
from stidiplo.rules import follows_problem, status_recorded
from tests.helpers import fixed_id, item, write_tracker

if TYPE_CHECKING:
    from tests.helpers import Result

ERC = fixed_id("erc")
EU = fixed_id("eu-meeting")


def stored(db: Path) -> dict:
    return json.loads(db.read_text(encoding="utf-8"))["items"]


def add(run: Callable[..., Result], *extra: str) -> Result:
    """`add` an event with every required value and `extra`."""
    return run("add", "-k", "event", "-t", "t", "-d", "2018", "-c", "SE", *extra)


# -- countries ----------------------------------------------------------------------------------


def test_edit_cannot_remove_the_last_country(run, db: Path) -> None:
    before = db.read_bytes()
    result = run("edit", ERC[:8], "--remove-country", "EU")
    assert result.exit_code == 2
    assert result.stderr == "stidiplo: countries: an item needs at least one country or bloc\n"
    assert db.read_bytes() == before


def test_edit_may_swap_the_only_country(run, db: Path) -> None:
    assert run("edit", ERC[:8], "--remove-country", "EU", "--add-country", "DE").exit_code == 0
    assert stored(db)[ERC]["countries"] == ["DE"]


def test_import_refuses_a_row_without_a_country(run, db: Path, tmp_path: Path) -> None:
    source = tmp_path / "rows.csv"
    source.write_text("kind,title,date,countries\nevent,with,2018,SE\nevent,without,2018,\n", encoding="utf-8")
    before = db.read_bytes()
    result = run("import", str(source))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "stidiplo: row 3: countries: an item needs at least one country or bloc"
    assert db.read_bytes() == before


def test_import_cannot_empty_the_countries_of_an_item(run, db: Path, tmp_path: Path) -> None:
    source = tmp_path / "rows.json"
    source.write_text(json.dumps([{"id": ERC, "countries": []}]), encoding="utf-8")
    result = run("import", str(source))
    assert result.exit_code == 1 and "countries: an item needs at least one country or bloc" in result.stderr
    assert stored(db)[ERC]["countries"] == ["EU"]


def test_check_reports_an_item_without_a_country(run, tmp_path: Path) -> None:
    path = write_tracker(
        tmp_path / "db.json", [item("bare", kind="event", title="t", date="2018", countries=[])], as_of=None
    )
    result = run("--db", str(path), "check")
    assert result.exit_code == 1
    assert "countries: an item needs at least one country or bloc" in result.stdout


# -- amounts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "says"),
    [
        ("-5 JPY", "amount: -5 is negative"),
        ("5 ZZZ", "amount: 'ZZZ' is not an ISO 4217 currency code"),
        ("5", "amount '5': write a number and a currency, e.g. '54000000 JPY'"),
        ("5 JPY per project", "write a number and a currency"),
        ("many JPY", "amount: 'many' is not a number"),
    ],
)
def test_add_refuses_an_amount_that_is_not_a_number_and_a_currency(run, db: Path, amount: str, says: str) -> None:
    before = db.read_bytes()
    result = add(run, "--amount", amount)
    assert result.exit_code == 2 and says in result.stderr and result.stderr.count("\n") == 1
    assert db.read_bytes() == before


def test_edit_refuses_a_negative_amount_and_keeps_the_detail_of_a_good_one(run, db: Path) -> None:
    assert run("edit", ERC[:8], "--amount", "-5 JPY").exit_code == 2
    short = add(run, "--amount", "3 EUR", "--amount-detail", "per project").stdout.strip()
    assert run("edit", short, "--amount", "4 eur").exit_code == 0
    record = next(r for k, r in stored(db).items() if k.startswith(short))
    assert record["amount"] == {"value": 4, "currency": "EUR", "detail": "per project"}
    assert run("edit", short, "--amount", "").exit_code == 0
    assert next(r for k, r in stored(db).items() if k.startswith(short))["amount"] is None


def test_add_and_import_store_a_whole_number_alike(run, db: Path, tmp_path: Path) -> None:
    short = add(run, "--amount", "1e3 JPY").stdout.strip()
    source = tmp_path / "rows.csv"
    source.write_text(
        "kind,title,date,countries,amount_value,amount_currency\nevent,imported,2018,SE,1e3,JPY\n", encoding="utf-8"
    )
    assert run("import", str(source)).exit_code == 0
    raw = db.read_text(encoding="utf-8")
    added = next(r for k, r in stored(db).items() if k.startswith(short))
    imported = next(r for r in stored(db).values() if r["title"] == "imported")
    assert added["amount"]["value"] == imported["amount"]["value"] == 1000
    assert "1000.0" not in raw


@pytest.mark.parametrize(
    ("cells", "says"),
    [
        ("5,", "amount_currency: give the currency of the amount 5"),
        ("-5,JPY", "amount: -5 is negative"),
        ("5,ZZZ", "'ZZZ' is not an ISO 4217 currency code"),
    ],
)
def test_import_refuses_the_amounts_add_refuses(run, db: Path, tmp_path: Path, cells: str, says: str) -> None:
    source = tmp_path / "rows.csv"
    source.write_text(
        f"kind,title,date,countries,amount_value,amount_currency\nevent,x,2018,SE,{cells}\n", encoding="utf-8"
    )
    before = db.read_bytes()
    result = run("import", str(source))
    assert result.exit_code == 1 and says in result.stderr.splitlines()[0]
    assert db.read_bytes() == before


def test_parse_amount_reads_thousands_separators_and_exponents() -> None:
    assert parse_amount("1,000,000 jpy", "per year") == Amount(1000000, "JPY", "per year")
    assert isinstance(parse_amount("1e3 JPY").value, int)
    assert parse_amount("1.5 EUR").value == 1.5
    with pytest.raises(ValidationError, match="finite"):
        parse_amount("nan JPY")


# -- the status history and follows -------------------------------------------------------------


def test_status_recorded_appends_only_when_the_status_changed() -> None:
    done = item("x", kind="event", title="t", date="2018", countries=["SE"], status="done")
    assert status_recorded(done, "2020") is done
    reopened = status_recorded(Item(**{**_fields(done), "status": "ongoing"}), "2020")
    assert reopened.history == [*done.history, StatusChange("2020", "ongoing")]
    blank = Item(**{**_fields(done), "history": []})
    assert status_recorded(blank, "2020").history == [StatusChange("2020", "done")]


def _fields(one: Item) -> dict:
    return {name: getattr(one, name) for name in one.__slots__}


def test_follows_problem_names_a_missing_item_and_a_non_meeting() -> None:
    assert follows_problem("abc123", "meeting") is None
    assert follows_problem("abc123", None) == "follows: no item with id abc123"
    assert follows_problem("abc123", "agreement") == "follows: abc123 is an agreement, not a meeting"


def test_a_followed_meeting_cannot_become_something_else_by_edit(run, db: Path) -> None:
    before = db.read_bytes()
    result = run("edit", EU[:8], "--kind", "event")
    assert result.exit_code == 2 and "must stay a meeting" in result.stderr
    assert db.read_bytes() == before


def test_edit_records_a_status_change_once(run, db: Path) -> None:
    assert run("edit", ERC[:8], "--status", "ongoing", "--place", "Paris").exit_code == 0
    history = stored(db)[ERC]["history"]
    assert [h["status"] for h in history] == ["done", "ongoing"]
    assert run("edit", ERC[:8], "--place", "Lyon").stdout.endswith("updated\n")
    assert [h["status"] for h in stored(db)[ERC]["history"]] == ["done", "ongoing"]


# -- the change value ---------------------------------------------------------------------------


def test_item_changes_set_add_and_remove() -> None:
    base = item("x", kind="event", title="t", date="2018", countries=["SE", "DK"], organizations=["JST"])
    changes = ItemChanges(
        values={"place": "Lund", "title_en": None},
        added={"countries": ["FI", "SE"], "organizations": ["JSPS"]},
        removed={"countries": ["DK"]},
        notes=["met"],
    )
    changed = changes.applied_to(base, "2020-01-01T00:00:00Z")
    assert (changed.place, changed.countries, changed.organizations) == ("Lund", ["SE", "FI"], ["JST", "JSPS"])
    assert [(n.at, n.text) for n in changed.notes] == [("2020-01-01T00:00:00Z", "met")]
    assert base.countries == ["SE", "DK"]


def test_an_empty_change_is_false_and_an_unknown_field_is_refused() -> None:
    assert not ItemChanges(added={"countries": []})
    assert ItemChanges(values={"place": None})
    with pytest.raises(ValueError, match="history"):
        ItemChanges(values={"history": []})
    assert merged_values(["a", "b"], ["c", "a"], ["b"]) == ["a", "c"]


def test_edit_without_options_is_refused(run, db: Path) -> None:
    result = run("edit", ERC[:8])
    assert result.exit_code == 2 and "nothing to change" in result.stderr
