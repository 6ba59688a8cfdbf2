"""Check the shipped record against the text of the MEXT briefing of spring 2019, word for word.

    python scripts/check_audit.py --document FILE   # FILE: the briefing as plain text

Every quote in an item's sources, every Japanese title not marked as worded for the record, and the
words of the date column of data/SOURCES.md must appear in the document (white space aside). The
structural rules (each row of SOURCES.md is an item with its date and kind, notes are facts in both
languages) are tests: tests/test_sources.py and tests/test_dataset.py. Prints one line per problem
and exits 1 if there is any.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
DOCUMENT = "MEXT briefing, spring 2019"
OURS = "The title is worded for the record"
ROW = re.compile(r"^\|(.+)\|\s*$")


def squeeze(text: str) -> str:
    """Text with every kind of white space removed, to compare quotes across the document's line breaks."""
    return re.sub(r"\s+", "", text)


def table(text: str, title: str) -> list[list[str]]:
    """The body rows of the Markdown table under the `## title` heading, as lists of cells."""
    section = text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
    rows = [
        [c.strip() for c in re.split(r"(?<!\\)\|", m[1])] for line in section.splitlines() if (m := ROW.match(line))
    ]
    return rows[2:]


def problems(items: dict[str, dict], document: str, sources: str) -> list[str]:
    """Every quote, title and table date that is not the document's words.

    In the tables "…" marks words left out and "†" separates the words that date a happening from
    the words that report it; each piece must appear in the document.
    """
    whole, found = squeeze(document), []
    for title in ("Dated happenings", "Items the document gives no date for"):
        for row in table(sources, title):
            pieces = [squeeze(p) for p in re.split(r"[…†／]", row[3].replace("\\|", "|"))]
            found += [f"SOURCES.md {title} row {row[0]}: {p!r} not in the document" for p in pieces if p not in whole]
    for item_id, item in items.items():
        if OURS not in (item["provenance"] or "") and squeeze(item["title"]) not in whole:
            found.append(f"{item_id[:6]}: title not in the document and not marked as ours: {item['title']}")
        found += [
            f"{item_id[:6]}: quote not in the document: {s['quote'][:40]}"
            for s in item["sources"]
            if s["document"] == DOCUMENT and squeeze(s["quote"]) not in whole
        ]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--document", type=Path, required=True, help="the briefing as plain text")
    args = parser.parse_args()
    items = json.loads((DATA / "db.json").read_text(encoding="utf-8"))["items"]
    sources = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    found = problems(items, args.document.read_text(encoding="utf-8"), sources)
    for line in found:
        print(line)
    print(f"{len(items)} items; {len(found)} problems", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
