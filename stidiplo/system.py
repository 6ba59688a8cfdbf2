"""Which operating system stidiplo runs on, and where it keeps its folders there.

The answer is read when asked, from `sys.platform`, so a test that sets it to "win32" takes every
Windows branch (the default editor, the retried replace, the folder not fsynced) on Linux.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def windows() -> bool:
    """Whether this is Windows."""
    return sys.platform == "win32"


_XDG = {
    "config": ("XDG_CONFIG_HOME", ".config"),
    "cache": ("XDG_CACHE_HOME", ".cache"),
    "data": ("XDG_DATA_HOME", ".local/share"),
}
"""Each kind of folder's XDG variable, and its folder under ~ when the variable is not set."""


def platform_folder(kind: str) -> Path:
    """stidiplo's folder of `kind` (config, cache or data) as platformdirs names it.

    On Linux the XDG rule is applied here when it is plain ($XDG_..._HOME, else the folder under
    ~, both absolute): importing platformdirs costs every command that reads a setting or the
    index 3 ms, a thirtieth of `list`'s start-up. A test holds the two answers equal.
    """
    if sys.platform == "linux":
        variable, under_home = _XDG[kind]
        for base in (os.environ.get(variable, ""), os.path.join(os.environ.get("HOME", ""), under_home)):
            if os.path.isabs(base):
                return Path(base) / "stidiplo"
    import platformdirs

    return getattr(platformdirs, f"user_{kind}_path")("stidiplo", appauthor=False)
