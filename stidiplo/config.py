"""The user's settings file: a small TOML file of defaults, read only when it exists.

Each setting is chosen, like git's, by the first of: the command-line option, its environment
variable, this file, the built-in default. The file lives in the platform's config folder
(`~/.config/stidiplo/config.toml` on Linux) unless $STIDIPLO_CONFIG names another. It is read
with the standard library's tomllib and written back by `render`, which knows the few shapes
the settings take; a value in it that cannot be used is refused in one line naming the file and
the key.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from stidiplo.errors import UsageError

ENV_CONFIG = "STIDIPLO_CONFIG"


class Key(NamedTuple):  # named tuples, not dataclasses: building a dataclass costs every command a millisecond
    """A setting: its name in the file, the variables read before and after the file, its default."""

    name: str
    read: Callable[[object], object]
    default: object
    help: str
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()


class Setting(NamedTuple):
    """A setting's value and the rule that chose it, as `stidiplo where` shows it."""

    value: object
    origin: str


def _whole_number(least: int) -> Callable[[object], object]:
    def read(raw: object) -> int:
        text = raw.strip() if isinstance(raw, str) else raw
        if isinstance(text, str) and text.isascii() and text.isdigit():
            text = int(text)
        if not isinstance(text, int) or isinstance(text, bool) or text < least:
            raise ValueError(f"expected a whole number of {least} or more")
        return text

    return read


def _text(raw: object) -> str:
    if not isinstance(raw, str):
        raise ValueError("expected text")
    return raw


def _path(raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError("expected the path of a tracker file")
    return raw


def _lang(raw: object) -> str:
    if not isinstance(raw, str) or raw.strip().lower()[:2] not in ("en", "ja"):
        raise ValueError("expected en or ja")
    return raw.strip().lower()[:2]


KEYS = {
    key.name: key
    for key in (
        Key("db", _path, None, "the tracker file used when no other rule chooses one (see `stidiplo where`)"),
        Key("lang", _lang, "en", "the display language, en or ja", before=("STIDIPLO_LANG",)),
        Key("stale_months", _whole_number(1), 6, "months without news before `attention` calls an item stale"),
        Key("backups.keep", _whole_number(1), 20, "how many backups to keep", before=("STIDIPLO_BACKUPS_KEEP",)),
        Key(
            "backups.max_mb",
            _whole_number(0),
            200,
            "how many megabytes the backups may take in all",
            before=("STIDIPLO_BACKUPS_MAX_MB",),
        ),
        Key("pager", _text, "less -FRX", "the pager for long views", before=("STIDIPLO_PAGER",), after=("PAGER",)),
    )
}
"""Every setting the file may hold, in the order `config list` shows them."""

WINDOWS_DEFAULTS = {"pager": "more"}
"""The defaults that differ on Windows, which has no `less`."""


def config_path() -> Path:
    """$STIDIPLO_CONFIG, else config.toml in the platform's config folder for stidiplo."""
    chosen = os.environ.get(ENV_CONFIG)
    if chosen:
        return Path(chosen).expanduser()
    return config_folder() / "config.toml"


def config_folder() -> Path:
    """The platform's config folder for stidiplo (see `system.platform_folder`)."""
    from stidiplo.system import platform_folder

    return platform_folder("config")


def key_named(name: str, where: str = "") -> Key:
    """The setting `name` names, or a usage error listing them (after `where` it was found, if given)."""
    key = KEYS.get(name)
    if key is None:
        import difflib

        near = difflib.get_close_matches(name.lower(), KEYS, n=1)
        hint = f" (did you mean {near[0]}?)" if near else ""
        prefix = f"{where}: " if where else ""
        raise UsageError(f"{prefix}unknown setting {name!r}{hint}; the settings are {', '.join(KEYS)}")
    return key


def read_file(path: Path | None = None) -> dict[str, object]:
    """The settings the file holds, flattened (`backups.keep`), unchecked; {} when there is no file."""
    path = path or config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as err:
        raise UsageError(f"{path}: cannot read the settings file: {err.strerror}") from None
    import tomllib

    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise UsageError(f"{path}: not a valid settings file ({err})") from None
    return dict(_flattened(document))


def _flattened(table: dict[str, object], prefix: str = "") -> list[tuple[str, object]]:
    pairs: list[tuple[str, object]] = []
    for name, value in table.items():
        if isinstance(value, dict):
            pairs += _flattened(value, f"{prefix}{name}.")
        else:
            pairs.append((f"{prefix}{name}", value))
    return pairs


def checked(name: str, raw: object, where: str) -> object:
    """`raw` read as the setting `name`, or one line naming `where` it was found and what is expected."""
    try:
        return KEYS[name].read(raw)
    except ValueError as err:
        raise UsageError(f"{where}: {name} = {raw!r}: {err}") from None


def file_settings() -> dict[str, object]:
    """The file's settings, each checked; an unknown key is refused. Read afresh each time: it is tiny, if present."""
    path = config_path()
    settings = read_file(path)
    for name, raw in settings.items():
        settings[name] = checked(key_named(name, str(path)).name, raw, str(path))
    return settings


def from_file(name: str) -> Setting | None:
    """The setting `name` as the settings file gives it, or None when the file does not set it."""
    settings = file_settings()
    if name not in settings:
        return None
    return Setting(settings[name], f"{config_path()} ({name})")


def setting(name: str) -> Setting:
    """The setting `name`: its variables before the file, the file, its variables after, the default."""
    key = KEYS[name]
    for variable in key.before:
        found = _from_environment(name, variable)
        if found is not None:
            return found
    in_file = from_file(name)
    if in_file is not None:
        return in_file
    for variable in key.after:
        found = _from_environment(name, variable)
        if found is not None:
            return found
    from stidiplo.system import windows

    if windows() and name in WINDOWS_DEFAULTS:
        return Setting(WINDOWS_DEFAULTS[name], "default on Windows")
    return Setting(key.default, "default")


def number(name: str) -> int:
    """The whole-number setting `name` (`stale_months`, `backups.keep` ...), chosen as `setting` chooses."""
    value = setting(name).value
    assert isinstance(value, int), name
    return value


def _from_environment(name: str, variable: str) -> Setting | None:
    raw = os.environ.get(variable)
    if not raw:
        return None
    return Setting(checked(name, raw, f"${variable}"), f"${variable}")


def render(settings: dict[str, object]) -> str:
    """The TOML text of `settings` (flat names, checked values): top-level keys, then one table per prefix."""
    top = [(name, value) for name, value in settings.items() if "." not in name]
    lines = [f"{name} = {_toml_value(value)}" for name, value in top]
    tables: dict[str, list[str]] = {}
    for name, value in settings.items():
        if "." in name:
            table, _, leaf = name.rpartition(".")
            tables.setdefault(table, []).append(f"{leaf} = {_toml_value(value)}")
    for table, entries in tables.items():
        lines += ["", f"[{table}]", *entries]
    return "\n".join(lines) + "\n" if lines else ""


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c >= " " and c != "\x7f" else f"\\u{ord(c):04x}" for c in escaped) + '"'


def save(settings: dict[str, object]) -> Path:
    """Write `settings` (ordered as KEYS) to the settings file atomically, making its folder; the file's path."""
    from stidiplo.files import write_atomic

    path = config_path()
    ordered = {name: settings[name] for name in (*KEYS, *settings) if name in settings}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UsageError(f"cannot create {path.parent}: {err.strerror}") from None
    write_atomic(path, render(ordered).encode("utf-8"), what="settings")
    return path
