"""Meetings and what followed them: each meeting's chosen follow-ups, and the briefing an official
writes before a minister's meeting, "…後の状況" (status after the meeting).

A briefing holds the meeting itself, its follow-ups under field headings (the ■ headings of MEXT's status pages),
what is still pending and what is overdue. Plain data; views and formats give it a shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from stidiplo.attention import is_overdue
from stidiplo.errors import UsageError
from stidiplo.model import PENDING, Item, a_kind
from stidiplo.query import Filter, sort_items
from stidiplo.tracker import Tracker


@dataclass(frozen=True, slots=True)
class Section:
    """Follow-ups under one field heading; `field` is None for those with no field."""

    field: str | None
    items: list[Item]


@dataclass(frozen=True, slots=True)
class Briefing:
    """One meeting and what followed it, as of `today`."""

    meeting: Item
    sections: list[Section]
    pending: list[Item]
    overdue: list[Item]
    today: date
    history: bool = True
    """Whether each follow-up's status changes and notes are listed beneath it."""

    @property
    def followups(self) -> list[Item]:
        return [i for s in self.sections for i in s.items]


@dataclass(frozen=True, slots=True)
class CountryBriefing:
    """Every meeting with one country, newest first, and the country's items no such meeting explains."""

    country: str
    briefings: list[Briefing]
    others: list[Section]
    today: date
    history: bool = True


def group_by_field(items: Iterable[Item]) -> list[Section]:
    """Items under their first field, in the order given; headings in the order their first item comes."""
    groups: dict[str | None, list[Item]] = {}
    for item in items:
        groups.setdefault(item.fields[0] if item.fields else None, []).append(item)
    return [Section(f, group) for f, group in groups.items()]


def sections(items: Iterable[Item]) -> list[Section]:
    """Items by date under their first field, headings in the order their first item comes by date."""
    return group_by_field(sort_items(items))


def brief(tracker: Tracker, meeting: Item, today: date, *, history: bool = True) -> Briefing:
    """The briefing of one meeting; UsageError when `meeting` is not one."""
    if meeting.kind != "meeting":
        followed = ", ".join(tracker.short_id(m) for m in meeting.follows)
        hint = f"; brief the meeting it follows: {followed}" if followed else ""
        raise UsageError(f"{tracker.short_id(meeting.id)} is {a_kind(meeting.kind)}, not a meeting{hint}")
    followups = tracker.followups(meeting.id)
    overdue = [i for i in followups if is_overdue(i, today)]
    pending = [i for i in followups if i.status in PENDING and i not in overdue]
    return Briefing(meeting, sections(followups), pending, overdue, today, history)


def brief_country(tracker: Tracker, country: str, today: date, *, history: bool = True) -> CountryBriefing:
    """Every meeting with `country`, newest first, then the country's items that follow none of them."""
    with_country = Filter(countries=frozenset({country}))
    mine = [i for i in tracker.candidates(with_country) if with_country.matches(i)]
    meetings = sort_items((i for i in mine if i.kind == "meeting"), reverse=True)
    briefed = {f.id for m in meetings for f in tracker.followups(m.id)}
    others = [i for i in mine if i.kind != "meeting" and i.id not in briefed]
    briefings = [brief(tracker, m, today, history=history) for m in meetings]
    return CountryBriefing(country, briefings, sections(others), today, history)


def followups_by_meeting(tracker: Tracker, meetings: Filter, followups: Filter) -> list[tuple[Item, list[Item]]]:
    """Each meeting matching `meetings`, with its follow-ups matching `followups`.

    A meeting is kept when its own date, or one of its chosen follow-ups, falls in the period
    `followups` asks for.
    """
    dated = Filter(since=followups.since, until=followups.until)
    meetings = replace(meetings, kinds=frozenset({"meeting"}))
    report = []
    for meeting in tracker.select(meetings):
        chosen = [f for f in tracker.followups(meeting.id) if followups.matches(f)]
        if chosen or dated.matches(meeting):
            report.append((meeting, chosen))
    return report
