"""Reports as plain records, Rich-free: findings, the log and the scorecard for JSON, CSV and
Markdown tables, and an item's history as lines of text for the documents."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from stidiplo import vocab
from stidiplo.activity import has_history, history_lines
from stidiplo.labels import finding_detail, status_words
from stidiplo.model import STATUSES

if TYPE_CHECKING:
    from stidiplo.activity import Event
    from stidiplo.attention import Finding
    from stidiplo.model import Item
    from stidiplo.tally import Tally


def history_entries(item: Item, lang: str) -> list[tuple[str, str]]:
    """Status changes and notes in date order, once an item has more than the status it was added with."""
    if not has_history(item):
        return []
    return [
        (when, status_words(e.status, lang) if e.status is not None else e.note_in(lang) or "")
        for when, e in history_lines(item, lang)
    ]


def finding_records(findings: Sequence[Finding], today: date, lang: str) -> list[dict]:
    """Each finding's reason, the sentence explaining it, and the item."""
    return [{"reason": f.reason, "detail": finding_detail(f, today, lang), "item": f.item.to_json()} for f in findings]


def event_records(events: Sequence[Event]) -> list[dict]:
    """Each recorded change with the id, kind and titles of its item."""
    return [
        {
            "action": e.action,
            "at": e.at,
            "id": e.item.id,
            "kind": e.item.kind,
            "note": e.note,
            "note_en": e.note_en,
            "status": e.status,
            "title": e.item.title,
            "title_en": e.item.title_en,
        }
        for e in events
    ]


def completed(share: float | None) -> float | None:
    """The share completed, rounded for JSON."""
    return None if share is None else round(share, 4)


def scorecard_records(rows: Sequence[tuple[str, Tally]], total: Tally, by: str) -> dict:
    """The scorecard for scripts: each row's key, name, counts by status, total and share completed."""

    def record(name: str, row: Tally) -> dict:
        return {
            "key": row.key,
            "name": name,
            "counts": dict(row.counts),
            "total": row.total,
            "completed": completed(row.completed),
        }

    return {"by": by, "rows": [record(n, r) for n, r in rows], "total": record("", total)}


def scorecard_rows(rows: Sequence[tuple[str, Tally]], total: Tally, lang: str) -> tuple[list[str], list[list[str]]]:
    """The scorecard as a header and rows of text, the total last, for CSV and Markdown."""
    header = ["key", "name", *STATUSES, "total", "completed"]

    def cells(name: str, row: Tally) -> list[str]:
        share = "" if row.completed is None else f"{row.completed:.4f}".rstrip("0").rstrip(".")
        return [row.key, name, *(str(row.counts[s]) for s in STATUSES), str(row.total), share]

    return header, [*(cells(n, r) for n, r in rows), cells(vocab.header("total", lang), total)]
