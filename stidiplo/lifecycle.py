"""The status lifecycle every kind of item keeps, and the doubts `stidiplo check` raises when one does not.

A one-off happening (meeting, agreement, event, visit, office) is scheduled, or still being
explored or coordinated, then done. A joint call or a programme is coordinating, then ongoing
from its opening while it supports projects, then done when support ends; a selection of projects
is an event of its own that relates to its call. So `done` means finished, for every kind, and a
follow-up happens after at least one of the meetings it follows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from stidiplo.model import ONE_OFF, Item, a_kind


def lifecycle_doubts(item: Item, meetings: Iterable[Item], today: date) -> list[str]:
    """What in `item`'s status, history or date breaks the lifecycle; `meetings` are those it follows."""
    doubts = []
    if item.kind in ONE_OFF and item.status == "ongoing":
        doubts.append(
            f"status: {a_kind(item.kind)} happens once (scheduled, then done); "
            "ongoing is for joint calls and programmes while they support work"
        )
    statuses = [change.status for change in item.history]
    if "done" in statuses:
        after = statuses[statuses.index("done") + 1 :]
        reopened = next((s for s in after if s not in ("done", "dropped")), None)
        if reopened:
            doubts.append(f"history: done, then {reopened}; done means finished (a call is ongoing from its opening)")
    if item.dated and item.status == "done" and item.start.first > today:
        doubts.append(f"status: done, yet dated {item.date}, after {today.isoformat()}")
    if item.status == "done" and item.kind not in ONE_OFF and item.end and item.finish.first > today:
        doubts.append(f"status: done before its support ends ({item.end}); it is ongoing until then")
    dated = [m for m in meetings if m.dated]
    if item.dated and dated and all(item.finish.last < m.start.first for m in dated):
        doubts.append(f"follows: dated {item.date}, before every meeting it follows")
    return doubts
