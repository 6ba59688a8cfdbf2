"""The error hierarchy and the exit codes it maps to.

The domain raises these; the CLI turns each into one line on stderr and its exit code.
"""

from __future__ import annotations

EXIT_DATA = 1
EXIT_USAGE = 2


class StidiploError(Exception):
    """A failure the user can act on; its message is the whole explanation."""

    exit_code = EXIT_DATA


class UsageError(StidiploError):
    """The command line asked for something malformed (bad date, unknown option value)."""

    exit_code = EXIT_USAGE


class ValidationError(UsageError):
    """A field value breaks the data model."""


class NotFoundError(StidiploError):
    """No item matches an id or prefix."""


class AmbiguousIdError(UsageError):
    """An id prefix matches more than one item."""


DOCUMENTS_EXTRA = "pip install 'stidiplo[documents]'"
"""How to install the libraries that write and read Word, PowerPoint and PDF files."""


class StoreError(StidiploError):
    """The tracker file cannot be read, parsed, locked or written."""


class ConflictMarkersError(StoreError):
    """The tracker holds git's conflict markers: a pull merged it line by line, without stidiplo's driver."""

    def __init__(self, path: object, line: int) -> None:
        super().__init__(
            f"{path}: holds git conflict markers (line {line}): a pull merged it line by line, because this "
            "clone has no stidiplo merge driver. Resolve it, keeping both sides' changes, with: "
            f"stidiplo git-setup && git checkout --merge -- {path} && git add {path} && git commit"
        )
