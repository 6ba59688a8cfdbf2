"""The Typer app: global options, commands loaded when named, and the one place errors become exit codes.

Commands live in modules named like their group (`items`, `briefings`, `repair` ...), each a
few lines that parse options, call the domain, and hand the result to a view or a serialiser.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup, TyperOption

from stidiplo.cli.context import SESSION
from stidiplo.errors import EXIT_DATA, EXIT_USAGE, StidiploError

if TYPE_CHECKING:
    from typer import _click as click  # the Click that Typer 0.28 vendors, for annotations only

GLOBAL_VALUES = ("--db", "--lang")
"""The global options that take a value."""

COMMAND_MODULES = {
    "items": ("list", "show", "add", "edit", "note", "remove"),
    "briefings": ("brief", "followups", "timeline", "attention", "upcoming", "scorecard", "log"),
    "vocabulary": ("countries", "fields"),
    "interchange": ("export", "import"),
    "extract": ("extract",),
    "repair": ("check", "undo", "backups", "restore"),
    "share": ("git-setup", "sync", "merge-driver"),
    "setup": ("init", "where", "info", "config"),
}
"""Each module of `stidiplo.cli` and the commands it holds, in the order help lists them."""

MODULE_OF = {name: module for module, names in COMMAND_MODULES.items() for name in names}


def command_name(info: typer.models.CommandInfo) -> str:
    """The name a registered Typer command is invoked by."""
    assert info.callback is not None
    return info.name or info.callback.__name__.replace("_", "-")


class LazyGroup(TyperGroup):
    """The `stidiplo` group: a command's module is imported, and the command built, when it is named.

    This is the lazy group of Click's documentation ("Lazily loading subcommands"). Building every
    command reads all 27 signatures, a sixth of `list`'s run, and importing their modules costs
    as much again; a command line builds only what it names, help builds them all.

    It is also the error boundary: domain errors, and any unexpected one, become one line on
    stderr and an exit code.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(MODULE_OF)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in MODULE_OF:
            module = importlib.import_module(f"stidiplo.cli.{MODULE_OF[cmd_name]}")
            info = next((c for c in module.commands.registered_commands if command_name(c) == cmd_name), None)
            if info is None:  # a group of commands, such as `config`
                group = next(g for g in module.commands.registered_groups if g.name == cmd_name)
                self.commands[cmd_name] = typer.main.get_group_from_info(
                    group, pretty_exceptions_short=True, suggest_commands=True, rich_markup_mode=self.rich_markup_mode
                )
                return self.commands[cmd_name]
            self.commands[cmd_name] = typer.main.get_command_from_info(
                info, pretty_exceptions_short=True, rich_markup_mode=self.rich_markup_mode
            )
        return self.commands.get(cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """An unknown command name builds them all, so that the nearest can be suggested."""
        if args and args[0] not in MODULE_OF:
            for name in self.list_commands(ctx):
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Refuse an over-long value before any parsing, so it is neither slow to refuse nor echoed."""
        from stidiplo.model import MAX_TEXT

        for at, arg in enumerate(args):
            if len(arg) > MAX_TEXT:
                where = f"the value of {args[at - 1]}" if at and args[at - 1].startswith("-") else "a value"
                fail(f"{where[:60]} is {len(arg):,} characters long; the limit is {MAX_TEXT:,}")
        return super().parse_args(ctx, self.globals_first(ctx, args))

    def globals_first(self, ctx: click.Context, args: list[str]) -> list[str]:
        """`--db` and `--lang` written after the command, moved before it (`list --lang ja` works).

        A word is left where it is when the command reads it as the value of one of its own
        options (`add --title --lang` keeps its title), and so is everything after `--`.
        """
        at = command_index(args)
        command = self.get_command(ctx, args[at]) if at is not None else None
        if at is None or command is None:
            return args
        valued = {
            name
            for p in command.params
            if isinstance(p, TyperOption) and not p.is_flag and not p.count
            for name in p.opts
        }
        moved, kept = [], [args[at]]
        words = iter(args[at + 1 :])
        for word in words:
            if word == "--":
                kept += [word, *words]
            elif word.partition("=")[0] in GLOBAL_VALUES and kept[-1] not in valued:
                moved.append(word)
                if "=" not in word:
                    value = next(words, None)
                    if value is None:
                        fail(f"option {word} needs a value")
                    moved.append(value)
            else:
                kept.append(word)
        return [*args[:at], *moved, *kept]

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StidiploError as err:
            fail(str(err), err.exit_code)
        except (typer.Exit, typer.Abort, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            raise  # the reader went away (`| head`): Typer ends quietly with exit 1
        except typer.TyperException:
            raise
        except Exception as err:
            if os.environ.get("STIDIPLO_DEBUG"):
                raise
            fail(f"unexpected error ({type(err).__name__}: {err}); set STIDIPLO_DEBUG=1 for details", EXIT_DATA)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """End the command with one line on stderr (user text shown literally) and `code`."""
    from stidiplo.labels import literal

    print(f"stidiplo: {literal(message)}", file=sys.stderr)
    raise typer.Exit(code)


app = typer.Typer(
    cls=LazyGroup,
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Track science, technology and innovation diplomacy: meetings and what followed them.",
    epilog="Example: stidiplo list --country sweden",
)


def version_callback(value: bool) -> None:
    """Print the version and stop, for --version."""
    if value:
        from stidiplo import __version__

        print(f"stidiplo {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Tracker file (else $STIDIPLO_DB, the nearest data/db.json, the per-user file).",
            metavar="PATH",
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", metavar="en|ja", help="Display language (else $STIDIPLO_LANG, then the locale)."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Track science, technology and innovation diplomacy: meetings and what followed them."""
    try:
        SESSION.configure(db, lang)
    except StidiploError as err:
        fail(str(err), err.exit_code)


def command_index(args: Sequence[str]) -> int | None:
    """Where a command line names its command: the first word that is neither an option nor a global value."""
    for at, word in enumerate(args):
        if not word.startswith("-") and (at == 0 or args[at - 1] not in GLOBAL_VALUES):
            return at
    return None


def main() -> None:
    """The `stidiplo` program: run one command and exit.

    The cyclic garbage collector stays off for the process: a command is short and its items hold
    no reference cycles, yet with the collector on, loading and printing 100,000 items spent a
    third of their time scanning the same objects again and again.
    """
    gc.disable()
    app()
