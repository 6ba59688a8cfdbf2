"""The briefing ("…後の状況"): the meeting, its follow-ups by field, what is pending and what is overdue,
in the terminal, as Markdown and as one printable HTML page."""

from __future__ import annotations

import json
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from stidiplo.formats.markdown import md_text
from stidiplo.model import Note, StatusChange
from tests.helpers import SHIPPED, fixed_id, fixture_items, item, write_tracker
from tests.test_attention import UK, followup_items

EU = fixed_id("eu-meeting")


@pytest.fixture
def fdb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = write_tracker(tmp_path / "followup.json", followup_items())
    monkeypatch.setenv("STIDIPLO_DB", str(path))
    return path


def test_markdown_briefing_of_a_meeting(run, db: Path) -> None:
    result = run("brief", EU[:8], "--format", "md")
    assert result.exit_code == 0, result
    assert (
        result.stdout
        == """\
# Status since Minister meets Commissioner Moedas (Jan 2018)

- **Date**: Jan 2018
- **Place**: Brussels, Belgium
- **Countries**: European Union

## ■ Quantum technology

- 3–4 Sep 2018 — Japan–EU quantum technology workshop (event · ✓ done)

## ■ Researcher exchange

- 7 Oct 2018 — JST and ERC sign an implementing arrangement (agreement · ✓ done · JST, ERC)

## ■ Science and technology policy

- 1 Nov 2018 — RIKEN Europe office opens (office · ✓ done · RIKEN)

## Still pending (0)

-

## Overdue (0)

-

*As of 30 Apr 2019*
"""
    )


def test_briefing_separates_pending_from_overdue(run, fdb: Path) -> None:
    result = run("brief", UK[:8], "--format", "md")
    assert result.exit_code == 0
    pending = result.stdout.split("## Still pending (4)\n")[1].split("## Overdue (1)\n")
    assert [line.split(" — ")[1].split(" (")[0] for line in pending[0].split("\n") if line.startswith("- ")] == [
        "Possible memorandum explored",
        "Data sharing in coordination",
        "Working-level mechanism in final coordination",
        "Japan–UK researcher workshop",
    ]
    assert "- 15 Mar 2019 — RENKEI forum (event · ○ scheduled)" in pending[1]
    assert "- **People**: Prime Minister, Theresa May" in result.stdout


def test_briefing_lists_notes_and_status_changes_in_date_order(run, fdb: Path) -> None:
    md = run("brief", UK[:8], "--format", "md").stdout
    assert (
        "- 2018 — Possible memorandum explored (agreement · ? exploring)\n"
        "  - 1 Jun 2018: ? exploring\n"
        "  - 10 Sep 2018: Waiting for the UK side\n"
    ) in md
    table = run("brief", UK[:8]).stdout
    lines = table.splitlines()
    at = next(i for i, line in enumerate(lines) if "Possible memorandum explored" in line)
    assert lines[at + 1].split() == ["agreement", "·", fixed_id("uk-old")[:6]]
    assert lines[at + 2].split() == ["1", "Jun", "2018", "?", "exploring"]
    assert "10 Sep 2018" in lines[at + 3] and "Waiting for the UK side" in lines[at + 3]


def test_briefing_without_history(run, fdb: Path) -> None:
    for fmt in ("table", "md", "html"):
        result = run("brief", UK[:8], "--no-history", "--format", fmt)
        assert result.exit_code == 0
        assert "Possible memorandum explored" in result.stdout and "Waiting for the UK side" not in result.stdout


def test_briefing_shows_a_note_added_by_the_note_command(run, db: Path) -> None:
    assert run("note", fixed_id("erc")[:8], "Renewal discussed in Brussels").exit_code == 0
    md = run("brief", EU[:8], "--format", "md").stdout
    assert "Renewal discussed in Brussels" in md.split("## ■ Researcher exchange")[1].split("## ■")[0]


def test_terminal_briefing(run, fdb: Path) -> None:
    result = run("brief", UK[:8])
    assert result.exit_code == 0
    out = result.stdout
    assert out.splitlines()[0] == "Status since Japan–UK summit (10 Jan 2019)"
    for heading in (
        "■ Health and medicine",
        "■ Artificial intelligence",
        "■ Climate change",
        "Still pending (4)",
        "Overdue (1)",
    ):
        assert heading in out
    assert out.index("Still pending (4)") < out.index("Overdue (1)") < out.rindex("RENKEI forum")


