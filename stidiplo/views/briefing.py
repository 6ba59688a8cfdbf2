"""Rich views of follow-up intelligence: briefings, attention, scorecards, upcoming, the log, lanes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from io import StringIO

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from stidiplo import vocab
from stidiplo.activity import Event, format_stamp, has_history
from stidiplo.attention import Finding, detail, whole_months
from stidiplo.briefing import Briefing, CountryBriefing, Section
from stidiplo.dates import from_date
from stidiplo.formats.briefing import briefing_title, meeting_facts, section_name
from stidiplo.model import STATUSES, Item
from stidiplo.tally import Lane, Tally, runs_past
from stidiplo.tracker import Tracker
from stidiplo.views import STATUS_MARK, STATUS_STYLE, text
from stidiplo.views.items import countries_cell, history_lines, status_cell, tally_text

REASON_STYLE = {"overdue": "bold red", "support-ended": "bold yellow", "stale": "bold magenta", "no-followups": "bold"}
ACTION_STYLE = {"added": "green", "status": "cyan", "noted": "yellow", "edited": "dim"}
BAR_WIDTH = 20


def plain_text(renderable: RenderableType, width: int) -> str:
    """A view as plain text (no colour), for writing the terminal view to a file."""
    out = Console(
        file=StringIO(), width=width, color_system=None, highlight=False, emoji=False, markup=False, soft_wrap=False
    )
    out.print(renderable)
    return out.file.getvalue()


# -- the briefing -----------------------------------------------------------------------------


def _date_width(items: Sequence[Item], lang: str) -> int:
    """The width of the date column that lines up every item of one view (with its indent)."""
    return max((cell_len(item.when(lang)) for item in items), default=0) + 2


def _item_rows(items: Sequence[Item], tracker: Tracker, lang: str, *, history: bool, date_width: int) -> Table:
    """Each item by its date: status and title, then kind, organisations and id, then its history."""
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, min_width=date_width)
    table.add_column(overflow="fold", ratio=1)
    for item in items:
        meta = Text(f"{vocab.kind_label(item.kind, lang)} · ", style="dim")
        if item.organizations:
            meta.append_text(text(", ".join(item.organizations), style="dim")).append(" · ", style="dim")
        meta.append(tracker.short_id(item.id), style="dim")
        heading = status_cell(item.status, lang).append("  ").append_text(text(item.title_in(lang)))
        parts: list[RenderableType] = [heading, meta]
        if history and has_history(item):
            entries = Table.grid(padding=(0, 2))
            entries.add_column(no_wrap=True, style="dim")
            entries.add_column(overflow="fold", ratio=1)
            for at, change in history_lines(item, lang):
                entries.add_row(format_stamp(at, lang), change)
            parts.append(entries)
        table.add_row(f"  {item.when(lang)}", Group(*parts))
    return table


def _sections(
    sections: Sequence[Section], tracker: Tracker, lang: str, history: bool, date_width: int
) -> list[RenderableType]:
    parts: list[RenderableType] = []
    for section in sections:
        parts.append(Text("■ ", style="bold").append_text(text(section_name(section, lang), style="bold")))
        parts.append(_item_rows(section.items, tracker, lang, history=history, date_width=date_width))
    return parts


def _meeting_lines(meeting: Item, tracker: Tracker, lang: str) -> Table:
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column(overflow="fold")
    for label, value in meeting_facts(meeting, lang):
        facts.add_row(label, text(value))
    facts.add_row(vocab.header("id", lang), Text(tracker.short_id(meeting.id), style="dim"))
    return facts


def briefing_view(briefing: Briefing, tracker: Tracker, lang: str) -> RenderableType:
    """The seed's "…後の状況" page: the meeting, follow-ups by field, then pending and overdue."""
    meeting = briefing.meeting
    parts: list[RenderableType] = [
        text(briefing_title(briefing, lang), style="bold underline"),
        _meeting_lines(meeting, tracker, lang),
    ]
    if not briefing.sections:
        parts.append(Text(vocab.header("no_followups", lang), style="dim"))
    date_width = _date_width([*briefing.followups, *briefing.pending, *briefing.overdue], lang)
    parts += _sections(briefing.sections, tracker, lang, briefing.history, date_width)
    if briefing.followups:
        parts.append(tally_text(briefing.followups, lang))
    for key, items, style in (("pending", briefing.pending, "bold yellow"), ("overdue", briefing.overdue, "bold red")):
        parts.append(Text(""))
        parts.append(Text(f"{vocab.header(key, lang)} ({len(items)})", style=style))
        if items:
            parts.append(_item_rows(items, tracker, lang, history=False, date_width=date_width))
    return Group(*parts)


