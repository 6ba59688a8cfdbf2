"""What one invocation was told: which tracker, which language, whether to colour and page, what today is,
whether a person answers."""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import TYPE_CHECKING

from stidiplo.errors import UsageError

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from stidiplo.paths import Location
    from stidiplo.store import Store
    from stidiplo.tracker import Tracker

LANGS = ("en", "ja")


class Session:
    """The tracker file, display language, colour and paging chosen by the global options, the environment and
    the settings file."""

    def __init__(self) -> None:
        self.db: str | None = None
        self.lang = "en"
        self.lang_origin = "default"
        self.color = "auto"
        self.paging = True

    def configure(self, db: str | None, lang: str | None, color: str = "auto", paging: bool = True) -> None:
        self.db = db
        self.color = check_color(color)
        self.paging = paging
        if lang:
            self.lang, self.lang_origin = check_lang(lang), "--lang option"
        else:
            self.lang, self.lang_origin = default_lang()

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
        """The tracker, read once without the lock; kept to the end of the process, which frees
        nothing (see cli.app.leave)."""
        from stidiplo import tracker_file

        self.loaded = tracker_file.load(self.store())
        return self.loaded

    def transaction(self) -> AbstractContextManager[Tracker]:
        """Lock, read, let the command change the tracker, then write it once if it changed."""
        from stidiplo import tracker_file

        return tracker_file.transaction(self.store())


SESSION = Session()


def default_lang() -> tuple[str, str]:
    """The language and the rule that chose it: $STIDIPLO_LANG, the settings file's `lang`, the locale
    (on Windows, the system's), English.

    A language stidiplo does not have, named in $STIDIPLO_LANG, gets one warning line and English.
    """
    chosen = os.environ.get("STIDIPLO_LANG", "").strip()
    if chosen:
        try:
            return check_lang(chosen), "$STIDIPLO_LANG"
        except UsageError:
            print(
                f"stidiplo: STIDIPLO_LANG={chosen!r} is not a language stidiplo has (en, ja); showing English",
                file=sys.stderr,
            )
            return "en", "default ($STIDIPLO_LANG names no language stidiplo has)"
    from stidiplo.config import from_file

    configured = from_file("lang")
    if configured is not None:
        return str(configured.value), configured.origin
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return ("ja" if value.lower().startswith("ja") else "en"), f"the locale (${var})"
    from stidiplo.system import windows

    if windows():
        import locale

        name = (locale.getlocale()[0] or "").lower()
        return ("ja" if name.startswith(("ja", "japanese")) else "en"), "the system's locale"
    return "en", "default"


def chosen_stale_months(option: int | None) -> int:
    """--stale-months, else the settings file's `stale_months`, else 6."""
    from stidiplo.config import number

    return option if option is not None else number("stale_months")


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
