"""Check the audit of the MEXT briefing of spring 2019: data/SOURCES.md against data/dataset.next.json.

The dataset is the record redone from the briefing, one item per dated happening; SOURCES.md is
the page-by-page table a reviewer ticks against the document. This script checks that the two
agree and that the dataset keeps the rules of the model:

    python scripts/check_audit.py                 # structure, dates, follows, the tables
    python scripts/check_audit.py --document FILE # also: every quote and every title not marked
                                                  # as ours appears word for word in the document

It prints one line per problem and exits 1 if there is any, else prints the counts and exits 0.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from calendar import monthrange
from datetime import date
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
FIELDS_FILE = Path(__file__).resolve().parents[1] / "stidiplo" / "vocab" / "fields.json"
AS_OF = date(2019, 4, 30)
DOCUMENT = "MEXT briefing, spring 2019"
PAGES = 34

KINDS = {"meeting", "agreement", "joint-call", "event", "visit", "office", "program"}
STATUSES = {"exploring", "coordinating", "scheduled", "ongoing", "done", "dropped"}
PENDING = {"exploring", "coordinating", "scheduled"}
KEYS = {
    "id", "kind", "title_ja", "title_en", "title_ours", "date", "date_estimated", "end", "end_estimated",
    "status", "countries", "fields", "follows", "related", "place_ja", "place_en", "people_ja", "people_en",
    "participants_ja", "participants_en", "organisations", "programmes", "amount", "notes_ja", "notes_en",
    "sources", "links", "provenance",
}  # fmt: skip
PROGRAMMES = {"CREST", "SICORP", "SATREPS", "ArCS", "Q-LEAP"}
ID = re.compile(r"[0-9a-f]{32}")
CODE = re.compile(r"[A-Z]{2}|EU|ASEAN|AFRICA|INTL")
CURATION = re.compile(r"\bse{2}d\b|\brecorded\b|the document|the source|資料上|本資料", re.IGNORECASE)
ROW = re.compile(r"^\|(.+)\|\s*$")


def span(text: str) -> tuple[date, date]:
    """The first and last day a stored partial date stands for; ValueError for anything else."""
    if m := re.fullmatch(r"FY(\d{4})", text):
        return date(int(m[1]), 4, 1), date(int(m[1]) + 1, 3, 31)
    if m := re.fullmatch(r"(\d{4})", text):
        return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        y, mo = int(m[1]), int(m[2])
        return date(y, mo, 1), date(y, mo, monthrange(y, mo)[1])
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        d = date(int(m[1]), int(m[2]), int(m[3]))
        return d, d
    raise ValueError(text)


def squeeze(text: str) -> str:
    """Text with every kind of white space removed, to compare quotes across the document's line breaks."""
    return re.sub(r"\s+", "", text)


def check_item(item: dict, by_id: dict[str, dict], fields: set[str]) -> list[str]:
    """The problems of one item on its own and with the items it names."""
    name = item.get("id", "?")[:6]
    errors = [f"{name}: missing key {k}" for k in sorted(KEYS - set(item))]
    errors += [f"{name}: unknown key {k}" for k in sorted(set(item) - KEYS)]
    if errors:
        return errors
    if item["kind"] not in KINDS or item["status"] not in STATUSES:
        errors.append(f"{name}: kind {item['kind']!r} or status {item['status']!r} not in the vocabulary")
    if not (item["title_ja"].strip() and item["title_en"].strip()):
        errors.append(f"{name}: a title is empty")
    errors += [f"{name}: country {c!r}" for c in item["countries"] if not CODE.fullmatch(c)]
    errors += [f"{name}: field {f!r}" for f in item["fields"] if f not in fields]
    errors += [f"{name}: programme {p!r} among organisations" for p in item["organisations"] if p in PROGRAMMES]
    errors += check_dates(item, by_id)
    for a, b in (("people_ja", "people_en"), ("notes_ja", "notes_en")):
        if len(item[a]) != len(item[b]):
            errors.append(f"{name}: {a} and {b} differ in length")
    for a, b in (("place_ja", "place_en"), ("participants_ja", "participants_en")):
        if (item[a] is None) != (item[b] is None):
            errors.append(f"{name}: {a} and {b} are not both given")
    errors += [f"{name}: note about the record: {n[:40]!r}" for n in item["notes_en"] if CURATION.search(n)]
    errors += [f"{name}: related {r[:6]} unknown" for r in item["related"] if r not in by_id]
    if not item["sources"]:
        errors.append(f"{name}: no source")
    for s in item["sources"]:
        if s.get("document") != DOCUMENT or not 1 <= s.get("page", 0) <= PAGES or not s.get("quote"):
            errors.append(f"{name}: malformed source {s}")
    return errors


