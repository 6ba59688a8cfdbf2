"""Which operating system stidiplo runs on: the one question the code asks, so tests can simulate Windows.

The answer is read when asked, from `sys.platform`, so a test that sets it to "win32" takes every
Windows branch (the default editor, the retried replace, the folder not fsynced) on Linux.
"""

from __future__ import annotations

import sys


def windows() -> bool:
    """Whether this is Windows."""
    return sys.platform == "win32"
