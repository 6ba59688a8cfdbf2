"""Shell completion: the shell's request (`_STIDIPLO_COMPLETE`) answered with commands, options and values."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from stidiplo.cli.app import app
from tests.helpers import ROOT, SHIPPED, fixed_id

if TYPE_CHECKING:
    from pathlib import Path


def bash(line: str) -> list[str]:
    """The candidates stidiplo gives bash for the last word of `line` (a trailing space: a new word)."""
    words = shlex.split(line) + ([""] if line.endswith(" ") else [])
    env = {"_STIDIPLO_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    result = CliRunner().invoke(app, [], env=env)
    assert result.exit_code == 0, result.output
    return [word for word in result.stdout.splitlines() if word]


def described(shell: str, line: str) -> str:
    """What stidiplo answers zsh or fish, which show each candidate with its description."""
    env = {
        "_STIDIPLO_COMPLETE": f"complete_{shell}",
        "_TYPER_COMPLETE_ARGS": line,
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
    }
    result = CliRunner().invoke(app, [], env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_commands_and_options_complete(db: Path) -> None:
    assert bash("stidiplo li") == ["list"]
    assert {"followups", "values", "completion"} <= set(bash("stidiplo "))
    assert bash("stidiplo list --ki") == ["--kind"]


def test_a_country_completes_from_its_name_or_code(db: Path) -> None:
    assert bash("stidiplo list --country sw") == ["switzerland", "sweden"]
    assert '"sweden":"SE"' in described("zsh", "stidiplo list --country sw")
    assert bash("stidiplo list -c Sw") == ["Switzerland", "Sweden"]
    assert "se" in bash("stidiplo list -c s")


def test_a_country_completes_in_the_display_language(db: Path) -> None:
    assert "スウェーデン\tSE" in described("fish", "stidiplo --lang ja list --country スウ").splitlines()


def test_a_name_with_spaces_reaches_bash_escaped(db: Path) -> None:
    assert bash("stidiplo list --country united\\ k") == ["united\\ kingdom"]


def test_an_item_id_completes_with_its_title(db: Path) -> None:
    lund = fixed_id("lund")
    assert bash(f"stidiplo show {lund[:3]}") == [lund[:6]]
    assert f"{lund[:6]}\tMinister visits Lund" in described("fish", f"stidiplo show {lund[:3]}").splitlines()
    assert bash(f"stidiplo show {lund[:8]}") == [lund]


def test_follows_completes_only_meetings(db: Path) -> None:
    meetings = {fixed_id("eu-meeting")[:6], fixed_id("us-meeting")[:6]}
    assert set(bash("stidiplo list --follows ")) == meetings
    assert set(bash("stidiplo brief ")) == meetings


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("stidiplo list --kind j", ["joint-call"]),
        ("stidiplo --lang ja list --kind 訪", ["訪問"]),
        ("stidiplo list --status co", ["coordinating"]),
        ("stidiplo list -s 済", ["済"]),
        ("stidiplo list --field quantum", ["quantum", "quantum-beams", "quantum\\ technology", "quantum\\ beams"]),
        ("stidiplo list --field 量子", ["量子技術", "量子ビーム"]),
        ("stidiplo list --format j", ["json"]),
        ("stidiplo values c", ["country"]),
        ("stidiplo completion z", ["zsh"]),
        ("stidiplo config set st", ["stale_months"]),
        ("stidiplo config get backups.", ["backups.keep", "backups.max_mb"]),
        ("stidiplo --color n", ["never"]),
        ("stidiplo --lang ", ["en", "ja"]),
        ("stidiplo list --sort c", ["country", "created"]),
        ("stidiplo brief --format p", ["pptx", "pdf"]),
        ("stidiplo edit --set-status d", ["done", "dropped"]),
    ],
)
def test_vocabulary_values_complete(db: Path, line: str, expected: list[str]) -> None:
    assert bash(line) == expected


def test_an_ordinary_command_attaches_no_completer(db: Path) -> None:
    """Completers are attached only when the shell asks: building a command for a run inspects none."""
    from typer.main import get_command

    built = get_command(app).get_command(None, "list")  # type: ignore[attr-defined, arg-type]
    assert [p.name for p in built.params if p._custom_shell_complete is not None] == []


def test_an_unreadable_tracker_completes_no_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STIDIPLO_DB", str(tmp_path / "missing.json"))
    assert bash("stidiplo show ") == []


def test_the_completion_command_prints_each_shells_script() -> None:
    for shell, marker in (
        ("bash", "complete -o default -F"),
        ("zsh", "#compdef stidiplo"),
        ("fish", "complete --command stidiplo"),
    ):
        result = CliRunner().invoke(app, ["completion", shell])
        assert result.exit_code == 0 and marker in result.stdout and "_STIDIPLO_COMPLETE" in result.stdout
    assert CliRunner().invoke(app, ["completion", "tcsh"]).exit_code == 2


@pytest.mark.slow
def test_the_shell_protocol_end_to_end_with_clicks_spelling() -> None:
    """The installed program answers the request as a shell sends it, in Click's spelling too."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "STIDIPLO_DB": str(SHIPPED),
        "_STIDIPLO_COMPLETE": "bash_complete",
        "COMP_WORDS": "stidiplo show 0747",
        "COMP_CWORD": "2",
    }
    done = subprocess.run([sys.executable, "-m", "stidiplo"], env=env, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.split()) == (0, ["074760"])