def country_briefing_view(report: CountryBriefing, tracker: Tracker, lang: str) -> RenderableType:
    """Every meeting with a country, newest first, then the country's other items."""
    name = vocab.country_name(report.country, lang)
    parts: list[RenderableType] = [
        text(vocab.header("briefing_country", lang).format(country=name), style="bold"),
        Rule(style="dim"),
    ]
    for briefing in report.briefings:
        parts += [briefing_view(briefing, tracker, lang), Rule(style="dim")]
    if report.others:
        parts.append(text(vocab.header("others_with", lang).format(country=name), style="bold underline"))
        others = [item for section in report.others for item in section.items]
        parts += _sections(report.others, tracker, lang, report.history, _date_width(others, lang))
    if not report.briefings and not report.others:
        parts.append(Text(vocab.header("nothing_with", lang).format(country=name), style="dim"))
    return Group(*parts)


# -- attention, upcoming, log -----------------------------------------------------------------


def attention_view(findings: Sequence[Finding], tracker: Tracker, lang: str, today: date) -> RenderableType:
    """Findings under one heading per reason, each with the sentence that explains it."""
    if not findings:
        return Text(vocab.header("attention_none", lang).format(date=from_date(today).format(lang)), style="green")
    parts: list[RenderableType] = []
    for reason in REASON_STYLE:
        chosen = [f for f in findings if f.reason == reason]
        if not chosen:
            continue
        parts.append(Text(f"{vocab.header('reason_' + reason, lang)} ({len(chosen)})", style=REASON_STYLE[reason]))
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(overflow="fold", ratio=1)
        for finding in chosen:
            item = finding.item
            heading = status_cell(item.status, lang).append("  ").append_text(text(item.title_in(lang)))
            why = countries_cell(item, lang).append(" · ").append(detail(finding, today, lang))
            why.stylize("dim")
            table.add_row(Text(f"  {tracker.short_id(item.id)}", style="bold"), item.when(lang), Group(heading, why))
        parts += [table, Text("")]
    return Group(*parts)


def upcoming_table(items: Sequence[Item], tracker: Tracker, lang: str, today: date, months: int) -> RenderableType:
    """Scheduled items, soonest first, with how far ahead each lies."""
    if not items:
        return Text(vocab.header("upcoming_none", lang).format(months=months), style="dim")
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, style="cyan")
    table.add_column(overflow="fold", ratio=1)
    for item in items:
        meta = Text(f"{vocab.kind_label(item.kind, lang)} · ").append_text(countries_cell(item, lang))
        meta.append(f" · {tracker.short_id(item.id)}")
        meta.stylize("dim")
        table.add_row(f"  {item.when(lang)}", ahead(item, today, lang), Group(text(item.title_in(lang)), meta))
    return Group(Text(vocab.header("upcoming_title", lang).format(months=months), style="bold"), table)


def ahead(item: Item, today: date, lang: str) -> str:
    """How far ahead an item lies: 'in 12 days', 'in 3 mo'; 'by 31 Dec 2019' when its date already runs."""
    first, last = item.start.first, item.start.last
    if first <= today:
        day = from_date(last).format(lang)
        return f"{day}まで" if lang == "ja" else f"by {day}"
    months = whole_months(today, first)
    if months == 0:
        days = (first - today).days
        return f"{days}日後" if lang == "ja" else f"in {days} days"
    return f"{months}か月後" if lang == "ja" else f"in {months} mo"


