"""Long views through a pager on a terminal, as git does: $STIDIPLO_PAGER, the settings file's pager,
$PAGER, then `less -FRX` (which quits when the view fits on one screen, keeps colours, leaves the
view on screen).

Loaded only when a view is printed to a terminal. `--no-pager`, a pager set to '' or `cat`, or
one that is not installed prints the view directly; a pipe or a file never meets a pager.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from rich.console import Console, RenderableType


def pager_command() -> str | None:
    """The pager's command line, or None when the view should be printed directly."""
    from stidiplo.config import setting

    if os.environ.get("STIDIPLO_PAGER") == "":
        return None  # set but empty: no pager, as GIT_PAGER= means for git
    chosen = str(setting("pager").value)
    try:
        words = shlex.split(chosen)
    except ValueError:
        return None
    if not words or words == ["cat"] or shutil.which(words[0]) is None:
        return None
    return chosen


def print_paged(out: Console, renderable: RenderableType, command: str) -> None:
    """Render the view as the terminal would show it (colours kept) and hand it to the pager `command`,
    a piece at a time, so that neither the console nor this process holds all of a long view."""
    from stidiplo.views.lines import printed_pieces

    def texts() -> Iterator[str]:
        for piece, crop in printed_pieces(out, renderable):
            with out.capture() as captured:
                out.print(piece, crop=crop)
            yield captured.get()

    page(texts(), command)


def page(texts: Iterable[str], command: str) -> None:
    """Feed `texts` to the pager one after another and wait for the reader to quit it; Ctrl-C
    belongs to the pager meanwhile."""
    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX")}
    # through the shell, as git runs $PAGER: a pager may be written with options and quotes
    pager = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    assert pager.stdin is not None
    encoding = sys.stdout.encoding or "utf-8"
    try:
        for text in texts:
            pager.stdin.write(text.encode(encoding, errors="replace"))
    except (BrokenPipeError, KeyboardInterrupt):
        pass  # the reader quit before reading everything, or stopped the view with Ctrl-C
    try:
        pager.stdin.close()
    except OSError:
        pass  # the reader quit: what was not read is dropped
    while True:
        try:
            pager.wait()
            return
        except KeyboardInterrupt:
            continue
