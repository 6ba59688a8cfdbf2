"""`edit` with the listing's filters: what would change is shown, asked about, and made as one change."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from stidiplo.store import Store
from tests.helpers import fixed_id

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.helpers import Result

NSF, ERC, RIKEN, EU = fixed_id("nsf-call"), fixed_id("erc"), fixed_id("riken"), fixed_id("eu-meeting")


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A console wide enough that no change line folds."""
    monkeypatch.setenv("COLUMNS", "200")


def stored(db: Path) -> dict[str, dict]:
    return json.loads(db.read_text(encoding="utf-8"))["items"]


def test_filters_choose_the_items_and_set_options_change_them(run: Callable[..., Result], db: Path) -> None:
    result = run("edit", "--country", "US", "--status", "coordinating", "--set-status", "ongoing", "--yes")
    assert result.exit_code == 0, result
    assert NSF[:6] in result.stdout
    assert "status: coordinating -> ongoing" in result.stdout
    assert result.stdout.splitlines()[-1] == "updated 1 item(s) as one change; `stidiplo undo` takes it back"
    items = stored(db)
    assert items[NSF]["status"] == "ongoing"
    assert [h["status"] for h in items[NSF]["history"]] == ["coordinating", "ongoing"]
    assert items[fixed_id("us-meeting")]["status"] == "done"  # matched --country, not --status


def test_the_table_lists_each_changed_field_and_leaves_out_unchanged_items(
    run: Callable[..., Result], db: Path
) -> None:
    result = run("edit", "--country", "EU", "--add-field", "quantum", "--add-org", "MEXT", "--yes")
    assert result.exit_code == 0, result
    shown = result.stdout
    for item_id in (EU, ERC, RIKEN):
        assert item_id[:6] in shown
    assert fixed_id("quantum-ws")[:6] in shown  # has the field already, but not the organisation
    assert "fields: science-policy -> science-policy, quantum" in shown
    assert "organizations: - -> MEXT" in shown
    assert "updated 4 item(s)" in shown


def test_one_undo_reverts_every_item_of_the_change(run: Callable[..., Result], db: Path) -> None:
    before = db.read_bytes()
    backups = len(Store(db).list_backups())
    assert run("edit", "--country", "EU", "--since", "2018-06", "--set-status", "dropped", "--yes").exit_code == 0
    assert [stored(db)[i]["status"] for i in (ERC, RIKEN, fixed_id("quantum-ws"))] == ["dropped"] * 3
    assert len(Store(db).list_backups()) == backups + 1  # one write
    assert run("undo").exit_code == 0
    assert db.read_bytes() == before


def test_a_script_is_refused_without_yes_and_nothing_changes(run: Callable[..., Result], db: Path) -> None:
    before = db.read_bytes()
    result = run("edit", "--country", "SE", "--add-field", "quantum")
    assert result.exit_code == 2
    assert result.stderr == "stidiplo: refusing to change 2 item(s) without confirmation; add --yes\n"
    assert "fields: researcher-exchange -> researcher-exchange, quantum" in result.stdout
    assert db.read_bytes() == before


@pytest.mark.parametrize(("answer", "code", "status"), [("n\n", 1, "coordinating"), ("y\n", 0, "dropped")])
def test_a_person_is_asked(
    run: Callable[..., Result], db: Path, monkeypatch: pytest.MonkeyPatch, answer: str, code: int, status: str
) -> None:
    monkeypatch.setattr("stidiplo.cli.bulk.interactive", lambda: True)
    result = run("edit", "--status", "coordinating", "--set-status", "dropped", input=answer)
    assert result.exit_code == code
    assert "Change 1 item(s)?" in result.stdout
    assert stored(db)[NSF]["status"] == status


def test_no_match_is_said_on_stderr_and_exits_zero(run: Callable[..., Result], db: Path) -> None:
    before = db.read_bytes()
    result = run("edit", "--country", "KP", "--since", "2018", "--set-status", "done", "--yes")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "stidiplo: no items match: --country KP --since 2018\n"
    assert db.read_bytes() == before


def test_a_change_one_item_cannot_take_is_refused_before_anything_is_written(
    run: Callable[..., Result], db: Path
) -> None:
    before = db.read_bytes()
    result = run("edit", "--country", "SE", "--set-follows", ERC[:6], "--yes")  # ERC's item is no meeting
    assert result.exit_code == 2
    assert result.stdout == ""
    assert db.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set-status", "done"], "give an ID, or filters"),
        (["--country", "SE"], "nothing to change: give a new value"),
        ([ERC[:6], "--country", "SE", "--status", "done"], "give an ID or filters"),
        ([ERC[:6], "--status", "done", "--set-status", "dropped"], "give one new status for an item"),
        (["--country", "SE", "--editor"], "--editor edits one item"),
    ],
)
def test_what_cannot_be_meant_is_refused(run: Callable[..., Result], db: Path, args: list[str], message: str) -> None:
    result = run("edit", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"stidiplo: {message}")


def test_set_options_also_edit_one_item(run: Callable[..., Result], db: Path) -> None:
    assert run("edit", NSF[:6], "--set-status", "done", "--set-kind", "event").stdout == f"{NSF[:6]} updated\n"
    assert (stored(db)[NSF]["status"], stored(db)[NSF]["kind"]) == ("done", "event")


@pytest.mark.parametrize("empty", [["--follows", ""], ["--search", ""], ["--country", ""]])
def test_an_empty_filter_chooses_nothing_rather_than_everything(
    run: Callable[..., Result], db: Path, empty: list[str]
) -> None:
    before = db.read_bytes()
    result = run("edit", *empty, "--set-status", "dropped", "--yes")
    assert result.exit_code == 2
    assert result.stderr.startswith("stidiplo: give an ID, or filters")
    assert db.read_bytes() == before


def test_a_refused_change_names_the_item_that_cannot_take_it(run: Callable[..., Result], db: Path) -> None:
    result = run("edit", "--country", "SE", "--set-follows", ERC[:6], "--yes")
    assert result.stderr.startswith(f"stidiplo: {fixed_id('lund')[:6]}: follows: ")
    assert result.stderr.endswith("; nothing was changed\n")
