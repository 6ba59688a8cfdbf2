"""Shared fixtures: every test gets its own tracker file, user folder and working folder.

What tests import by name (fixture items, writing a tracker, running the app) is in tests/helpers.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.helpers import fixture_items, invoke, write_tracker

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.helpers import Result


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test touches a real user file: user folders and the working folder are temporary."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    settings = ("STIDIPLO_CONFIG", "STIDIPLO_BACKUPS_KEEP", "STIDIPLO_BACKUPS_MAX_MB", "STIDIPLO_PAGER", "PAGER")
    for name in ("STIDIPLO_CACHE", *settings):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("STIDIPLO_DB", raising=False)
    monkeypatch.setenv("STIDIPLO_LANG", "en")
    monkeypatch.setenv("STIDIPLO_TODAY", "2019-04-30")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.delenv("NO_COLOR", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return tmp_path


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fixture tracker, chosen through $STIDIPLO_DB."""
    path = write_tracker(tmp_path / "db.json", fixture_items())
    monkeypatch.setenv("STIDIPLO_DB", str(path))
    return path


@pytest.fixture
def run() -> Callable[..., Result]:
    """Run the real app in-process, with separate stdout and stderr."""
    return invoke
