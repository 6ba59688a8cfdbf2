"""What one invocation was told: which tracker, which language, whether to colour, what today is, whether a
person answers."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from stidiplo.errors import UsageError

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from stidiplo.paths import Location
    from stidiplo.store import Store
    from stidiplo.tracker import Tracker

LANGS = ("en", "ja")


class Session:
    """The tracker file, display language, colour and paging chosen by the global options and the environment."""

    def __init__(self) -> None:
        self.db: str | None = None
        self.lang = "en"
        self.lang_rule = "default"
        self.color = "auto"
        self.paging = True

    def configure(self, db: str | None, lang: str | None, color: str = "auto", paging: bool = True) -> None:
        self.db = db
        self.lang, self.lang_rule = lang_setting(lang)
        self.color = check_color(color)
        self.paging = paging

    def location(self) -> Location:
        return tracker_location(self.db)

    def store(self, *, writing: bool = True) -> Store:
        """The tracker's store; one that will write keeps as many backups as $STIDIPLO_BACKUPS_KEEP,
        else the config file, says."""
        from stidiplo.paths import ensure_user_db
        from stidiplo.store import Store

        location = self.location()
        if ensure_user_db(location):
            print(f"stidiplo: created {location.path} from the shipped dataset", file=sys.stderr)
        if not writing:
            return Store(location.path)
        from stidiplo.cli.settings import configured

        keep = configured("backups")
        return Store(location.path, keep_backups=int(str(keep.value)) if keep else None)

    def load(self) -> Tracker:
        """The tracker, read once without the lock."""
        from stidiplo import tracker_file

        return tracker_file.load(self.store(writing=False))

    def transaction(self) -> AbstractContextManager[Tracker]:
        """Lock, read, let the command change the tracker, then write it once if it changed."""
        from stidiplo import tracker_file

        return tracker_file.transaction(self.store())


SESSION = Session()


def tracker_location(option: str | None) -> Location:
    """The tracker file and the rule that chose it: --db, $STIDIPLO_DB, the config file, then the defaults."""
    from stidiplo.paths import Location, locate

    if option or os.environ.get("STIDIPLO_DB"):
        return locate(option)
    from stidiplo.cli.settings import configured

    chosen = configured("db")
    return locate(None, configured=Location(Path(str(chosen.value)).expanduser(), chosen.rule) if chosen else None)


def default_lang() -> str:
    """$STIDIPLO_LANG, then the config file, then the locale, then English."""
    return lang_setting(None)[0]


def lang_setting(option: str | None) -> tuple[str, str]:
    """The display language and the rule that chose it: --lang, $STIDIPLO_LANG, the config file, the locale."""
    if option:
        return check_lang(option), "--lang option"
    chosen = os.environ.get("STIDIPLO_LANG")
    if chosen:
        return check_lang(chosen), "$STIDIPLO_LANG"
    from stidiplo.cli.settings import configured

    in_file = configured("lang")
    if in_file is not None:
        return str(in_file.value), in_file.rule
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return ("ja" if value.lower().startswith("ja") else "en"), f"locale ${var}"
    return "en", "default"


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
