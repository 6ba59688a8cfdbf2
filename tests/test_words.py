"""Words as shown are words accepted: every option taking a vocabulary value reads the labels the views print."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from stidiplo import vocab
from stidiplo.errors import UsageError
from tests.helpers import fixed_id

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.parametrize(
    ("word", "kind"),
    [("訪問", "visit"), ("会談・会合", "meeting"), ("joint call", "joint-call"), ("Joint-Call", "joint-call"),
     ("ＭＥＥＴＩＮＧ", "meeting"), ("共同公募", "joint-call")],
)  # fmt: skip
def test_a_kind_is_read_from_its_code_or_either_label(word: str, kind: str) -> None:
    assert vocab.resolve_kind(word) == kind


@pytest.mark.parametrize(
    ("word", "status"), [("済", "done"), ("調整中", "coordinating"), ("DONE", "done"), ("予定", "scheduled")]
)
def test_a_status_is_read_from_its_code_or_either_label(word: str, status: str) -> None:
    assert vocab.resolve_status(word) == status


def test_an_unknown_status_lists_the_words_in_the_language_it_was_written_in() -> None:
    with pytest.raises(UsageError, match="use one of: 模索中, 調整中, 予定, 実施中, 済, 中止$"):
        vocab.resolve_status("おわり")
    with pytest.raises(UsageError, match=r"did you mean done\?.*use one of: exploring, coordinating"):
        vocab.resolve_status("dune")


@pytest.mark.parametrize(
    ("name", "code"),
    [("Czech Republic", "CZ"), ("Korea, Republic of", "KR"), ("United States of America", "US"), ("czechia", "CZ"),
     ("United Kingdom of Great Britain and Northern Ireland", "GB"), ("South Korea", "KR")],
)  # fmt: skip
def test_countries_accept_iso_and_cldr_name_forms(name: str, code: str) -> None:
    assert vocab.resolve_country(name) == code


def test_no_name_form_names_two_countries() -> None:
    owners: dict[str, set[str]] = {}
    for code, entry in vocab.vocabulary("country").items():
        for name in (code, entry["en"], entry["ja"], *entry["aliases"]):
            owners.setdefault(vocab.normalize(name), set()).add(code)
    assert {name: codes for name, codes in owners.items() if len(codes) > 1} == {}


def ids(run, *args: str) -> list[str]:
    result = run("list", *args, "--format", "json")
    assert result.exit_code == 0, result
    return [item["id"] for item in json.loads(result.stdout)]


def test_list_filters_by_the_words_the_table_shows(run, db: Path) -> None:
    assert ids(run, "--kind", "訪問") == ids(run, "--kind", "visit") == [fixed_id("lund")]
    assert ids(run, "--kind", "joint call") == [fixed_id("nsf-call")]
    assert ids(run, "-s", "調整中") == ids(run, "--status", "Coordinating") == [fixed_id("nsf-call")]
    assert len(ids(run, "-s", "済")) == 7


def test_add_and_edit_take_the_shown_words(run, db: Path) -> None:
    added = run(
        "add", "--kind", "共同公募", "--title", "call", "--date", "2019-06", "-c", "Czech Republic", "-s", "調整中"
    )
    assert added.exit_code == 0, added
    short = added.stdout.strip()
    assert run("edit", short, "--kind", "Event", "-s", "済").exit_code == 0
    data = json.loads(run("show", short, "--format", "json").stdout)
    assert (data["kind"], data["status"], data["countries"]) == ("event", "done", ["CZ"])


def test_values_lists_every_accepted_word(run, db: Path) -> None:
    result = run("values", "status", "--format", "json")
    assert result.exit_code == 0, result
    rows = json.loads(result.stdout)
    assert [row["code"] for row in rows] == ["exploring", "coordinating", "scheduled", "ongoing", "done", "dropped"]
    assert rows[4] == {"code": "done", "en": "done", "ja": "済", "aliases": []}
    countries = {row["code"]: row for row in json.loads(run("values", "country", "-f", "json").stdout)}
    assert "Korea, Republic of" in countries["KR"]["aliases"] and countries["EU"]["ja"] == "欧州連合"


def test_values_names_the_vocabularies_it_knows(run, db: Path) -> None:
    result = run("values", "colour")
    assert result.exit_code == 2
    assert "use one of: kind, status, field, country" in result.stderr


def test_option_help_names_the_values(run) -> None:
    words = " ".join(run("list", "--help").stdout.replace("│", " ").split())
    assert "stidiplo values country" in words and "or as shown: 訪問" in words