def test_briefing_in_japanese(run, db: Path) -> None:
    result = run("--lang", "ja", "brief", EU[:8], "--format", "md")
    assert result.stdout.startswith("# 文部科学大臣とモエダス欧州委員の会談(2018年1月)後の状況\n")
    assert "## ■ 量子技術\n" in result.stdout and "## 期限超過 (0)" in result.stdout
    assert "- 2018年10月7日 — JSTとERCの実施取極に署名（取決め・合意 · ✓ 済 · JST、ERC）" in result.stdout


def test_briefing_by_country_newest_meeting_first_then_other_items(run, tmp_path: Path) -> None:
    later = item(
        "eu-2019",
        kind="meeting",
        title="日EU閣僚会合",
        title_en="Japan–EU ministerial",
        date="2019-03",
        countries=["EU"],
    )
    path = write_tracker(tmp_path / "eu.json", [*fixture_items(), later])
    md = run("--db", str(path), "brief", "--country", "europe", "--format", "md").stdout
    assert md.startswith("# Briefing: European Union\n")
    assert md.index("## Status since Japan–EU ministerial") < md.index("## Status since Minister meets Commissioner")
    assert "no follow-ups recorded" in md.split("## Status since Minister meets")[0]
    sweden = run("--db", str(path), "brief", "--country", "SE", "--format", "md").stdout
    assert "## Other items with Sweden" in sweden and "Minister visits Lund" in sweden
    assert "Status since" not in sweden


def test_country_briefing_names_items_that_follow_another_countrys_meeting(run, db: Path) -> None:
    md = run("brief", "--country", "FR", "--format", "md").stdout
    assert "## Other items with France" in md and "Japan–EU quantum technology workshop" in md


