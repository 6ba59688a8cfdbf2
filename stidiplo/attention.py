"""What needs an official's attention before they are asked, and what is coming up.

Four findings: a scheduled item whose dates have passed (overdue), an item being explored or
coordinated with no recorded activity for months (stale), a meeting held with no follow-up
recorded (no-followups), and a joint call still marked ongoing after its support period ended
(support-ended). Findings are plain data; `labels.finding_detail` says why each was made.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from stidiplo import dates
from stidiplo.activity import last_activity
from stidiplo.model import Item
from stidiplo.query import Filter, sort_items
from stidiplo.tracker import Tracker

OVERDUE, STALE, NO_FOLLOWUPS, SUPPORT_ENDED = "overdue", "stale", "no-followups", "support-ended"
REASONS = (OVERDUE, SUPPORT_ENDED, STALE, NO_FOLLOWUPS)
STALE_STATUSES = ("exploring", "coordinating")
HELD = ("ongoing", "done")
"""The statuses of a meeting that has taken place."""
DEFAULT_STALE_MONTHS = 6


@dataclass(frozen=True, slots=True)
class Finding:
    """One item that needs attention, why, and the date the reason hangs on.

    `since` is the last day the item was due (overdue), its last activity (stale; None when it
    has none on record), the meeting's date (no-followups) or the end of support (support-ended).
    """

    reason: str
    item: Item
    since: dates.PartialDate | None


def _months_from(today: date, months: int) -> date:
    """The day `months` from today, or the first or last day a date can hold when that is beyond it."""
    try:
        return dates.add_months(today, months)
    except (ValueError, OverflowError):
        return date.max if months > 0 else date.min


def is_overdue(item: Item, today: date) -> bool:
    """Scheduled, yet every day its dates stand for has passed."""
    return item.status == "scheduled" and item.finish.last < today


def findings(tracker: Tracker, flt: Filter, today: date, stale_months: int = DEFAULT_STALE_MONTHS) -> list[Finding]:
    """Every finding about the items `flt` selects, by reason, then by date."""
    stale_before = _months_from(today, -stale_months)
    found: list[Finding] = []
    for item in tracker.select(flt):
        if is_overdue(item, today):
            found.append(Finding(OVERDUE, item, item.finish))
        if item.status in STALE_STATUSES:
            active = last_activity(item)
            if active is None or active.last < stale_before:
                found.append(Finding(STALE, item, active))
        held = item.kind == "meeting" and item.status in HELD and item.start.first <= today
        if held and not tracker.followups(item.id):
            found.append(Finding(NO_FOLLOWUPS, item, item.start))
        if item.kind == "joint-call" and item.status == "ongoing" and item.end and item.finish.last < today:
            found.append(Finding(SUPPORT_ENDED, item, item.finish))
    return sorted(found, key=lambda f: REASONS.index(f.reason))


def upcoming(items: Iterable[Item], flt: Filter, today: date, months: int) -> list[Item]:
    """Scheduled items whose date may fall between today and `months` from now, soonest first."""
    horizon = _months_from(today, months)
    return sort_items(
        i
        for i in items
        if i.status == "scheduled" and flt.matches(i) and i.start.last >= today and i.start.first <= horizon
    )