def check_dates(item: dict, by_id: dict[str, dict]) -> list[str]:
    """Dates parse, the end is not before the date, status agrees with the date, follows are earlier meetings."""
    name, errors = item["id"][:6], []
    try:
        first, last = span(item["date"]) if item["date"] else (None, None)
        if item["end"]:
            last = span(item["end"])[1]
    except ValueError as bad:
        return [f"{name}: unreadable date {bad}"]
    if item["date"] is None and (item["date_estimated"] or item["end"]):
        errors.append(f"{name}: no date but an estimate or an end")
    if first and last and last < first:
        errors.append(f"{name}: ends before it starts")
    if first and item["status"] == "done" and first > AS_OF:
        errors.append(f"{name}: done but dated after April 2019")
    if first and item["status"] in ("ongoing", "done") and item["kind"] != "program" and first > AS_OF:
        errors.append(f"{name}: {item['status']} in the future")
    for ref in item["follows"]:
        meeting = by_id.get(ref)
        if meeting is None or meeting["kind"] != "meeting":
            errors.append(f"{name}: follows {ref[:6]}, which is not a meeting of the dataset")
        elif item["date"] and meeting["date"] and span(item["date"])[1] < span(meeting["date"])[0]:
            errors.append(f"{name}: dated before the meeting {ref[:6]} it follows")
    return errors


def table(text: str, title: str) -> list[list[str]]:
    """The body rows of the Markdown table under the `## title` heading, as lists of cells."""
    section = text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
    rows = [
        [c.strip() for c in re.split(r"(?<!\\)\|", m[1])] for line in section.splitlines() if (m := ROW.match(line))
    ]
    return [r for r in rows[2:]]


def check_tables(text: str, by_id: dict[str, dict]) -> list[str]:
    """Every row names an item whose date and kind agree; every item has exactly one row."""
    errors, seen = [], []
    for row in table(text, "Dated happenings"):
        norm, kind, ref = row[4], row[5], row[6].strip("`")
        item = by_id.get(ref)
        seen.append(ref)
        if item is None:
            errors.append(f"SOURCES.md row {row[0]}: no item {ref}")
            continue
        start, _, end = norm.lstrip("≈").partition("..")
        item_end = "" if item["end_estimated"] else item["end"] or ""  # an inferred end is not the document's
        if (item["date"], item_end, item["date_estimated"]) != (start, end, norm.startswith("≈")):
            errors.append(f"SOURCES.md row {row[0]}: date {norm} but the item has {item['date']}..{item['end']}")
        if item["kind"] != kind:
            errors.append(f"SOURCES.md row {row[0]}: kind {kind} but the item is {item['kind']}")
    for row in table(text, "Items the document gives no date for"):
        ref = row[6].strip("`")
        item = by_id.get(ref)
        seen.append(ref)
        if item is None or item["date"] is not None or (item["kind"], item["status"]) != (row[4], row[5]):
            errors.append(f"SOURCES.md undated row {row[0]}: {ref[:6]} missing, dated, or of another kind or status")
    errors += [f"{i[:6]}: {n} rows in SOURCES.md" for i in by_id if (n := seen.count(i)) != 1]
    return errors


def check_words(items: list[dict], document: str, sources: str) -> list[str]:
    """Every quote, every title not marked as ours and every date column of the tables is the document's words.

    In the tables "…" marks words left out and "†" separates the words that date a happening from
    the words that report it; each piece must appear in the document.
    """
    whole, errors = squeeze(document), []
    for title in ("Dated happenings", "Items the document gives no date for"):
        for row in table(sources, title):
            pieces = [squeeze(p) for p in re.split(r"[…†／]", row[3].replace("\\|", "|"))]
            errors += [f"SOURCES.md {title} row {row[0]}: {p!r} not in the document" for p in pieces if p not in whole]
    for item in items:
        name = item["id"][:6]
        if not item["title_ours"] and squeeze(item["title_ja"]) not in whole:
            errors.append(f"{name}: title not in the document and not marked as ours: {item['title_ja']}")
        errors += [
            f"{name}: quote not in the document: {s['quote'][:40]}"
            for s in item["sources"]
            if squeeze(s["quote"]) not in whole
        ]
    return errors


def main() -> int:
    """Run every check; print the problems or the counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--document", type=Path, help="the briefing as plain text, to check quotes and titles")
    args = parser.parse_args()
    items = json.loads((DATA / "dataset.next.json").read_text(encoding="utf-8"))
    by_id = {i["id"]: i for i in items}
    fields = set(json.loads(FIELDS_FILE.read_text(encoding="utf-8")))
    errors = [f"{i}: not a 32-character hex id, or repeated" for i in by_id if not ID.fullmatch(i)]
    if len(by_id) != len(items):
        errors.append("ids repeat")
    for item in items:
        errors += check_item(item, by_id, fields)
    sources = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    errors += check_tables(sources, by_id)
    if args.document:
        errors += check_words(items, args.document.read_text(encoding="utf-8"), sources)
    for line in errors:
        print(line)
    dated = sum(1 for i in items if i["date"])
    print(f"{len(items)} items: {dated} dated, {len(items) - dated} undated; {len(errors)} problems", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
