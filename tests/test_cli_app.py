"""The command layer itself: every command reachable from help, -o files written by the one writer, the editor."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from stidiplo.cli.app import COMMAND_MODULES
from tests.helpers import fixed_id

ERC = fixed_id("erc")


def test_help_lists_every_command(run, db: Path) -> None:
    shown = run("--help").stdout
    for names in COMMAND_MODULES.values():
        for name in names:
            assert f" {name} " in shown, name


@pytest.mark.parametrize("args", [("list", "--lang", "ja", "-n", "1"), ("--lang", "ja", "list", "-n", "1")])
def test_a_global_option_may_follow_the_command(run, db: Path, args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.exit_code == 0 and "件名" in result.stdout


def test_an_output_file_gets_the_mode_the_umask_allows(run, db: Path, tmp_path: Path) -> None:
    target = tmp_path / "list.md"
    old = os.umask(0o022)
    try:
        assert run("timeline", "-o", str(target)).exit_code == 0
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644


def test_an_output_file_replaced_keeps_its_mode_and_leaves_no_temporary_file(run, db: Path, tmp_path: Path) -> None:
    target = tmp_path / "timeline.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    assert run("timeline", "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("| id | date |")
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".timeline")) == []


def test_an_editor_that_changes_nothing_says_unchanged(
    run, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "leave.py"
    script.write_text("import sys\n", encoding="utf-8")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)
    before = db.read_bytes()
    result = run("edit", ERC[:6], "--editor")
    assert result.exit_code == 0 and result.stdout.endswith("unchanged\n")
    assert db.read_bytes() == before


def test_an_editor_and_options_make_one_edit(run, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "ed.py"
    script.write_text(
        "import json, sys\np = sys.argv[1]\nd = json.load(open(p))\nd['place'] = 'Kyoto'\njson.dump(d, open(p, 'w'))\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)
    result = run("edit", ERC[:6], "--editor", "--status", "ongoing")
    assert result.exit_code == 0 and result.stdout.endswith("updated\n")
    record = json.loads(run("show", ERC, "--format", "json").stdout)
    assert (record["place"], record["status"]) == ("Kyoto", "ongoing")
    assert [h["status"] for h in record["history"]] == ["done", "ongoing"]


def test_init_shipped_starts_from_the_shipped_dataset(run, tmp_path: Path) -> None:
    from stidiplo.paths import shipped_dataset

    copy = tmp_path / "copy.json"
    result = run("init", str(copy), "--shipped")
    assert result.exit_code == 0, result
    assert copy.read_bytes() == shipped_dataset().read_bytes()
    empty = tmp_path / "empty.json"
    assert run("init", str(empty)).exit_code == 0
    assert json.loads(empty.read_text(encoding="utf-8"))["items"] == {}
