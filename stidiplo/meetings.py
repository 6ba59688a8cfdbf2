"""Meetings and what followed them: the data behind the follow-up views."""

from __future__ import annotations

from dataclasses import replace

from stidiplo.model import Item
from stidiplo.query import Filter, select
from stidiplo.tracker import Tracker


def followups_by_meeting(tracker: Tracker, meetings: Filter, followups: Filter) -> list[tuple[Item, list[Item]]]:
    """Each meeting matching `meetings`, with its follow-ups matching `followups`.

    A meeting is kept when its own date, or one of its chosen follow-ups, falls in the period
    `followups` asks for.
    """
    dated = Filter(since=followups.since, until=followups.until)
    meetings = replace(meetings, kinds=frozenset({"meeting"}))
    report = []
    for meeting in select(tracker.candidates(meetings), meetings):
        chosen = [f for f in tracker.followups(meeting.id) if followups.matches(f)]
        if chosen or dated.matches(meeting):
            report.append((meeting, chosen))
    return report
