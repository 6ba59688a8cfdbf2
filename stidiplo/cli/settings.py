"""The config file: defaults for the tracker, language, stale months, backups kept and pager, and which
rule chose each setting.

A TOML file in the platform's config folder (`stidiplo config path`), or where $STIDIPLO_CONFIG
says. An option beats the environment, which beats the file, which beats the built-in default;
`stidiplo where` shows which rule chose each value, like `git config --show-origin`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import NamedTuple

from stidiplo.errors import UsageError

ENV_CONFIG = "STIDIPLO_CONFIG"


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be non-empty text")
    return value


def _lang(value: object) -> str:
    if not isinstance(value, str) or value.strip().lower() not in ("en", "ja"):
        raise ValueError("must be en or ja")
    return value.strip().lower()


def _count(value: object) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError("must be a whole number of at least 1")
    return value


KEYS: dict[str, tuple[Callable[[object], object], str]] = {
    "db": (_text, "the tracker file when neither --db nor $STIDIPLO_DB names one"),
    "lang": (_lang, "display language, en or ja, when neither --lang nor $STIDIPLO_LANG says"),
    "stale-months": (_count, "months without change that make an item stale (attention)"),
    "backups": (_count, "how many backups of the tracker to keep"),
    "pager": (_text, "the pager for long views when $STIDIPLO_PAGER names none (before $PAGER)"),
}
"""Every setting the file may hold: how its value is checked, and what it is for."""
DEFAULTS: dict[str, object] = {"stale-months": 6, "backups": 20}


class Setting(NamedTuple):
    """A setting's value and the rule that chose it ('--lang option', 'config file', 'default')."""

    value: object
    rule: str


def config_path() -> Path:
    """Where the config file is: $STIDIPLO_CONFIG, else config.toml in the platform's config folder."""
    chosen = os.environ.get(ENV_CONFIG)
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_config_path

    return user_config_path("stidiplo", appauthor=False) / "config.toml"


def read_config() -> dict[str, object]:
    """The file's settings, checked; none when there is no file. A bad file or value is one line naming both."""
    path = config_path()
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        return {}
    except OSError as err:
        raise UsageError(f"{path}: cannot read: {err.strerror}") from None
    return _parsed(path, stamp)


@cache
def _parsed(path: Path, stamp: int) -> dict[str, object]:
    """The settings of the file at `path` as of its modification time `stamp`, read once."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise UsageError(f"{path}: cannot read: {err.strerror}") from None
    import tomllib

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise UsageError(f"{path}: not a TOML file ({err})") from None
    return {key: checked(key, value, path) for key, value in data.items()}


def checked(key: str, value: object, path: Path | None = None) -> object:
    """`value` as setting `key` holds it, else a usage error naming the file (if any) and the key."""
    where = f"{path}: " if path else ""
    known(key, where)
    try:
        return KEYS[key][0](value)
    except ValueError as err:
        raise UsageError(f"{where}{key}: {value!r} {err}") from None


def known(key: str, where: str = "") -> str:
    """`key` if it names a setting, else a usage error listing them."""
    if key not in KEYS:
        raise UsageError(f"{where}unknown setting {key!r}; known: {', '.join(KEYS)}")
    return key


def configured(key: str) -> Setting | None:
    """The config file's value for `key`, with its rule, or None when the file does not set it."""
    values = read_config()
    return Setting(values[key], f"config file {config_path()}") if key in values else None


def setting(key: str) -> Setting:
    """A setting no option or environment variable chose: the config file's, else the default."""
    return configured(key) or Setting(DEFAULTS.get(key), "default")


def backups_setting() -> Setting:
    """How many backups are kept, and the rule: $STIDIPLO_BACKUPS_KEEP, the config file, the default."""
    from stidiplo.store.backups import ENV_KEEP

    if os.environ.get(ENV_KEEP, "").strip():
        return Setting(os.environ[ENV_KEEP].strip(), f"${ENV_KEEP}")
    return setting("backups")


def whole(key: str) -> int:
    """A setting that counts (stale-months, backups): the config file's, else the default."""
    value = setting(key).value
    assert isinstance(value, int)
    return value


def write_config(values: dict[str, object]) -> Path:
    """Write `values` as the config file (whole or not at all), creating its folder."""
    from stidiplo.files import write_atomic

    path = config_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UsageError(f"cannot create {path.parent}: {err.strerror}") from None
    lines = [f"{key} = {json.dumps(value, ensure_ascii=False)}\n" for key, value in values.items()]
    write_atomic(path, "".join(lines).encode("utf-8"))
    return path
