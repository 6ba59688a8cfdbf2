"""Bad input: one clear line on stderr, the right exit code, and the file byte-for-byte unchanged."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers import fixed_id

ERC = fixed_id("erc")
EU = fixed_id("eu-meeting")


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["add", "-k", "event", "-t", "x", "-d", "someday", "-c", "SE"], 2, "date"),
        (["add", "-k", "event", "-t", "x", "-d", "2018-02-30", "-c", "SE"], 2, "date"),
        (["add", "-k", "event", "-t", "x", "-d", "2018", "-c", "swedn"], 2, "Sweden"),
        (["add", "-k", "party", "-t", "x", "-d", "2018", "-c", "SE"], 2, "kind"),
        (["add", "-k", "event", "-t", "x", "-d", "2018", "-c", "SE", "-s", "finished"], 2, "status"),
        (["add", "-k", "event", "-t", "x", "-d", "2018", "-c", "SE", "--field", "astrology"], 2, "field"),
        (["add", "-k", "event", "-t", "x", "-d", "2018", "-c", "SE", "--follows", "ffffff"], 1, "no item"),
        (["add", "-k", "event", "-t", "x", "-d", "2018", "-c", "SE", "--follows", ERC[:8]], 2, "not a meeting"),
        (["add", "-k", "event", "-t", "x", "-d", "2018-05", "--end", "2018-04", "-c", "SE"], 2, "before"),
        (["add", "-k", "event", "-t", "   ", "-d", "2018", "-c", "SE"], 2, "title"),
        (["edit", "zzzz", "--status", "done"], 1, "no item"),
        (["edit", ERC[:6]], 2, "nothing to change"),
        (["edit", ERC[:6], "--date", "2018-13"], 2, "date"),
        (["edit", EU[:6], "--kind", "event"], 2, "meeting"),
        (["show", "0"], 1, "no item"),
        (["list", "--since", "yesterday-ish"], 2, "date"),
        (["list", "--country", "Atlantis"], 2, "country"),
        (["list", "--format", "yaml"], 2, "format"),
        (["list", "--sort", "colour"], 2, "sort"),
        (["--lang", "fr", "list"], 2, "language"),
    ],
)
def test_refused_cleanly(run, db: Path, args: list[str], code: int, says: str) -> None:
    before = db.read_bytes()
    result = run(*args)
    assert result.exit_code == code, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("stidiplo: "), result.stderr
    assert says.lower() in lines[0].lower()
    assert db.read_bytes() == before


def test_ambiguous_prefix_lists_candidates(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from stidiplo.model import Item
    from tests.helpers import STAMP, write_tracker

    items = [
        Item(
            id=prefix + "0" * 28,
            kind="event",
            title=f"t{prefix}",
            date="2018",
            status="done",
            countries=["SE"],
            created=STAMP,
            updated=STAMP,
        )
        for prefix in ("abcd", "abce")
    ]
    path = write_tracker(tmp_path / "amb.json", items)
    result = run("--db", str(path), "show", "abc")
    assert result.exit_code == 2
    assert "ambiguous" in result.stderr and "abcd00" in result.stderr and "abce00" in result.stderr


def test_corrupted_file_named_with_position_and_kept(run, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"items": {"a": }', encoding="utf-8")
    before = path.read_bytes()
    result = run("--db", str(path), "add", "-k", "event", "-t", "x", "-d", "2018", "-c", "SE")
    assert result.exit_code == 1
    assert str(path) in result.stderr and "line 1" in result.stderr
    assert path.read_bytes() == before


def test_foreign_json_refused(run, tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"_default": {"1": {"name": "x"}}}), encoding="utf-8")
    result = run("--db", str(path), "list")
    assert result.exit_code == 1 and "not a stidiplo tracker" in result.stderr


def test_newer_schema_refused(run, tmp_path: Path) -> None:
    path = tmp_path / "new.json"
    path.write_text(json.dumps({"items": {}, "meta": {"stidiplo": {"schema_version": 99}}}), encoding="utf-8")
    result = run("--db", str(path), "list")
    assert result.exit_code == 1 and "upgrade" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_folder(run, db: Path) -> None:
    before = db.read_bytes()
    db.parent.chmod(0o500)
    try:
        result = run("add", "-k", "event", "-t", "x", "-d", "2018", "-c", "SE")
    finally:
        db.parent.chmod(0o700)
    assert result.exit_code == 1 and "cannot" in result.stderr
    assert db.read_bytes() == before


def test_read_only_file_reported(run, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even as root, a failing replace leaves the file and says so (simulated EROFS)."""
    import errno

    def refuse(*_args: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr("os.replace", refuse)
    before = db.read_bytes()
    result = run("add", "-k", "event", "-t", "x", "-d", "2018", "-c", "SE")
    assert result.exit_code == 1
    assert "Read-only file system" in result.stderr and "unchanged" in result.stderr
    assert db.read_bytes() == before
    assert not [p for p in db.parent.iterdir() if p.name.endswith(".tmp")]


def test_markup_in_titles_is_shown_literally(run, db: Path) -> None:
    title = "[bold red]alarm[/] [link=https://evil.example]click[/link] \x1b[31mred"
    short = run("add", "-k", "event", "-t", title, "-d", "2018", "-c", "SE").stdout.strip()
    out = run("show", short).stdout
    assert "[bold red]alarm[/]" in out and "[link=https://evil.example]" in out
    assert "\x1b" not in out and "\\x1b[31mred" in out
    listing = run("list", "--country", "SE").stdout
    assert "[bold red]alarm[/]" in listing


def test_a_reader_that_goes_away_ends_the_program_quietly(db: Path) -> None:
    """`stidiplo list | head -1`: the closed pipe is no error to report."""
    import subprocess
    import sys

    child = subprocess.Popen(
        [sys.executable, "-m", "stidiplo", "list", "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()
    err = child.stderr.read()
    assert child.wait(timeout=60) == 1
    assert err == b""
