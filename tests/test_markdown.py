"""Every Markdown output is inert: text a user typed shows as typed, never as HTML, a link or
formatting, and control characters show as escapes. Checked by rendering with markdown-it (the
CommonMark renderer Rich ships with), HTML allowed as on GitHub, so live markup would show."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from stidiplo.formats.markdown import md_text, write_md_rows
from tests.helpers import fixed_id, item, write_tracker

IMG = "<img src=x onerror=alert(1)>"
LINK = "[x](javascript:alert(1))"
MEETING = fixed_id("md-meeting")


def render(markdown: str) -> str:
    """The HTML a Markdown viewer that passes HTML through (as GitHub's does, before sanitising) makes."""
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


def assert_inert(markdown: str) -> None:
    html = render(markdown)
    assert "<img" not in html and "<a " not in html, markdown
    assert "onerror=alert(1)" in markdown  # the text itself is still there, shown


@pytest.fixture
def hostile_md(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A meeting and a scheduled follow-up whose titles, place and organisations carry HTML and links."""
    meeting = item(
        "md-meeting",
        kind="meeting",
        title=f"会談 {IMG} {LINK}",
        title_en=f"Meeting {IMG} {LINK}",
        date="2019-01",
        countries=["SE"],
        fields=["quantum"],
        place=IMG,
        people=[LINK],
    )
    followup = item(
        "md-followup",
        kind="event",
        title=f"行事 {IMG}",
        title_en=f"Event {LINK} {IMG}",
        date="2019-06",
        countries=["SE"],
        fields=["quantum"],
        follows=[meeting.id],
        status="scheduled",
        organizations=[IMG],
    )
    path = write_tracker(tmp_path / "md.json", [meeting, followup])
    monkeypatch.setenv("STIDIPLO_DB", str(path))
    return path


MARKDOWN_COMMANDS = [
    ["list", "-f", "md"],
    ["export", "-f", "md"],
    ["followups", "-f", "md"],
    ["timeline", "-f", "md"],
    ["scorecard", "-f", "md"],
    ["upcoming", "--months", "12", "-f", "md"],
    ["brief", MEETING[:8], "-f", "md"],
    ["brief", "--country", "SE", "-f", "md"],
]


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("command", MARKDOWN_COMMANDS, ids=" ".join)
def test_markdown_outputs_keep_html_and_links_inert(run, hostile_md: Path, command: list[str], lang: str) -> None:
    result = run("--lang", lang, *command)
    assert result.exit_code == 0, result
    assert_inert(result.stdout)


def test_markdown_written_to_a_file_is_inert_too(run, hostile_md: Path, tmp_path: Path) -> None:
    page = tmp_path / "brief.md"
    assert run("brief", MEETING[:8], "-o", str(page)).exit_code == 0
    assert_inert(page.read_text(encoding="utf-8"))


# -- the escaper itself -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        (IMG, r"\<img src=x onerror=alert(1)\>"),
        (LINK, r"\[x\](javascript:alert(1))"),
        ("<https://evil.example>", r"\<https://evil.example\>"),
        ("**bold** _it_ `code` ~~gone~~", r"\*\*bold\*\* \_it\_ \`code\` \~\~gone\~\~"),
        ("# not a heading", r"\# not a heading"),
        ("a | b", r"a \| b"),
        ("back\\slash", r"back\\slash"),
        ("S&T", "S&T"),
        ("JST–ERC 実施取極", "JST–ERC 実施取極"),
    ],
)
def test_md_text_escapes_what_would_format(typed: str, written: str) -> None:
    assert md_text(typed) == written


def test_md_text_renders_back_to_the_text_typed() -> None:
    typed = f"{IMG} {LINK} *a* _b_ #c |d| \\e"
    assert render(md_text(typed)) == f"<p>{typed.replace('<', '&lt;').replace('>', '&gt;')}</p>\n"


def test_md_text_keeps_one_line_and_shows_control_characters() -> None:
    assert md_text("first\nsecond") == "first<br>second"
    assert md_text("  spaced \t out \n\n  ") == "spaced out"
    assert md_text("\x1b[2Jclear") == r"\\x1b\[2Jclear"
    assert md_text("line\roverwritten") == r"line\\roverwritten"
    assert md_text("") == ""


def test_a_table_cell_cannot_break_its_row() -> None:
    out = io.StringIO()
    write_md_rows(["title", "place"], [["a | b\nc", "<b>x</b>"]], out)
    lines = out.getvalue().splitlines()
    assert lines == ["| title | place |", "|---|---|", r"| a \| b<br>c | \<b\>x\</b\> |"]
    cells = render(out.getvalue()).split("<tbody>")[1]
    assert cells.count("<td>") == 2 and "<b>" not in cells
