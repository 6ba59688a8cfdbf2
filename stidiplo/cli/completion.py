"""Shell completion: the candidates for each option's values, and the scripts that ask stidiplo for them.

Loaded only when the shell asks (`_STIDIPLO_COMPLETE` is set) or `stidiplo completion` runs, so
ordinary commands never pay for it. The shell sends the words typed so far; Click parses them
as far as it can, finds the option or argument being typed, and calls its completer here.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from stidiplo import vocab

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from typer import _click as click
    from typer._click.shell_completion import CompletionItem

    from stidiplo.tracker import Tracker

    Candidates = list[tuple[str, str]]

PROG = "stidiplo"
COMPLETE_VAR = "_STIDIPLO_COMPLETE"
SHELLS = ("bash", "zsh", "fish")
TITLE_WIDTH = 60
"""Characters of a title shown beside an id: zsh and fish show it on one line."""


def script(shell: str) -> str:
    """The script that makes `shell` complete stidiplo: sourced from a start-up file, or saved (fish)."""
    from typer._completion_shared import get_completion_script

    return get_completion_script(prog_name=PROG, complete_var=COMPLETE_VAR, shell=shell)


def prepare() -> None:
    """Make ready to answer a completion request: Typer's shell formats (with values escaped for bash),
    and Click's spelling of the request (`bash_complete`) read as Typer's (`complete_bash`)."""
    from typer._click.shell_completion import add_completion_class
    from typer._completion_classes import BashComplete, completion_init

    class EscapedBashComplete(BashComplete):
        """Bash inserts a candidate as it is given: a space in a name must come escaped."""

        def format_completion(self, item: object) -> str:
            value = str(item.value)  # type: ignore[attr-defined]
            return "".join("\\" + c if c in " '\"()&;|<>$`\\" else c for c in value)

    completion_init()
    add_completion_class(EscapedBashComplete, "bash")
    instruction = os.environ.get(COMPLETE_VAR, "")
    shell, _, action = instruction.partition("_")
    if shell in SHELLS and action in ("complete", "source"):
        os.environ[COMPLETE_VAR] = f"{action}_{shell}"


def matching(incomplete: str, words: Iterable[tuple[str, str]]) -> Candidates:
    """The words that begin with what was typed, ignoring case and full width, each with its description.

    A shell keeps only candidates that begin with the typed text, so a match is written from it:
    `sw` offers `sweden`, `Sw` offers `Sweden`.
    """
    typed = vocab.normalize(incomplete)
    found: dict[str, str] = {}
    for word, description in words:
        if not vocab.normalize(word).startswith(typed):
            continue
        if word.startswith(incomplete):
            value = word
        elif word.lower().startswith(incomplete):
            value = word.lower()
        else:
            value = incomplete + word[len(incomplete) :]
        found.setdefault(value, description)
    return list(found.items())


def language(ctx: click.Context) -> str:
    """The display language the command line chose (--lang), else the environment's."""
    from stidiplo.cli.context import check_lang, default_lang
    from stidiplo.errors import UsageError

    try:
        chosen = ctx.find_root().params.get("lang")
        return check_lang(chosen) if chosen else default_lang()[0]
    except UsageError:
        return "en"


def languages(lang: str, incomplete: str) -> tuple[str, ...]:
    """The languages whose names are offered: the display language, English, and Japanese when it is typed."""
    return tuple(dict.fromkeys((lang, "en", *(() if incomplete.isascii() else ("ja",)))))


def named(entries: dict[str, dict], lang: str, incomplete: str) -> Candidates:
    """Codes and names (see `languages`) of a vocabulary; its aliases when nothing else matches."""
    words = [(code, entry[lang]) for code, entry in entries.items()]
    words += [(entry[name], code) for name in languages(lang, incomplete) for code, entry in entries.items()]
    found = matching(incomplete, words)
    if found or not incomplete:
        return found
    return matching(incomplete, [(alias, code) for code, entry in entries.items() for alias in entry["aliases"]])


def labelled(group: str, lang: str, incomplete: str) -> Candidates:
    """Kinds or statuses: codes, and their labels (see `languages`) where they read otherwise."""
    entries = vocab.vocabulary(group)
    words = [(code, entry[lang]) for code, entry in entries.items()]
    words += [
        (entry[name], code)
        for name in languages(lang, incomplete)
        for code, entry in entries.items()
        if entry[name].replace(" ", "-") != code
    ]
    return matching(incomplete, words)


