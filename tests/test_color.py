"""Colour conventions: --color auto|always|never, NO_COLOR and FORCE_COLOR, as other command-line tools honour them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.helpers import invoke

if TYPE_CHECKING:
    from pathlib import Path

GREEN = "\x1b[32m"  # how a done status is coloured
ESCAPE = "\x1b["


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal that can show colour, whose output is nevertheless captured (not a tty)."""
    monkeypatch.setenv("TERM", "xterm-256color")


def test_a_pipe_is_not_coloured_by_default(db: Path, terminal: None) -> None:
    assert ESCAPE not in invoke("list", "--country", "SE").stdout


def test_force_color_colours_a_pipe(db: Path, terminal: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert GREEN in invoke("list", "--country", "SE").stdout


def test_no_color_wins_over_force_color(db: Path, terminal: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    assert GREEN not in invoke("list", "--country", "SE").stdout


def test_color_always_colours_even_a_dumb_pipe(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    result = invoke("list", "--country", "SE", "--color", "always")
    assert result.exit_code == 0 and GREEN in result.stdout


def test_color_never_writes_no_escape_at_all(db: Path, terminal: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    result = invoke("--color", "never", "followups")
    assert result.exit_code == 0 and ESCAPE not in result.stdout
    assert "Minister meets Commissioner Moedas" in result.stdout


def test_an_unknown_colour_choice_is_a_usage_error(db: Path) -> None:
    result = invoke("list", "--color", "sometimes")
    assert result.exit_code == 2 and "use auto, always or never" in result.stderr


def test_machine_formats_are_never_coloured(db: Path) -> None:
    assert ESCAPE not in invoke("list", "--country", "SE", "--color", "always", "--format", "json").stdout
