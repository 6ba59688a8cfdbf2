"""Tables and detail views of items."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from stidiplo import vocab
from stidiplo.model import Item
from stidiplo.tracker import Tracker
from stidiplo.views import STATUS_MARK, STATUS_STYLE, text


def status_cell(status: str, lang: str) -> Text:
    return Text(f"{STATUS_MARK[status]} {vocab.status_label(status, lang)}", style=STATUS_STYLE[status])


def countries_cell(item: Item, lang: str) -> Text:
    """Country and bloc names in `lang`, compact: codes of blocs, names of countries."""
    return text(("、" if lang == "ja" else ", ").join(vocab.country_name(c, lang) for c in item.countries))


_MAX_WIDTH = {"date": 16, "kind": 12, "status": 15, "countries": 18, "name": 24}
_MIN_WIDTH = {"date": 10, "kind": 12, "status": 12, "countries": 12}
TITLE_SHARE = 0.35
"""The share of the width a title keeps when the columns beside it must give way."""
TITLE_MIN = 16


def _caps(needed: dict[str, int], headers: dict[str, int], width: int) -> dict[str, int]:
    """The widest each column beside the title may be: what its cells need, up to a preferred cap;
    where that leaves the title less than its share of `width`, less, down to a minimum (never
    narrower than the column's header), and below that only to keep the title TITLE_MIN wide.

    `needed` and `headers` give, for every column, the widest cell and the header's width.
    """
    side = [c for c in needed if c in _MIN_WIDTH]
    want = {c: min(_MAX_WIDTH[c], needed[c]) for c in side}
    least = {c: min(max(_MIN_WIDTH[c], headers[c]), want[c]) for c in side}
    fixed = 2 * (len(needed) - 1) + needed.get("id", 0)
    room = width * (1 - TITLE_SHARE) - fixed
    if room >= sum(want.values()):
        return want
    if room >= sum(least.values()):
        keep = (room - sum(least.values())) / (sum(want.values()) - sum(least.values()))
        return {c: least[c] + int(keep * (want[c] - least[c])) for c in side}
    squeeze = min(1.0, (width - fixed - TITLE_MIN) / sum(least.values()))
    return {c: max(4, int(least[c] * squeeze)) for c in side}


def _table(lang: str, columns: Sequence[str], title: str | None = None, caps: dict[str, int] | None = None) -> Table:
    """A table whose `title` column takes the width left, folding Japanese text by character.

    The other columns are capped so the title keeps room; giving the title a ratio (not letting
    Rich shrink it) also avoids Rich dropping wide characters where a folded line meets the edge.
    """
    caps = caps or _MAX_WIDTH
    table = Table(
        box=box.SIMPLE_HEAD,
        title=title,
        title_justify="left",
        pad_edge=False,
        show_edge=False,
        collapse_padding=True,
        expand="title" in columns,
    )
    for column in columns:
        table.add_column(
            vocab.header(column, lang),
            overflow="fold",
            no_wrap=column == "id",
            max_width=caps.get(column),
            ratio=1 if column == "title" else None,
            min_width=TITLE_MIN if column == "title" else None,
        )
    return table


class ItemsTable:
    """One row per item: id, date, kind, status, countries, title; laid out for the width it is given."""

    COLUMNS = ("id", "date", "kind", "status", "countries", "title")

    def __init__(self, items: Sequence[Item], tracker: Tracker, lang: str, title: str | None = None) -> None:
        self.lang, self.title = lang, title
        self.rows = [
            (
                Text(tracker.short_id(item.id), style="bold"),
                item.when(lang),
                vocab.kind_label(item.kind, lang),
                status_cell(item.status, lang),
                countries_cell(item, lang),
                text(item.title_in(lang)),
            )
            for item in items
        ]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        headers = [vocab.header(c, self.lang) for c in self.COLUMNS]
        needed = dict(zip(self.COLUMNS, column_widths([headers, *self.rows]), strict=True))
        caps = _caps(needed, {c: cell_len(h) for c, h in zip(self.COLUMNS, headers, strict=True)}, options.max_width)
        table = _table(self.lang, self.COLUMNS, self.title, caps)
        for ident, when, *rest in self.rows:
            table.add_row(ident, _fit_date(when, caps["date"]), *rest)
        yield table


def _fit_date(when: str, width: int) -> str:
    """A date too wide for its column, broken after its dash, month or year, never inside a number."""
    if cell_len(when) <= width:
        return when
    for mark in ("～", "–", "月", "年"):
        at = when.find(mark) + 1
        if at and cell_len(when[:at]) <= width:
            return f"{when[:at].rstrip()}\n{when[at:].lstrip()}"
    return when


def _field_lines(item: Item, tracker: Tracker, lang: str) -> list[tuple[str, Text | str]]:
    join = "、" if lang == "ja" else ", "
    rows: list[tuple[str, Text | str]] = [
        ("id", item.id),
        ("title", text(item.title)),
    ]
    if item.title_en:
        rows.append(("title_en", text(item.title_en)))
    rows += [
        ("kind", vocab.kind_label(item.kind, lang)),
        ("date", item.when(lang)),
        ("status", status_cell(item.status, lang)),
        ("countries", join.join(f"{vocab.country_name(c, lang)} ({c})" for c in item.countries)),
        ("fields", join.join(vocab.field_name(f, lang) for f in item.fields)),
    ]
    if item.follows:
        meeting = tracker.items.get(item.follows)
        label = meeting.title_in(lang) if meeting else "?"
        rows.append(("follows", text(f"{tracker.short_id(item.follows)}  {label}")))
    for key in ("place", "participants"):
        value = getattr(item, key)
        if value:
            rows.append((key, text(value)))
    for key in ("organizations", "people", "sources"):
        values = getattr(item, key)
        if values:
            rows.append((key, text("\n".join(values))))
    if item.amount is not None:
        amount = f"{item.amount.value:,} {item.amount.currency}"
        if item.amount.detail:
            amount += f" ({item.amount.detail})"
        rows.append(("amount", text(amount)))
    rows.append(("created", item.created))
    rows.append(("updated", item.updated))
    return rows


def history_lines(item: Item, lang: str) -> list[tuple[str, Text]]:
    """Status changes and notes merged in date order."""
    entries: list[tuple[str, Text]] = [(h.at, status_cell(h.status, lang)) for h in item.history]
    entries += [(n.at, text(n.text)) for n in item.notes]
    return sorted(entries, key=lambda e: e[0])


def item_detail(item: Item, tracker: Tracker, lang: str) -> RenderableType:
    """Everything about one item: its fields, its meeting, its follow-ups, its history."""
    fields = Table.grid(padding=(0, 2))
    fields.add_column(style="bold", no_wrap=True)
    fields.add_column(overflow="fold")
    for key, value in _field_lines(item, tracker, lang):
        fields.add_row(vocab.header(key, lang), value)
    parts: list[RenderableType] = [fields]
    followups = tracker.followups(item.id)
    if followups:
        parts.append(ItemsTable(followups, tracker, lang, title=vocab.header("followups", lang)))
    related = tracker.related_to(item)
    if related:
        parts.append(ItemsTable(related, tracker, lang, title=vocab.header("related", lang)))
    history = Table(box=box.SIMPLE_HEAD, title=vocab.header("history", lang), title_justify="left")
    history.add_column(vocab.header("at", lang), no_wrap=True)
    history.add_column(vocab.header("change", lang), overflow="fold")
    for at, change in history_lines(item, lang):
        history.add_row(at, change)
    parts.append(history)
    return Group(*parts)


def months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def ago(item: Item, today: date, lang: str) -> str:
    """How long ago (or how far ahead) an item's date lies, in months."""
    months = months_between(item.start.first, today)
    if months == 0:
        return "今月" if lang == "ja" else "this month"
    if lang == "ja":
        return f"{months}か月前" if months > 0 else f"{-months}か月後"
    return f"{months} mo ago" if months > 0 else f"in {-months} mo"


def tally_text(items: Sequence[Item], lang: str) -> Text:
    """'✓ done 3 · ~ coordinating 1': follow-ups counted by status."""
    out = Text()
    counts: dict[str, int] = {}
    for item in items:
        counts[item.status] = counts.get(item.status, 0) + 1
    for status in STATUS_STYLE:
        if counts.get(status):
            if out:
                out.append(" · ")
            out.append(
                f"{STATUS_MARK[status]} {vocab.status_label(status, lang)} {counts[status]}", style=STATUS_STYLE[status]
            )
    return out


def followups_view(
    meetings: Sequence[tuple[Item, list[Item]]], tracker: Tracker, lang: str, today: date
) -> RenderableType:
    """Each meeting, then its follow-ups grouped by field, then a tally."""
    parts: list[RenderableType] = []
    for meeting, followups in meetings:
        heading = Text()
        heading.append(f"{tracker.short_id(meeting.id)}  ", style="bold")
        heading.append(meeting.when(lang) + "  ", style="bold")
        heading.append_text(text(meeting.title_in(lang), style="bold underline"))
        if meeting.countries:
            heading.append(f"  [{' '.join(meeting.countries)}]")
        parts.append(heading)
        if not followups:
            parts.append(Text("  " + vocab.header("no_followups", lang), style="dim"))
        cells = {
            item.id: (
                " ",
                item.when(lang),
                vocab.kind_label(item.kind, lang),
                status_cell(item.status, lang),
                text(item.title_in(lang)),
                Text(ago(item, today, lang), style="dim"),
            )
            for item in followups
        }
        widths = column_widths(cells.values())
        for field, group in group_by_field(followups, lang):
            parts.append(Text(f"  ■ {field}", style="bold"))
            table = aligned_table(widths, title_at=4)
            for item in group:
                table.add_row(*cells[item.id])
            parts.append(table)
        if followups:
            parts.append(Text("  ").append_text(tally_text(followups, lang)))
        parts.append(Text(""))
    return Group(*parts)


def group_by_field(items: Sequence[Item], lang: str) -> list[tuple[str, list[Item]]]:
    """Items under their first field's name (the seed's ■ headings), in the order fields appear."""
    groups: dict[str, list[Item]] = {}
    for item in items:
        name = vocab.field_name(item.fields[0], lang) if item.fields else vocab.header("other", lang)
        groups.setdefault(name, []).append(item)
    return list(groups.items())


def timeline_view(items: Sequence[Item], lang: str) -> RenderableType:
    """Items by year and month, one line each with date, countries, kind and a status mark."""
    rows = [
        (
            Text(STATUS_MARK[item.status], style=STATUS_STYLE[item.status]),
            item.when(lang),
            countries_cell(item, lang),
            vocab.kind_label(item.kind, lang),
            text(item.title_in(lang)),
        )
        for item in items
    ]
    widths = column_widths(rows)
    parts: list[RenderableType] = []
    current_year = None
    for item, row in zip(items, rows, strict=True):
        year = item.start.first.year
        if year != current_year:
            parts.append(Text(f"{year}{'年' if lang == 'ja' else ''}", style="bold"))
            parts.append(aligned_table(widths, title_at=4))
            current_year = year
        parts[-1].add_row(*row)
    return Group(*parts)


def column_widths(rows: Iterable[Sequence[str | Text]]) -> list[int]:
    """The widest cell of each column in terminal cells, so that the tables of one view line up."""
    return [max(cell_len(c.plain if isinstance(c, Text) else c) for c in column) for column in zip(*rows, strict=True)]


def aligned_table(widths: Sequence[int], title_at: int) -> Table:
    """A borderless table as wide as the terminal: each column `widths` wide but the title's, which takes the rest."""
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1), expand=True)
    for at, width in enumerate(widths):
        if at == title_at:
            table.add_column(overflow="fold", ratio=1)
        else:
            table.add_column(overflow="fold", no_wrap=True, min_width=width)
    return table


def counts_table(rows: Sequence[tuple[str, str, int]], lang: str) -> Table:
    """A code, its name in `lang` and how many items use it."""
    table = _table(lang, ("code", "name", "count"))
    for code, name, count in rows:
        table.add_row(code, text(name), str(count))
    return table
