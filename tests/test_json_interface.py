"""JSON for scripts: briefings and follow-ups nested as they are read, and the same bytes whatever --lang."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from tests.helpers import fixed_id

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.helpers import Result

EU, US = fixed_id("eu-meeting"), fixed_id("us-meeting")


def as_json(run: Callable[..., Result], *args: str) -> object:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result
    return json.loads(result.stdout)


def test_brief_json_nests_follow_ups_under_their_fields(run: Callable[..., Result], db: Path) -> None:
    report = as_json(run, "brief", EU[:6])
    assert isinstance(report, dict)
    assert set(report) == {"meeting", "today", "sections", "pending", "overdue"}
    assert report["meeting"]["id"] == EU and report["today"] == "2019-04-30"
    assert [
        (s["field"], s["label_en"], s["label_ja"], [f["id"] for f in s["followups"]]) for s in report["sections"]
    ] == [
        ("quantum", "Quantum technology", "量子技術", [fixed_id("quantum-ws")]),
        ("researcher-exchange", "Researcher exchange", "研究者交流", [fixed_id("erc")]),
        ("science-policy", "Science and technology policy", "科学技術政策", [fixed_id("riken")]),
    ]
    assert report["pending"] == [] and report["overdue"] == []


def test_brief_json_lists_pending_follow_ups_by_id(run: Callable[..., Result], db: Path) -> None:
    report = as_json(run, "brief", US[:6])
    assert isinstance(report, dict)
    assert report["pending"] == [fixed_id("nsf-call")]
    assert report["sections"][0]["followups"][0]["status"] == "coordinating"


def test_brief_of_a_country_as_json(run: Callable[..., Result], db: Path) -> None:
    report = as_json(run, "brief", "--country", "SE")
    assert isinstance(report, dict)
    assert (report["country"], report["label_en"], report["label_ja"]) == ("SE", "Sweden", "スウェーデン")
    assert report["meetings"] == []
    assert [f["id"] for s in report["others"] for f in s["followups"]] == [fixed_id("lund"), fixed_id("se-doc")]


def test_brief_writes_json_to_the_file_its_suffix_names(run: Callable[..., Result], db: Path, tmp_path: Path) -> None:
    target = tmp_path / "eu.json"
    assert run("brief", EU[:6], "-o", str(target)).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8")) == as_json(run, "brief", EU[:6])


def test_followups_json_nests_each_meetings_follow_ups(run: Callable[..., Result], db: Path) -> None:
    report = as_json(run, "followups")
    assert isinstance(report, list)
    assert [(m["meeting"]["id"], sorted(f["id"] for f in m["followups"])) for m in report] == [
        (EU, sorted(fixed_id(n) for n in ("erc", "quantum-ws", "riken"))),
        (US, [fixed_id("nsf-call")]),
    ]


@pytest.mark.parametrize(
    "args",
    [
        ("attention",),
        ("scorecard",),
        ("scorecard", "--by", "country"),
        ("scorecard", "--by", "field"),
        ("brief", EU[:6]),
        ("brief", "--country", "EU"),
        ("followups",),
    ],
)
def test_json_is_the_same_in_either_language(run: Callable[..., Result], db: Path, args: tuple[str, ...]) -> None:
    english = run("--lang", "en", *args, "--format", "json")
    japanese = run("--lang", "ja", *args, "--format", "json")
    assert english.exit_code == japanese.exit_code == 0
    assert english.stdout == japanese.stdout


def test_scorecard_and_attention_json_carry_machine_values_and_both_labels(
    run: Callable[..., Result], db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    card = as_json(run, "scorecard", "--by", "country")
    assert isinstance(card, dict)
    eu = next(row for row in card["rows"] if row["key"] == "EU")
    assert (eu["label_en"], eu["label_ja"]) == ("European Union (EU)", "欧州連合 (EU)")
    assert set(eu["counts"]) == {"exploring", "coordinating", "scheduled", "ongoing", "done", "dropped"}
    monkeypatch.setenv("STIDIPLO_TODAY", "2020-06-01")
    found = as_json(run, "attention")
    assert isinstance(found, list)
    assert [(f["reason"], f["since"], f["item"]["id"]) for f in found] == [
        ("stale", "2019-04-30", fixed_id("nsf-call"))
    ]
    assert found[0]["detail_en"] == "coordinating, no status change or note since 30 Apr 2019 (13 mo)"
    assert found[0]["detail_ja"] == "2019年4月30日以降、状況の変化・メモなし（13か月）"


def test_list_json_keys_keeps_only_those_keys(run: Callable[..., Result], db: Path) -> None:
    result = run("list", "--country", "SE", "--json", "id,status,title_en")
    assert result.exit_code == 0, result
    assert json.loads(result.stdout) == [
        {"id": fixed_id("lund"), "status": "done", "title_en": "Minister visits Lund"},
        {"id": fixed_id("se-doc"), "status": "done", "title_en": "Japan–Sweden joint document on S&T cooperation"},
    ]


def test_list_json_refuses_an_unknown_key_naming_the_known_ones(run: Callable[..., Result], db: Path) -> None:
    result = run("list", "--json", "id,titel")
    assert result.exit_code == 2
    assert result.stderr.startswith("stidiplo: --json: unknown key(s) titel; use any of: id, amount, countries")
    assert result.stdout == ""
