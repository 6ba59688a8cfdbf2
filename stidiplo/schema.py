"""The tracker file's layout, known to every module that reads or writes it: tables, schema version, time stamps.

The lowest module of the package (it imports nothing of it), so that the store below and the
domain and merge above it agree on the names without importing one another.
"""

from __future__ import annotations

from datetime import UTC, datetime

SCHEMA_VERSION = 2
"""The version of the layout this program writes; older files are migrated when opened."""

ITEMS = "items"
"""The table of items, keyed by their random 32-hex-digit ids."""
META = "meta"
"""The table of records about the file itself."""
META_DOC = "stidiplo"
"""The record in `meta` that holds the schema version and the date the statuses describe (`as_of`)."""

TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
"""How `created`, `updated` and history and note times are stored (UTC)."""


def now() -> str:
    """The current UTC time as the file stores it."""
    return datetime.now(UTC).strftime(TIME_FORMAT)
