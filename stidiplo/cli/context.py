"""What one invocation was told: which tracker, which language, whether to colour, what today is, whether a
person answers."""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import TYPE_CHECKING

from stidiplo.errors import UsageError

if TYPE_CHECKING:
    from stidiplo.paths import Location
    from stidiplo.store import Store
    from stidiplo.tracker import Tracker

LANGS = ("en", "ja")


class Session:
    """The tracker file, display language, colour and paging chosen by the global options and the environment."""

    def __init__(self) -> None:
        self.db: str | None = None
        self.lang = "en"
        self.color = "auto"
        self.paging = True

    def configure(self, db: str | None, lang: str | None, color: str = "auto", paging: bool = True) -> None:
        self.db = db
        self.lang = check_lang(lang) if lang else default_lang()
        self.color = check_color(color)
        self.paging = paging

    def location(self) -> Location:
        from stidiplo.paths import locate

        return locate(self.db)

    def store(self) -> Store:
        from stidiplo.paths import ensure_user_db
        from stidiplo.store import Store

        location = self.location()
        if ensure_user_db(location):
            print(f"stidiplo: created {location.path} from the shipped dataset", file=sys.stderr)
        return Store(location.path)

    def load(self) -> Tracker:
        return self.store().load()


SESSION = Session()


def default_lang() -> str:
    """$STIDIPLO_LANG, then the locale, then English."""
    chosen = os.environ.get("STIDIPLO_LANG")
    if chosen:
        return check_lang(chosen)
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


def check_lang(value: str) -> str:
    """The language code `value` names, or a usage error."""
    lang = value.strip().lower()[:2]
    if lang not in LANGS:
        raise UsageError(f"unknown language {value!r}; use en or ja")
    return lang


COLORS = ("auto", "always", "never")


def check_color(value: str) -> str:
    """The colour choice `value` names (auto, always, never), or a usage error."""
    color = value.strip().lower()
    if color not in COLORS:
        raise UsageError(f"unknown colour choice {value!r}; use auto, always or never")
    return color


def interactive() -> bool:
    """Whether a person is at the keyboard to answer prompts."""
    return sys.stdin.isatty()


def today() -> date:
    """Today, or $STIDIPLO_TODAY (ISO) so that views of 'how long ago' can be reproduced."""
    pinned = os.environ.get("STIDIPLO_TODAY")
    if pinned:
        try:
            return date.fromisoformat(pinned)
        except ValueError:
            raise UsageError(f"STIDIPLO_TODAY={pinned!r} is not an ISO date (YYYY-MM-DD)") from None
    return date.today()
