"""The audit table against the record: data/SOURCES.md lists every dated happening of the MEXT briefing of
spring 2019 and every item it gives no date for, each with the item that records it; data/db.json must agree.

Read as plain text and JSON, without stidiplo, so they check the files a reviewer ticks.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
ITEMS: dict[str, dict] = json.loads((DATA / "db.json").read_text(encoding="utf-8"))["items"]
SOURCES = (DATA / "SOURCES.md").read_text(encoding="utf-8")
ROW = re.compile(r"^\|(.+)\|\s*$")
DATED, UNDATED = "Dated happenings", "Items the document gives no date for"


def table(title: str) -> list[list[str]]:
    """The body rows of the Markdown table under the `## title` heading, as lists of cells."""
    section = SOURCES.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
    rows = [
        [c.strip() for c in re.split(r"(?<!\\)\|", m[1])] for line in section.splitlines() if (m := ROW.match(line))
    ]
    return rows[2:]


def test_the_tables_are_read_whole() -> None:
    dated, undated = table(DATED), table(UNDATED)
    assert [int(r[0]) for r in dated] == list(range(1, len(dated) + 1)) and len(dated) == 61
    assert [int(r[0]) for r in undated] == list(range(1, len(undated) + 1)) and len(undated) == 9
    assert all(len(r) == 8 for r in dated + undated)


@pytest.mark.parametrize("row", table(DATED), ids=lambda r: f"dated-{r[0]}")
def test_each_dated_happening_is_an_item_with_its_date_and_kind(row: list[str]) -> None:
    normalised, kind, ref = row[4], row[5], row[6].strip("`")
    assert ref in ITEMS, f"row {row[0]}: no item {ref}"
    item = ITEMS[ref]
    start, _, end = normalised.lstrip("≈").partition("..")
    item_end = "" if item["end_estimated"] else item["end"] or ""  # an end worked out is not the document's
    assert (item["date"], item_end) == (start, end), f"row {row[0]}: {normalised}"
    assert item["date_estimated"] == normalised.startswith("≈"), f"row {row[0]}: estimated or not"
    assert item["kind"] == kind, f"row {row[0]}"
    assert any(s.get("page") == row[1] for s in item["sources"]), f"row {row[0]}: the page is not among its sources"


@pytest.mark.parametrize("row", table(UNDATED), ids=lambda r: f"undated-{r[0]}")
def test_each_undated_item_has_no_date_and_its_kind_and_status(row: list[str]) -> None:
    kind, status, ref = row[4], row[5], row[6].strip("`")
    assert ref in ITEMS, f"row {row[0]}: no item {ref}"
    item = ITEMS[ref]
    assert (item["date"], item["kind"], item["status"]) == (None, kind, status), f"row {row[0]}"


def test_every_item_has_exactly_one_row() -> None:
    rows = Counter(r[6].strip("`") for r in table(DATED) + table(UNDATED))
    assert {i: n for i, n in rows.items() if n != 1} == {}
    assert set(rows) == set(ITEMS)
