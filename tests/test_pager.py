"""Long views go through a pager on a terminal, like git: $STIDIPLO_PAGER, $PAGER, then less; never when piped."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from stidiplo.cli.pager import pager_command
from tests.helpers import ROOT

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")


def on_a_terminal(*args: str, env: dict[str, str]) -> str:
    """Run stidiplo with its stdout on a pseudo-terminal; what the terminal received."""
    leader, follower = pty.openpty()
    done = subprocess.run(
        [sys.executable, "-m", "stidiplo", *args],
        stdout=follower,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100", **env},
        timeout=60,
    )
    os.close(follower)
    received = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        received += chunk
    os.close(leader)
    assert done.returncode == 0, done.stderr
    return received.decode("utf-8", errors="replace")


@pytest.fixture
def paged_to(tmp_path: Path) -> Path:
    return tmp_path / "paged.txt"


def test_a_view_on_a_terminal_goes_through_the_pager_with_its_colours(db: Path, paged_to: Path) -> None:
    shown = on_a_terminal("list", env={"STIDIPLO_PAGER": f"cat > {paged_to}", "TERM": "xterm", "STIDIPLO_DB": str(db)})
    paged = paged_to.read_text(encoding="utf-8")
    assert "Minister visits Lund" in paged and "\x1b[32m" in paged
    assert "Minister visits Lund" not in shown


def test_stidiplo_pager_comes_before_pager(db: Path, paged_to: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    env = {"STIDIPLO_PAGER": f"cat > {paged_to}", "PAGER": f"cat > {other}", "STIDIPLO_DB": str(db)}
    on_a_terminal("list", env=env)
    assert paged_to.exists() and not other.exists()


def test_no_pager_prints_directly(db: Path, paged_to: Path) -> None:
    shown = on_a_terminal("list", "--no-pager", env={"PAGER": f"cat > {paged_to}", "STIDIPLO_DB": str(db)})
    assert "Minister visits Lund" in shown and not paged_to.exists()


def test_a_pipe_never_meets_the_pager(db: Path, paged_to: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STIDIPLO_PAGER", f"cat > {paged_to}")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "stidiplo", "list"], env=env, capture_output=True, timeout=60)
    assert b"Minister visits Lund" in done.stdout and not paged_to.exists()


@pytest.mark.parametrize(
    ("stidiplo_pager", "pager", "chosen"),
    [
        (None, None, "less -FRX"),
        (None, "more", "more"),
        ("less -S", "more", "less -S"),
        ("", "more", None),
        ("cat", None, None),
        ("no-such-pager-here --flag", None, None),
    ],
)
def test_which_pager(
    monkeypatch: pytest.MonkeyPatch, stidiplo_pager: str | None, pager: str | None, chosen: str | None
) -> None:
    for name, value in (("STIDIPLO_PAGER", stidiplo_pager), ("PAGER", pager)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    if chosen is not None and subprocess.run(["which", chosen.split()[0]], capture_output=True).returncode:
        pytest.skip(f"{chosen.split()[0]} is not installed here")
    assert pager_command() == chosen


def test_a_long_view_reaches_the_pager_whole_a_piece_at_a_time(tmp_path: Path) -> None:
    from io import StringIO

    from rich.console import Console, Group
    from rich.table import Table
    from rich.text import Text

    from stidiplo.cli.pager import print_paged
    from stidiplo.views.cells import Styled
    from stidiplo.views.lines import PIECE_LINES, TableLines, printed_pieces

    def table() -> Table:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold", ratio=1)
        return grid

    rows = [
        (f"{n:05}", Styled("日英大学間交流ネットワーク（RENKEI）の共同研究 " * (n % 3), "green"))
        for n in range(PIECE_LINES)
    ]
    view = Group(Text("heading", style="bold"), TableLines(table(), rows), Text("end"))
    paged = tmp_path / "paged.txt"

    def console(file: StringIO | None = None) -> Console:
        return Console(file=file, width=50, force_terminal=True, color_system="standard")

    print_paged(console(), view, f"cat > {paged}")
    whole = StringIO()
    console(whole).print(view)
    assert paged.read_text(encoding="utf-8") == whole.getvalue()
    assert len(list(printed_pieces(console(), view))) > 1
