"""The short summary `sync` prints: what was committed, what came in from the team, what went out."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from stidiplo import vocab
from stidiplo.gitshare import SyncReport
from stidiplo.tracker import Tracker
from stidiplo.views import text
from stidiplo.views.items import ItemsTable, status_cell

_WORDS = {
    "en": {
        "committed": "Committed: {subject}",
        "nothing_in": "Nothing new from {upstream}.",
        "came_in": "From {upstream}: {counts}.",
        "no_tracker_change": "no change to the tracker",
        "added": "{n} new",
        "statuses": "{n} status changed",
        "edited": "{n} edited",
        "removed": "{n} removed",
        "new_items": "New items",
        "status_changes": "Status changes",
        "conflicts": "Settled by the merge (kept in the items' notes)",
        "pushed": "Sent {n} commit(s) to {upstream}.",
        "nothing_out": "Nothing to send; {upstream} is up to date.",
    },
    "ja": {
        "committed": "コミット: {subject}",
        "nothing_in": "{upstream} からの新しい変更はありません。",
        "came_in": "{upstream} から: {counts}。",
        "no_tracker_change": "トラッカーの変更なし",
        "added": "新規 {n} 件",
        "statuses": "状況変更 {n} 件",
        "edited": "編集 {n} 件",
        "removed": "削除 {n} 件",
        "new_items": "新しい案件",
        "status_changes": "状況の変更",
        "conflicts": "マージで調整した点（各案件のメモに記録）",
        "pushed": "{upstream} へ {n} 件のコミットを送信しました。",
        "nothing_out": "送信するものはありません（{upstream} は最新です）。",
    },
}


def sync_summary(report: SyncReport, tracker: Tracker, lang: str) -> RenderableType:
    """A few lines, then the new items and the status changes that came in."""
    words = _WORDS[lang]
    upstream = str(report.upstream)
    change = report.changes
    parts: list[RenderableType] = []
    if report.committed:
        parts.append(text(words["committed"].format(subject=report.committed)))
    if not report.pulled:
        parts.append(Text(words["nothing_in"].format(upstream=upstream)))
    else:
        counts = [
            words[key].format(n=len(found))
            for key, found in (
                ("added", change.added),
                ("statuses", change.statuses),
                ("edited", change.edited),
                ("removed", change.removed),
            )
            if found
        ]
        sep = "、" if lang == "ja" else ", "
        counts_text = sep.join(counts) or words["no_tracker_change"]
        parts.append(Text(words["came_in"].format(upstream=upstream, counts=counts_text), style="bold"))
    added = [tracker.items[i] for i in change.added if i in tracker.items]
    if added:
        parts.append(ItemsTable(sorted(added, key=lambda i: i.start.sort_key), tracker, lang, title=words["new_items"]))
    statuses = [(tracker.items[i], was, now) for i, was, now in change.statuses if i in tracker.items]
    if statuses:
        table = Table(box=box.SIMPLE_HEAD, title=words["status_changes"], title_justify="left", pad_edge=False)
        for column in ("id", "status", "title"):
            table.add_column(vocab.header(column, lang), overflow="fold", no_wrap=column != "title")
        for item, was, now in statuses:
            moved = status_cell(was, lang).append(" → ").append_text(status_cell(now, lang))
            table.add_row(Text(tracker.short_id(item.id), style="bold"), moved, text(item.title_in(lang)))
        parts.append(table)
    if change.conflicts:
        parts.append(Text(words["conflicts"], style="bold yellow"))
        for item_id, note in change.conflicts:
            line = Text(f"  {tracker.short_id(item_id) if item_id in tracker.items else item_id[:8]}  ", style="bold")
            parts.append(line.append_text(text(note)))
    if report.pushed:
        parts.append(Text(words["pushed"].format(n=report.pushed, upstream=upstream)))
    else:
        parts.append(Text(words["nothing_out"].format(upstream=upstream), style="dim"))
    return Group(*parts)
