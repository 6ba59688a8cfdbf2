"""Reports as plain records, Rich-free: findings, briefings, the log and the scorecard for JSON, CSV
and Markdown tables, and an item's history as lines of text for the documents."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from stidiplo import vocab
from stidiplo.activity import has_history, history_lines
from stidiplo.labels import finding_detail, status_words
from stidiplo.model import STATUSES

if TYPE_CHECKING:
    from stidiplo.activity import Event
    from stidiplo.attention import Finding
    from stidiplo.followups import Briefing, CountryBriefing, Section
    from stidiplo.model import Item
    from stidiplo.tally import Tally


def history_entries(item: Item, lang: str, *, marks: bool = True) -> list[tuple[str, str]]:
    """Status changes and notes in date order, once an item has more than the status it was added with;
    a status with its mark ('✓ done'), or without it (`marks=False`) for fonts that lack the marks."""
    if not has_history(item):
        return []
    word = status_words if marks else vocab.status_label
    return [
        (when, word(e.status, lang) if e.status is not None else e.note_in(lang) or "")
        for when, e in history_lines(item, lang)
    ]


def timeline_facts(item: Item, lang: str) -> str:
    """What a timeline shows after an item's title: its country codes and its kind ("SE DK · meeting")."""
    return f"{' '.join(item.countries)} · {vocab.kind_label(item.kind, lang)}"


LANGS = ("en", "ja")
"""The languages whose labels the JSON records carry side by side, whatever --lang says."""


def finding_records(findings: Sequence[Finding], today: date) -> list[dict]:
    """Each finding's reason, the date it hangs on, the sentence explaining it in each language, and the item."""
    return [
        {
            "reason": f.reason,
            "since": f.since.text if f.since is not None else None,
            **{f"detail_{lang}": finding_detail(f, today, lang) for lang in LANGS},
            "item": f.item.to_json(),
        }
        for f in findings
    ]


def section_record(section: Section) -> dict:
    """Follow-ups under one field heading: the field's slug (null for none), its labels, the items."""
    labels = {
        f"label_{lang}": vocab.field_name(section.field, lang) if section.field else vocab.header("other", lang)
        for lang in LANGS
    }
    return {"field": section.field, **labels, "followups": [item.to_json() for item in section.items]}


def briefing_record(report: Briefing) -> dict:
    """One meeting's briefing for scripts: the meeting, its follow-ups nested under their fields, and
    the ids of those still pending and overdue as of `today`."""
    return {
        "meeting": report.meeting.to_json(),
        "today": report.today.isoformat(),
        "sections": [section_record(section) for section in report.sections],
        "pending": [item.id for item in report.pending],
        "overdue": [item.id for item in report.overdue],
    }


def country_briefing_record(report: CountryBriefing) -> dict:
    """A country's briefing for scripts: each meeting's briefing, newest first, then the country's other items."""
    return {
        "country": report.country,
        **{f"label_{lang}": vocab.country_name(report.country, lang) for lang in LANGS},
        "today": report.today.isoformat(),
        "meetings": [briefing_record(one) for one in report.briefings],
        "others": [section_record(section) for section in report.others],
    }


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


def scorecard_records(tallies: Sequence[Tally], total: Tally, by: str, label: Callable[[str, str], str]) -> dict:
    """The scorecard for scripts: each row's key, its label in each language, counts by status, total and
    share completed. `label(key, lang)` names a row as the table does."""

    def record(row: Tally, labels: dict[str, str]) -> dict:
        return {
            "key": row.key,
            **{f"label_{lang}": labels[lang] for lang in LANGS},
            "counts": dict(row.counts),
            "total": row.total,
            "completed": completed(row.completed),
        }

    rows = [record(t, {lang: label(t.key, lang) for lang in LANGS}) for t in tallies]
    return {"by": by, "rows": rows, "total": record(total, {lang: vocab.header("total", lang) for lang in LANGS})}


def scorecard_rows(rows: Sequence[tuple[str, Tally]], total: Tally, lang: str) -> tuple[list[str], list[list[str]]]:
    """The scorecard as a header and rows of text, the total last, for CSV and Markdown."""
    header = ["key", "name", *STATUSES, "total", "completed"]

    def cells(name: str, row: Tally) -> list[str]:
        share = "" if row.completed is None else f"{row.completed:.4f}".rstrip("0").rstrip(".")
        return [row.key, name, *(str(row.counts[s]) for s in STATUSES), str(row.total), share]

    return header, [*(cells(n, r) for n, r in rows), cells(vocab.header("total", lang), total)]
