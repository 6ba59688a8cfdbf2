"""Help reads well at 80 columns, in either display language: no line too wide, no word cut or split."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from stidiplo.cli.app import MODULE_OF, app
from stidiplo.cli.helptext import flowed
from tests.helpers import fixed_id

if TYPE_CHECKING:
    from pathlib import Path

BOX = re.compile("[│╭╮╰╯─]")


def rendered_help(command: str, lang: str) -> str:
    env = {"COLUMNS": "80", "STIDIPLO_LANG": lang, "LANG": "ja_JP.UTF-8" if lang == "ja" else "C.UTF-8"}
    result = CliRunner().invoke(app, [command, "--help"] if command else ["--help"], env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def help_words(command: str) -> list[str]:
    """Every word of a command's own help and of its options' help, as written in the source."""
    from typer.main import get_command

    built = get_command(app).get_command(None, command)  # type: ignore[attr-defined, arg-type]
    texts = [flowed(built.help or ""), *(getattr(p, "help", None) or "" for p in built.params)]
    return [word for text in texts for word in text.split()]


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("command", ["", *MODULE_OF])
def test_help_fits_80_columns_without_cutting_a_word(command: str, lang: str) -> None:
    text = rendered_help(command, lang)
    assert [line for line in text.splitlines() if cell_len(line) > 80] == []
    assert "…" not in text
    if command:
        shown = set(BOX.sub(" ", text).split())
        assert [word for word in help_words(command) if word not in shown] == []


def test_a_paragraph_of_help_is_flowed_not_broken_where_the_source_was() -> None:
    lines = [line.strip() for line in rendered_help("followups", "en").splitlines()]
    assert "--since and --until choose the follow-ups shown; a meeting appears when it or" in lines
    assert "one of its" not in lines


def test_japanese_at_the_end_of_a_help_line_is_kept_whole() -> None:
    assert "量子技術" in BOX.sub(" ", rendered_help("list", "en")).split()


def test_edit_removes_people_and_sources_and_relates_items(run, db: Path) -> None:
    erc, lund = fixed_id("erc"), fixed_id("lund")
    assert run("edit", erc[:6], "--add-person", "Carlos Moedas", "--add-source", "MEXT briefing").exit_code == 0
    assert run("edit", erc[:6], "--add-related", lund[:6]).exit_code == 0
    data = json.loads(run("show", erc[:6], "-f", "json").stdout)
    briefing = {"document": "MEXT briefing", "heading": None, "page": None, "quote": None}
    assert (data["people"], data["sources"], data["related"]) == (["Carlos Moedas"], [briefing], [lund])
    result = run(
        "edit", erc[:6], "--remove-person", "Carlos Moedas", "--remove-source", "MEXT briefing",
        "--remove-related", lund[:6],
    )  # fmt: skip
    assert result.exit_code == 0, result
    data = json.loads(run("show", erc[:6], "-f", "json").stdout)
    assert (data["people"], data["sources"], data["related"]) == ([], [], [])


def test_edit_refuses_to_relate_an_unknown_item(run, db: Path) -> None:
    result = run("edit", fixed_id("erc")[:6], "--add-related", "ffffff")
    assert result.exit_code != 0 and "no item with id 'ffffff'" in result.stderr