class _Page(HTMLParser):
    """Collects tags, attributes and text of a page to check it stands alone."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_briefing_is_one_self_contained_printable_page(run, tmp_path: Path) -> None:
    hostile = item(
        "hostile",
        kind="event",
        title='<script>alert("x")</script> & <b>bold</b>\x1b[31m',
        date="2018-12",
        countries=["EU"],
        follows=[EU],
        fields=["quantum"],
        status="done",
        history=[StatusChange("2018-12-01T00:00:00Z", "scheduled"), StatusChange("2019-01", "done")],
        notes=[Note("2019-01-05T00:00:00Z", "<img src=http://example.org/x.png>")],
    )
    path = write_tracker(tmp_path / "h.json", [*fixture_items(), hostile])
    result = run("--db", str(path), "--lang", "ja", "brief", EU[:8], "--format", "html")
    assert result.exit_code == 0
    page = result.stdout
    assert page.startswith('<!DOCTYPE html>\n<html lang="ja">')
    assert '<meta charset="utf-8">' in page and "@media print" in page and "Noto Sans CJK JP" in page
    parser = _Page()
    parser.feed(page)
    tags = {tag for tag, _ in parser.tags}
    assert "script" not in tags and "img" not in tags and "link" not in tags and "b" not in tags
    assert not any(name in ("src", "href") for _, attrs in parser.tags for name in attrs)
    text = "".join(parser.text)
    assert '<script>alert("x")</script> & <b>bold</b>\\x1b[31m' in text and "<img src=http://example.org/x.png>" in text
    assert "\x1b" not in page
    assert "文部科学大臣とモエダス欧州委員の会談(2018年1月)後の状況" in text


def test_output_file_takes_its_format_from_the_suffix(run, db: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "eu.html"
    target.parent.mkdir()
    result = run("brief", EU[:8], "-o", str(target))
    assert result.exit_code == 0
    assert result.stdout == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in target.parent.iterdir()) == ["eu.html"]
    markdown = tmp_path / "out" / "eu.md"
    run("brief", EU[:8], "-o", str(markdown))
    assert markdown.read_text(encoding="utf-8").startswith("# Status since")
    plain = tmp_path / "out" / "eu.txt"
    run("brief", EU[:8], "-o", str(plain))
    assert plain.read_text(encoding="utf-8").startswith("Status since Minister meets Commissioner Moedas")
    assert "\x1b[" not in plain.read_text(encoding="utf-8")


def test_output_file_replaces_an_existing_one(run, db: Path, tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    target.write_text("old", encoding="utf-8")
    assert run("brief", EU[:8], "-o", str(target), "--format", "md").exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# Status since")


def test_output_into_a_missing_folder_is_refused(run, db: Path, tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "brief.html"
    result = run("brief", EU[:8], "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr == f"stidiplo: cannot write {target}: the folder {target.parent} does not exist\n"
    assert not target.parent.exists()


def test_output_onto_a_folder_fails_in_one_line_and_leaves_no_temporary_file(run, db: Path, tmp_path: Path) -> None:
    target = tmp_path / "taken.md"
    target.mkdir()
    result = run("brief", EU[:8], "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"stidiplo: cannot write {target}: ") and result.stderr.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".taken")) == []


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["brief"], "meeting id or --country"),
        (["brief", EU[:8], "--country", "EU"], "meeting id or --country"),
        (["brief", fixed_id("erc")[:8]], f"not a meeting; brief the meeting it follows: {EU[:6]}"),
        (["brief", EU[:8], "--format", "odt"], "format"),
        (["brief", "--country", "Atlantis"], "country"),
    ],
)
def test_brief_refuses_cleanly(run, db: Path, args: list[str], says: str) -> None:
    before = db.read_bytes()
    result = run(*args)
    assert result.exit_code == 2, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("stidiplo: ") and says in lines[0]
    assert db.read_bytes() == before


def test_every_new_command_has_help_with_an_example(run) -> None:
    for command in ("brief", "attention", "scorecard", "upcoming", "log", "timeline"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert f"Example: stidiplo {command}" in result.stdout


# -- the shipped dataset ----------------------------------------------------------------------


def shipped_items() -> dict[str, dict]:
    return json.loads(SHIPPED.read_text(encoding="utf-8"))["items"]


def the_one(rows: dict[str, dict], what: str, test: Callable[[dict], bool]) -> str:
    """The id of the single shipped item that passes `test`."""
    found = [item_id for item_id, row in rows.items() if test(row)]
    assert len(found) == 1, f"the shipped dataset should hold exactly one {what}; found {len(found)}"
    return found[0]


def mentions(row: dict, *names: str) -> bool:
    words = " ".join([row["title"], row["title_en"] or "", *row["organizations"]])
    return any(name in words for name in names)


def test_briefing_of_the_seeds_eu_meeting_lists_the_seeds_followups(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STIDIPLO_DB", str(SHIPPED))
    rows = shipped_items()
    meeting = the_one(
        rows,
        "EU meeting in January 2018",
        lambda r: r["kind"] == "meeting" and (r["date"] or "").startswith("2018-01") and r["countries"] == ["EU"],
    )
    expected = [
        the_one(rows, "JST–ERC implementing arrangement", lambda r: r["kind"] == "agreement" and mentions(r, "ERC")),
        the_one(
            rows,
            "Japan–EU quantum workshop of September 2018",
            lambda r: r["kind"] == "event" and "quantum" in r["fields"] and r["date"] == "2018-09-03",
        ),
        the_one(rows, "RIKEN Europe office", lambda r: r["kind"] == "office" and mentions(r, "RIKEN", "理化学研究所")),
    ]
    result = run("--lang", "ja", "brief", meeting[:12], "--format", "md")
    assert result.exit_code == 0, result
    heading, followups = result.stdout.split("\n", 1)
    assert "モエダス" in heading and heading.endswith("後の状況")
    followups = followups.split("## 未了")[0]
    for item_id in expected:
        assert f" — {md_text(rows[item_id]['title'])}（" in followups


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_briefing_rows_line_up_across_fields(run, db: Path, lang: str) -> None:
    from rich.cells import cell_len

    out = run("--lang", lang, "brief", EU[:8], "--no-history").stdout.splitlines()
    rows = [line for line in out if line.startswith("  ") and "✓" in line]
    assert len(rows) == 3  # the EU meeting's follow-ups, under three fields
    assert len({cell_len(line[: line.index("✓")]) for line in rows}) == 1, rows