def log_table(events: Sequence[Event], tracker: Tracker, lang: str) -> RenderableType:
    """Recorded changes, newest first: when, what, which item, and the new status or the note."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True, expand=True)
    for column in ("at", "action", "id", "title", "change"):
        table.add_column(
            vocab.header(column, lang),
            overflow="fold",
            no_wrap=column in ("at", "action", "id"),
            ratio={"title": 3, "change": 2}.get(column),
        )
    for event in events:
        if event.status is not None:
            change: Text | str = status_cell(event.status, lang)
        elif event.note is not None:
            change = text(event.note)
        else:
            change = ""
        table.add_row(
            event.at.replace("T", " ").rstrip("Z"),
            Text(vocab.header("action_" + event.action, lang), style=ACTION_STYLE[event.action]),
            Text(tracker.short_id(event.item.id), style="bold"),
            text(event.item.title_in(lang)),
            change,
        )
    return table


# -- the scorecard ----------------------------------------------------------------------------


def completed_text(share: float | None) -> str:
    return "–" if share is None else f"{share:.0%}"


def bar(share: float | None, width: int = BAR_WIDTH) -> Text:
    """A bar filled in proportion to the share completed."""
    filled = 0 if share is None else round(share * width)
    return Text("█" * filled, style="green").append("░" * (width - filled), style="dim")


def scorecard_table(rows: Sequence[tuple[str, Tally]], total: Tally, by: str, lang: str) -> RenderableType:
    """One row per meeting, country, field or year: counts by status, a bar and the share completed."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_footer=True)
    table.add_column(vocab.header(by, lang), vocab.header("total", lang), overflow="fold", ratio=1, min_width=12)
    for status in STATUSES:
        table.add_column(
            Text(STATUS_MARK[status], style=STATUS_STYLE[status]),
            Text(str(total.counts[status]), style=STATUS_STYLE[status]),
            justify="right",
            no_wrap=True,
        )
    table.add_column("Σ", str(total.total), justify="right", no_wrap=True)
    table.add_column(vocab.header("completed", lang), bar(total.completed), no_wrap=True)
    table.add_column("%", completed_text(total.completed), justify="right", no_wrap=True)
    for name, row in rows:
        table.add_row(
            text(name),
            *(_count(row.counts[s], s) for s in STATUSES),
            str(row.total),
            bar(row.completed),
            completed_text(row.completed),
        )
    return Group(table, _legend(lang))


def _count(n: int, status: str) -> Text:
    return Text(str(n), style=STATUS_STYLE[status]) if n else Text("·", style="dim")


def _legend(lang: str) -> Text:
    legend = Text("  ")
    for status in STATUSES:
        legend.append(f"{STATUS_MARK[status]} {vocab.status_label(status, lang)}  ", style=STATUS_STYLE[status])
    return legend


# -- timeline lanes ---------------------------------------------------------------------------


class LanesView:
    """One lane per country or field, one cell per year: a mark per item starting that year, a
    line through the years an item's support or validity runs. Sized to the console's width."""

    def __init__(self, years: Sequence[int | None], lanes: Sequence[tuple[str, Lane]], lang: str) -> None:
        self.years = list(years)
        self.lanes = list(lanes)
        self.lang = lang

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.lanes:
            return
        label_width = min(max(Text(name).cell_len for name, _ in self.lanes), max(16, options.max_width // 4))
        count_width = max(len(str(len(lane.items))) for _, lane in self.lanes) + 1
        room = options.max_width - label_width - count_width - 1
        busiest = max(len(starts) for _, lane in self.lanes for starts, _ in lane.cells.values())
        cell = max(2, min(max(busiest, 4), room // len(self.years) - 1))
        header = Text(" " * (label_width + 1))
        for year in self.years:
            label = "…" if year is None else str(year) if cell >= 4 else str(year)[-2:]
            header.append(f"{label:<{cell}} ", style="bold")
        yield header
        for name, lane in self.lanes:
            line = text(name)
            line.truncate(label_width, overflow="ellipsis", pad=True)
            line.append(" ")
            for year in self.years:
                quiet = Text(" " * cell) if year is None else None
                line.append_text(quiet or _cell(year, *lane.cells.get(year, ([], [])), cell))
                line.append(" ")
            line.append(f"{len(lane.items):>{count_width}}", style="dim")
            yield line
        yield _legend(self.lang)


def _cell(year: int, starts: Sequence[Item], runs: Sequence[Item], width: int) -> Text:
    """Marks of the items starting in a year, then a line for those running on; '·' when quiet."""
    out = Text()
    shown = starts if len(starts) <= width else starts[: width - 1]
    for item in shown:
        out.append(STATUS_MARK[item.status], style=STATUS_STYLE[item.status])
    if len(shown) < len(starts):
        out.append("+", style="bold")
    running = [*runs, *(i for i in starts if runs_past(i, year))]
    if running and out.cell_len < width:
        out.append("─" * (width - out.cell_len), style=STATUS_STYLE[running[0].status])
    if not out:
        out.append("·", style="dim")
    out.pad_right(width - out.cell_len)
    return out
