"""How well `extract` reads documents, measured against items curated by hand.

A proposal matches a curated item when it has the same date, the same kind and a shared
country. Recall is the share of the curated DATED items some proposal matches: an item the
document gives no date for (a call "in coordination", a visit being explored) cannot be matched
by date, since every proposal has one, so undated items are left out of the count. Precision is
the share of proposals that match some curated dated item. The MEXT briefing of spring 2019 is
measured against the shipped dataset (curated from it by hand, independently of the extractor);
the short documents in tests/documents, written in other styles, against the items listed
beside each.

The figures are pinned exactly, so that any change to them is seen and the README updated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from stidiplo import tracker_file
from stidiplo.extract.proposals import Proposal, propose
from stidiplo.extract.reading import read_document
from stidiplo.store import Store
from tests.helpers import SHIPPED, briefing

DOCUMENTS = Path(__file__).parent / "documents"
OTHER_STYLES = ("white_paper.txt", "press_release.md", "meeting_record.txt", "press_release_ja.txt")


@dataclass(frozen=True)
class Expected:
    date: str
    kind: str
    countries: frozenset[str]


@dataclass(frozen=True)
class Score:
    matched: int
    expected: int
    right: int
    proposed: int

    @property
    def recall(self) -> float:
        return self.matched / self.expected

    @property
    def precision(self) -> float:
        return self.right / self.proposed


def matches(proposal: Proposal, item: Expected) -> bool:
    return (
        proposal.date.text == item.date
        and proposal.kind.value == item.kind
        and bool(item.countries & set(proposal.countries.value))
    )


def score(proposals: list[Proposal], expected: list[Expected]) -> Score:
    matched = sum(any(matches(p, e) for p in proposals) for e in expected)
    right = sum(any(matches(p, e) for e in expected) for p in proposals)
    return Score(matched, len(expected), right, len(proposals))


def shipped_dated_items() -> list[Expected]:
    """The shipped dataset's items that have a date, as the measure compares them."""
    return [Expected(i.date, i.kind, frozenset(i.countries)) for i in tracker_file.load(Store(SHIPPED)).all() if i.date]


def listed_items(document: Path) -> list[Expected]:
    listed = json.loads(document.with_suffix(".expected.json").read_text(encoding="utf-8"))
    return [Expected(e["date"], e["kind"], frozenset(e["countries"])) for e in listed]


def test_the_mext_briefing_against_the_shipped_dataset() -> None:
    """Recall over the dataset's 61 dated items (its 9 undated ones cannot match), precision over the proposals."""
    proposals = propose(read_document(briefing()), [], date(2019, 4, 30))
    result = score(proposals, shipped_dated_items())
    print(
        f"\nMEXT briefing: recall {result.matched}/{result.expected} = {result.recall:.0%}, "
        f"precision {result.right}/{result.proposed} = {result.precision:.0%}"
    )
    assert (result.matched, result.expected) == (53, 61)  # recall 87 %
    assert (result.right, result.proposed) == (60, 64)  # precision 94 %


@pytest.mark.parametrize(
    ("name", "figures"),
    [
        ("white_paper.txt", (6, 6, 6, 6)),
        ("press_release.md", (5, 5, 5, 5)),
        ("meeting_record.txt", (7, 7, 7, 7)),
        ("press_release_ja.txt", (8, 9, 8, 8)),
    ],
)
def test_documents_in_other_styles(name: str, figures: tuple[int, int, int, int]) -> None:
    document = DOCUMENTS / name
    proposals = propose(read_document(document), [], date(2021, 3, 15))
    result = score(proposals, listed_items(document))
    print(f"\n{name}: recall {result.matched}/{result.expected}, precision {result.right}/{result.proposed}")
    assert (result.matched, result.expected, result.right, result.proposed) == figures


def test_statuses_in_other_styles_follow_the_wording() -> None:
    """Where an expected item gives its status, the matching proposal has it."""
    for name in OTHER_STYLES:
        document = DOCUMENTS / name
        listed = json.loads(document.with_suffix(".expected.json").read_text(encoding="utf-8"))
        proposals = propose(read_document(document), [], date(2021, 3, 15))
        for entry in (e for e in listed if "status" in e):
            wanted = Expected(entry["date"], entry["kind"], frozenset(entry["countries"]))
            found = [p.status.value for p in proposals if matches(p, wanted)]
            assert found == [entry["status"]], (name, entry)


def test_ranges_keep_their_end() -> None:
    for name in OTHER_STYLES:
        document = DOCUMENTS / name
        listed = json.loads(document.with_suffix(".expected.json").read_text(encoding="utf-8"))
        proposals = propose(read_document(document), [], date(2021, 3, 15))
        for entry in (e for e in listed if "end" in e):
            ends = [p.end.text if p.end else None for p in proposals if p.date.text == entry["date"]]
            assert ends == [entry["end"]], (name, entry)


def test_the_briefing_as_csv_is_taken_by_import(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    document = briefing()
    empty = tmp_path / "empty.json"
    assert run("init", str(empty)).exit_code == 0
    monkeypatch.setenv("STIDIPLO_DB", str(empty))
    drafts = tmp_path / "drafts.csv"
    written = run("extract", str(document), "--format", "csv", "-o", str(drafts))
    assert written.exit_code == 0, written.stderr
    imported = run("import", str(drafts))
    assert imported.exit_code == 0, imported.stderr
    assert imported.stdout.startswith("added 64, updated 0")
    assert run("check").exit_code == 0
