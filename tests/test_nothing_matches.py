"""When nothing matches, the views say so in one line on stderr, naming the options, and exit 0."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("list", "--country", "KP", "--since", "2030"), "no items match: --country KP --since 2030"),
        (
            ("list", "-c", "Korea, Republic of", "-q", "a b"),
            "no items match: --country 'Korea, Republic of' --search 'a b'",
        ),
        (("followups", "--country", "KP"), "no items match: --country KP"),
        (("timeline", "--kind", "office", "--status", "ongoing"), "no items match: --kind office --status ongoing"),
        (("brief", "--country", "KP"), "no items match: --country KP"),
        (("attention", "--country", "KP"), "Nothing needs attention as of 30 Apr 2019: --country KP"),
        (("upcoming", "--months", "1", "--kind", "office"), "Nothing scheduled in the next 1 months: --kind office"),
    ],
)  # fmt: skip
def test_an_empty_view_is_one_line_on_stderr(run, db: Path, args: tuple[str, ...], line: str) -> None:
    result = run(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", line + "\n")


@pytest.mark.parametrize("command", ["list", "followups", "timeline", "attention", "upcoming"])
def test_json_still_prints_an_empty_array(run, db: Path, command: str) -> None:
    result = run(command, "--country", "KP", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert result.stderr.endswith(": --country KP\n")


def test_the_line_is_in_the_display_language_where_the_view_has_one(run, db: Path) -> None:
    result = run("--lang", "ja", "upcoming", "--country", "KP")
    assert result.stderr == "今後3か月の予定はありません: --country KP\n"


def test_a_view_with_matches_says_nothing_on_stderr(run, db: Path) -> None:
    result = run("list", "--country", "SE")
    assert result.exit_code == 0 and result.stderr == "" and "Lund" in result.stdout
