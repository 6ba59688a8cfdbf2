"""Setting up: starting a tracker, where the one in use is, what it holds, completion for the shell."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stidiplo.cli.completion import SHELLS
from stidiplo.cli.context import SESSION
from stidiplo.cli.options import choice, one_of
from stidiplo.cli.settings import KEYS
from stidiplo.errors import UsageError

commands = typer.Typer()


@commands.command()
def where() -> None:
    """Print the tracker file in use and the rule that chose it, then each setting and its rule.

    Example: stidiplo where
    """
    from stidiplo.cli.pager import pager_setting
    from stidiplo.cli.settings import backups_setting, config_path, setting

    location = SESSION.location()
    print(location.path)
    print(f"chosen by: {location.rule}")
    rows = [
        ("lang", SESSION.lang, SESSION.lang_rule),
        ("stale-months", *setting("stale-months")),
        ("backups", *backups_setting()),
        ("pager", *pager_setting()),
    ]
    for key, value, rule in rows:
        print(f"{key:<13} {value:<10} {rule}")
    path = config_path()
    print(f"{'config file':<13} {path}{'' if path.exists() else ' (none yet)'}")


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
    seed: Annotated[
        bool, typer.Option("--seed", help="Start from the shipped dataset instead of an empty file.")
    ] = False,
) -> None:
    """Create a new tracker file (empty, or a copy of the shipped dataset).

    Example: stidiplo init data/db.json
    """
    from stidiplo.paths import shipped_dataset
    from stidiplo.store import Store
    from stidiplo.store.fileformat import serialize
    from stidiplo.tracker import Tracker
    from stidiplo.tracker_file import data_from_tracker

    if path.exists():
        raise UsageError(f"{path} already exists; not overwriting it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UsageError(f"cannot create {path.parent}: {err.strerror}") from None
    store = Store(path)
    payload = shipped_dataset().read_bytes() if seed else serialize(data_from_tracker(Tracker({}, {})))
    with store.lock():
        store.write(payload)
    print(f"created {path}")


@commands.command()
def completion(
    shell: Annotated[str, typer.Argument(help="bash, zsh or fish.", metavar="SHELL", autocompletion=one_of(SHELLS))],
) -> None:
    """Print the script that lets the shell complete commands, options, ids, countries and other values.

    bash, in ~/.bashrc: eval "$(stidiplo completion bash)"; zsh, in ~/.zshrc after compinit: eval
    "$(stidiplo completion zsh)"; fish: stidiplo completion fish > ~/.config/fish/completions/stidiplo.fish

    Example: stidiplo completion bash >> ~/.bash_completion
    """
    from stidiplo.cli.completion import script

    print(script(choice(shell, SHELLS, "shell")))


CONFIG_ACTIONS = ("path", "list", "get", "set", "unset")


@commands.command()
def config(
    action: Annotated[
        str, typer.Argument(help="path, list, get, set or unset.", autocompletion=one_of(CONFIG_ACTIONS))
    ],
    key: Annotated[
        str | None, typer.Argument(help="db, lang, stale-months, backups or pager.", autocompletion=one_of(tuple(KEYS)))
    ] = None,
    value: Annotated[str | None, typer.Argument(help="The value to set.")] = None,
) -> None:
    """Read or change the config file: defaults for the tracker, language, stale months, backups and pager.

    An option beats the environment, which beats the file, which beats the default (see `stidiplo where`).

    Example: stidiplo config set lang ja
    """
    from stidiplo.cli import settings

    action = choice(action, CONFIG_ACTIONS, "config action")
    wanted = {"path": 0, "list": 0, "get": 1, "unset": 1, "set": 2}[action]
    given = [v for v in (key, value) if v is not None]
    if len(given) != wanted:
        raise UsageError(f"config {action} takes {('no', 'a KEY', 'a KEY and a VALUE')[wanted]} argument(s)")
    values = dict(settings.read_config())
    if action == "path":
        print(settings.config_path())
    elif action == "list":
        for name, held in values.items():
            print(f"{name} = {held}")
    elif action == "get":
        chosen = settings.setting(settings.known(str(key)))
        if chosen.value is None:
            raise typer.Exit(1)  # unset and without a default, as `git config` answers
        print(chosen.value)
    elif action == "set":
        values[str(key)] = settings.checked(str(key), value)
        print(f"set {key} = {values[str(key)]} in {settings.write_config(values)}")
    else:
        values.pop(settings.known(str(key)), None)
        print(f"unset {key} in {settings.write_config(values)}")