def tracker(ctx: click.Context) -> Tracker | None:
    """The tracker the command line names (--db, else the usual rules), or None when it cannot be read."""
    from stidiplo import tracker_file
    from stidiplo.errors import StidiploError
    from stidiplo.paths import locate
    from stidiplo.store import Store

    try:
        return tracker_file.load(Store(locate(ctx.find_root().params.get("db")).path))
    except (StidiploError, OSError, ValueError):
        return None


def items(ctx: click.Context, incomplete: str, meetings_only: bool = False) -> Candidates:
    """Item ids beginning with what was typed (as short as tables show them), each with its title."""
    from rich.markup import escape

    from stidiplo.labels import literal

    found = tracker(ctx)
    if found is None:
        return []
    typed = incomplete.strip().lower()
    lang = language(ctx)
    candidates = []
    for item_id in found.sorted_ids():
        if not item_id.startswith(typed) or (meetings_only and found.items.peek(item_id, "kind") != "meeting"):
            continue
        short = found.short_id(item_id)
        title = " ".join(literal(found.items[item_id].title_in(lang)).split())
        title = escape(title if len(title) <= TITLE_WIDTH else title[: TITLE_WIDTH - 1] + "…")
        candidates.append((short if len(typed) <= len(short) else item_id, title))
    return candidates


def settings(incomplete: str) -> Candidates:
    """The settings file's keys, each with what it is for."""
    from stidiplo.config import KEYS

    return matching(incomplete, [(name, key.help) for name, key in KEYS.items()])


COMPLETERS: dict[str, Callable[[click.Context, str], Candidates]] = {
    "country": lambda ctx, typed: named(vocab.vocabulary("country"), language(ctx), typed),
    "field": lambda ctx, typed: named(vocab.vocabulary("field"), language(ctx), typed),
    "kind": lambda ctx, typed: labelled("kind", language(ctx), typed),
    "status": lambda ctx, typed: labelled("status", language(ctx), typed),
    "item": items,
    "meeting": lambda ctx, typed: items(ctx, typed, meetings_only=True),
    "setting": lambda ctx, typed: settings(typed),
}
"""The completer of each kind of value."""

BY_OPTION = {
    **dict.fromkeys(("--country", "--add-country", "--remove-country"), "country"),
    **dict.fromkeys(("--field", "--add-field", "--remove-field"), "field"),
    **dict.fromkeys(("--kind", "--set-kind"), "kind"),
    **dict.fromkeys(("--status", "--set-status"), "status"),
    **dict.fromkeys(("--follows", "--set-follows"), "meeting"),
    **dict.fromkeys(("--related", "--add-related", "--remove-related"), "item"),
}
"""The values each option takes, by its long name, wherever it appears."""
BY_ARGUMENT = {"item_id": "item", "meeting_id": "meeting", "key": "setting"}
"""The values each argument takes, by its parameter name."""
_LISTED = re.compile(r"([a-z][a-z-]*(?:, [a-z][a-z-]*)*,? or [a-z][a-z-]*)[.;]")


def attach(command: click.Command) -> None:
    """Give each parameter of `command` (and of the commands of a group) the completer of its values.

    Done only when the shell asks, so that building a command for an ordinary run costs nothing
    more: Typer inspects the signature of every completer declared on an option.
    """
    for param in command.params:
        completer = completer_of(param)
        if completer is not None:
            param._custom_shell_complete = completer
    for sub in getattr(command, "commands", {}).values():
        attach(sub)


def completer_of(param: click.Parameter) -> Callable[..., list[CompletionItem]] | None:
    """The completer of a parameter: by its name (a country, an item ...), else the words its help lists."""
    from typer._click.shell_completion import CompletionItem

    what = next((BY_OPTION[o] for o in param.opts if o in BY_OPTION), None) or BY_ARGUMENT.get(param.name or "")
    words = listed_words(param)
    if what is None and not words:
        return None

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        found = COMPLETERS[what](ctx, incomplete) if what else matching(incomplete, [(w, "") for w in words])
        return [CompletionItem(value, help=help or None) for value, help in found]

    return complete


def listed_words(param: click.Parameter) -> tuple[str, ...]:
    """The fixed words a parameter takes, as its metavar (en|ja) or the start of its help lists them
    ("table, json, csv or md.")."""
    metavar = getattr(param, "metavar", None) or ""
    if "|" in metavar:
        return tuple(metavar.split("|"))
    listed = _LISTED.match(re.sub(r" \([^)]*\)", "", getattr(param, "help", None) or ""))
    return tuple(re.split(r",? or |, ", listed.group(1))) if listed else ()
