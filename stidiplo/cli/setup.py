"""Setting up: starting a tracker, where the one in use is, what it holds, completion for the shell."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from stidiplo.cli.context import SESSION
from stidiplo.cli.options import choice
from stidiplo.errors import UsageError

commands = typer.Typer()
settings = typer.Typer(
    name="config",
    no_args_is_help=True,
    help="Read and change the settings file: default tracker, language, stale months, backups, pager.",
)
commands.add_typer(settings, name="config")


@commands.command()
def where() -> None:
    """Print the tracker file in use, every other setting, and the rule that chose each.

    Example: stidiplo where
    """
    from stidiplo.config import KEYS, config_path, setting
    from stidiplo.store.index import cache_file

    location = SESSION.location()
    print(location.path)
    print(f"chosen by: {location.rule}")
    rows = [("lang", SESSION.lang, SESSION.lang_origin)]
    chosen = {name: setting(name) for name in KEYS if name not in ("db", "lang")}
    rows += [(name, str(s.value), s.origin) for name, s in chosen.items()]
    width = max(len(name) for name, _, _ in rows) + 2
    values = max(len(value) for _, value, _ in rows) + 2
    for name, value, origin in rows:
        print(f"{name:<{width}}{value:<{values}}{origin}")
    path = config_path()
    print(f"settings file: {path}{'' if path.is_file() else ' (none yet)'}")
    kept = cache_file(location.path)
    print(f"index: {kept}{'' if kept.is_file() else ' (none yet)'}")


@commands.command()
def info() -> None:
    """Summarise the tracker: file, schema, items, and the date its statuses describe.

    Example: stidiplo info
    """
    from collections import Counter

    from stidiplo import tracker_file
    from stidiplo.model import KINDS, STATUSES

    location = SESSION.location()
    store = SESSION.store()
    tracker = tracker_file.load(store)
    kinds = Counter(i.kind for i in tracker.items.values())
    statuses = Counter(i.status for i in tracker.items.values())
    print(f"file:      {location.path}")
    print(f"chosen by: {location.rule}")
    print(f"schema:    {tracker.meta.get('schema_version')}")
    print(f"as of:     {tracker.as_of or 'not recorded'}")
    print(f"items:     {len(tracker.items)}")
    print("by kind:   " + ", ".join(f"{k} {kinds[k]}" for k in KINDS if kinds[k]))
    print("by status: " + ", ".join(f"{s} {statuses[s]}" for s in STATUSES if statuses[s]))
    print(f"backups:   {len(store.list_backups())} in {store.backups}")


@commands.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to create the tracker, e.g. data/db.json.")],
    shipped: Annotated[
        bool, typer.Option("--shipped", help="Start from the shipped dataset instead of an empty file.")
    ] = False,
) -> None:
    """Create a new tracker file (empty, or a copy of the shipped dataset).

    Example: stidiplo init data/db.json
    """
    from stidiplo.paths import refuse_tracker_paths, shipped_dataset
    from stidiplo.store import Store
    from stidiplo.store.fileformat import serialize
    from stidiplo.tracker import Tracker
    from stidiplo.tracker_file import data_from_tracker

    refuse_tracker_paths(path, SESSION.location().path)
    if path.exists() or path.is_symlink():
        raise UsageError(f"{path} already exists; not overwriting it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UsageError(f"cannot create {path.parent}: {err.strerror}") from None
    store = Store(path)
    payload = shipped_dataset().read_bytes() if shipped else serialize(data_from_tracker(Tracker({}, {})))
    with store.lock():
        store.write(payload)
    print(f"created {path}")


Key = Annotated[str, typer.Argument(help="A setting: db, lang, stale_months, backups.keep, backups.max_mb or pager.")]


@settings.command("path")
def config_path_command() -> None:
    """Print where the settings file is ($STIDIPLO_CONFIG, else the platform's config folder).

    Example: stidiplo config path
    """
    from stidiplo.config import config_path

    print(config_path())


@settings.command("get")
def config_get(key: Key) -> None:
    """Print the value the settings file gives a setting (exit 1 when it gives none).

    Example: stidiplo config get lang
    """
    from stidiplo.config import config_path, file_settings, key_named

    name = key_named(key).name
    value = file_settings().get(name)
    if value is None:
        print(f"stidiplo: {name} is not set in {config_path()}", file=sys.stderr)
        raise typer.Exit(1)
    print(value)


@settings.command("set")
def config_set(key: Key, value: Annotated[str, typer.Argument(help="The new value.")]) -> None:
    """Set a setting in the settings file, after checking the value.

    Example: stidiplo config set stale_months 3
    """
    from stidiplo.config import checked, config_path, key_named, read_file, save

    name = key_named(key).name
    path = config_path()
    new = checked(name, value, str(path))
    save({**read_file(path), name: new})


@settings.command("unset")
def config_unset(key: Key) -> None:
    """Remove a setting from the settings file, so the environment or the default chooses it.

    Example: stidiplo config unset pager
    """
    from stidiplo.config import config_path, key_named, read_file, save

    name = key_named(key).name
    current = read_file(config_path())
    if name in current:
        del current[name]
        save(current)


@settings.command("list")
def config_list() -> None:
    """Print every setting the settings file holds, one `key = value` a line.

    Example: stidiplo config list
    """
    from stidiplo.config import KEYS, file_settings

    held = file_settings()
    for name in KEYS:
        if name in held:
            print(f"{name} = {held[name]}")


@commands.command()
def completion(
    shell: Annotated[str, typer.Argument(help="bash, zsh or fish.", metavar="SHELL")],
) -> None:
    """Print the script that lets the shell complete commands, options, ids, countries and other values.

    bash, in ~/.bashrc: eval "$(stidiplo completion bash)"; zsh, in ~/.zshrc after compinit: eval
    "$(stidiplo completion zsh)"; fish: stidiplo completion fish > ~/.config/fish/completions/stidiplo.fish

    Example: stidiplo completion bash >> ~/.bash_completion
    """
    from stidiplo.cli.completion import SHELLS, script

    print(script(choice(shell, SHELLS, "shell")))
