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

from tests.helpers import briefing

DATA = Path(__file__).resolve().parents[1] / "data"
ITEMS: dict[str, dict] = json.loads((DATA / "db.json").read_text(encoding="utf-8"))["items"]
SOURCES = (DATA / "SOURCES.md").read_text(encoding="utf-8")
ROW = re.compile(r"^\|(.+)\|\s*$")
DOCUMENT = "MEXT briefing, spring 2019"
OURS = "The title is worded for the record"
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


def squeezed(text: str) -> str:
    """Text without white space, to find a quote across the document's line breaks."""
    return re.sub(r"\s+", "", text)


def test_every_quote_title_and_table_date_is_the_briefings_own_words() -> None:
    """Quotes, Japanese titles not marked as worded for the record, and the date words of both tables.

    In the tables "…" marks words left out and "†" separates the words that date a happening from
    the words that report it; each piece must stand in the document.
    """
    whole = squeezed(briefing().read_text(encoding="utf-8"))
    missing = [
        f"{title} row {row[0]}: {piece!r}"
        for title in (DATED, UNDATED)
        for row in table(title)
        for piece in map(squeezed, re.split(r"[…†／]", row[3].replace("\\|", "|")))
        if piece not in whole
    ]
    for item_id, item in ITEMS.items():
        if OURS not in (item.get("provenance") or "") and squeezed(item["title"]) not in whole:
            missing.append(f"{item_id[:6]}: title {item['title']!r}")
        missing += [
            f"{item_id[:6]}: quote {s['quote'][:40]!r}"
            for s in item.get("sources") or ()
            if s.get("document") == DOCUMENT and squeezed(s.get("quote") or "") not in whole
        ]
    assert missing == []
