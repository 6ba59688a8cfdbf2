"""The Typer app: global options, commands loaded when named, and the one place errors become exit codes.

Commands live in modules named like their group (`items`, `briefings`, `repair` ...), each a
few lines that parse options, call the domain, and hand the result to a view or a serialiser.
"""

# No `from __future__ import annotations` here: Typer reads the options of the callback and the
# commands from their annotations at every run, which as strings it would compile and evaluate
# each time (a millisecond of a command's start-up); names for type checkers only are quoted.

import gc
import importlib
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer._click.exceptions import NoArgsIsHelpError
from typer._click.exceptions import UsageError as CommandLineError  # Click's, as Typer vendors it
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from stidiplo.cli.context import SESSION
from stidiplo.errors import EXIT_DATA, EXIT_USAGE, StidiploError

if TYPE_CHECKING:
    from typer import _click as click  # the Click that Typer 0.28 vendors, for annotations only

EXIT_INTERRUPTED = 130
"""Ctrl-C: 128 + SIGINT, as shells report it."""
GLOBAL_VALUES = ("--db", "--lang", "--color")
"""The global options that take a value."""
GLOBAL_FLAGS = ("--no-pager",)
"""The global options that take none."""

MODULE_OF = {
    "list": "items",
    "show": "items",
    "add": "record",
    "edit": "record",
    "note": "items",
    "remove": "items",
    **dict.fromkeys(("brief", "followups"), "briefings"),
    "timeline": "timeline",
    **dict.fromkeys(("attention", "upcoming", "scorecard", "log"), "briefings"),
    **dict.fromkeys(("countries", "fields", "values"), "vocabulary"),
    **dict.fromkeys(("export", "import"), "interchange"),
    "extract": "extract",
    **dict.fromkeys(("check", "undo", "backups", "restore"), "repair"),
    **dict.fromkeys(("git-setup", "sync", "merge-driver"), "share"),
    **dict.fromkeys(("init", "where", "info", "config", "completion"), "setup"),
}
"""Each command and the module of `stidiplo.cli` that holds it, in the order help lists them."""
COMMAND_MODULES = {module: tuple(n for n, m in MODULE_OF.items() if m == module) for module in MODULE_OF.values()}
"""Each command module and the commands it holds."""


def command_name(info: typer.models.CommandInfo) -> str:
    """The name a registered Typer command is invoked by."""
    assert info.callback is not None
    return info.name or info.callback.__name__.replace("_", "-")


class HelpCommand(TyperCommand):
    """A stidiplo command: its help flows the docstring's paragraphs and wraps Japanese cleanly (see helptext)."""

    def format_help(self, ctx: "click.Context", formatter: "click.HelpFormatter") -> None:
        from stidiplo.cli.helptext import flowed, mend_wide_wrapping

        mend_wide_wrapping()
        self.help = flowed(self.help or "")
        super().format_help(ctx, formatter)


class LazyGroup(TyperGroup):
    """The `stidiplo` group: a command's module is imported, and the command built, when it is named.

    This is the lazy group of Click's documentation ("Lazily loading subcommands"). Building every
    command reads all 27 signatures, a sixth of `list`'s run, and importing their modules costs
    as much again; a command line builds only what it names, help builds them all.

    It is also the error boundary: domain errors, and any unexpected one, become one line on
    stderr and an exit code.
    """

    def list_commands(self, ctx: "click.Context") -> list[str]:
        return list(MODULE_OF)

    def get_command(self, ctx: "click.Context", cmd_name: str) -> "click.Command | None":
        if cmd_name not in self.commands and cmd_name in MODULE_OF:
            module = importlib.import_module(f"stidiplo.cli.{MODULE_OF[cmd_name]}")
            info = next((c for c in module.commands.registered_commands if command_name(c) == cmd_name), None)
            if info is None:  # a group of commands, such as `config`
                group = next(g for g in module.commands.registered_groups if g.name == cmd_name)
                self.commands[cmd_name] = typer.main.get_group_from_info(
                    group, pretty_exceptions_short=True, suggest_commands=True, rich_markup_mode=self.rich_markup_mode
                )
                self.completing(self.commands[cmd_name])
                return self.commands[cmd_name]
            if info.cls in (None, TyperCommand):
                info.cls = HelpCommand
            self.commands[cmd_name] = typer.main.get_command_from_info(
                info, pretty_exceptions_short=True, rich_markup_mode=self.rich_markup_mode
            )
            self.completing(self.commands[cmd_name])
        return self.commands.get(cmd_name)

    @staticmethod
    def completing(command: "click.Command") -> None:
        """When the shell is asking, give the command's parameters their completers (see completion.attach)."""
        if os.environ.get("_STIDIPLO_COMPLETE"):
            from stidiplo.cli.completion import attach

            attach(command)

    def resolve_command(
        self, ctx: "click.Context", args: list[str]
    ) -> tuple[str | None, "click.Command | None", list[str]]:
        """An unknown command name builds them all, so that the nearest can be suggested."""
        if args and args[0] not in MODULE_OF:
            for name in self.list_commands(ctx):
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)

    def parse_args(self, ctx: "click.Context", args: list[str]) -> list[str]:
        """Refuse an over-long value before any parsing, so it is neither slow to refuse nor echoed."""
        from stidiplo.model import MAX_TEXT

        for at, arg in enumerate(args):
            if len(arg) > MAX_TEXT:
                fail(f"{value_name(args, at)[:60]} is {len(arg):,} characters long; the limit is {MAX_TEXT:,}")
        args = self.globals_first(ctx, args)
        try:
            args = self.text_arguments(ctx, args)
        except StidiploError as err:
            fail(str(err), err.exit_code)
        try:
            return super().parse_args(ctx, args)
        except CommandLineError as err:
            usage_failed(err)

    def text_arguments(self, ctx: "click.Context", args: list[str]) -> list[str]:
        """Every argument read as text (`argument_text`), but file names: they stay as the system gave them."""
        from stidiplo.cli.encoding import argument_text

        at = command_index(args)
        command = self.get_command(ctx, args[at]) if at is not None else None
        params = [*ctx.command.params, *(command.params if command is not None else ())]
        files = {name for p in params if isinstance(p, TyperOption) and names_file(p) for name in p.opts}
        valued = valued_options(command) if command is not None else set()
        takes_files = any(isinstance(p, TyperArgument) and names_file(p) for p in params)
        read = []
        for where, arg in enumerate(args):
            before = args[where - 1] if where else ""
            positional = at is not None and where > at and not arg.startswith("-") and before not in valued
            if before in files or arg.partition("=")[0] in files or (positional and takes_files):
                read.append(arg)
            else:
                read.append(argument_text(arg, value_name(args, where)))
        return read

    def globals_first(self, ctx: "click.Context", args: list[str]) -> list[str]:
        """Global options written after the command, moved before it (`list --lang ja`, `list --no-pager` work).

        A word is left where it is when the command reads it as the value of one of its own
        options (`add --title --lang` keeps its title), and so is everything after `--`.
        """
        at = command_index(args)
        command = self.get_command(ctx, args[at]) if at is not None else None
        if at is None or command is None:
            return args
        valued = valued_options(command)
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
            elif word in GLOBAL_FLAGS and kept[-1] not in valued:
                moved.append(word)
            else:
                kept.append(word)
        return [*args[:at], *moved, *kept]

    def _main_shell_completion(self, ctx_args: Any, prog_name: str, complete_var: str | None = None) -> None:
        """Answer the shell when this run is a completion request (`_STIDIPLO_COMPLETE` set), whatever
        the program was started as; only then is the completion module loaded."""
        if os.environ.get("_STIDIPLO_COMPLETE"):
            from stidiplo.cli.completion import COMPLETE_VAR, PROG, prepare

            prepare()
            self.completing(self)
            super()._main_shell_completion(ctx_args, PROG, COMPLETE_VAR)

    def invoke(self, ctx: "click.Context") -> Any:
        try:
            return super().invoke(ctx)
        except StidiploError as err:
            fail(str(err), err.exit_code)
        except CommandLineError as err:
            usage_failed(err)
        except (KeyboardInterrupt, typer.Abort) as err:
            interrupted(err)
        except (typer.Exit, SystemExit):
            raise
        except BrokenPipeError:
            raise  # the reader went away (`| head`): Typer ends quietly with exit 1
        except typer.TyperException:
            raise
        except Exception as err:
            if os.environ.get("STIDIPLO_DEBUG"):
                raise
            fail(f"unexpected error ({type(err).__name__}: {err}); set STIDIPLO_DEBUG=1 for details", EXIT_DATA)


def usage_failed(err: CommandLineError) -> NoReturn:
    """A command line Click cannot parse, as the promised one line (not Typer's boxed usage) and exit 2."""
    if isinstance(err, NoArgsIsHelpError):
        raise err  # `stidiplo` alone: the help, as Click shows it
    where = err.ctx.command_path if err.ctx is not None else "stidiplo"
    message = err.format_message().rstrip(".")
    fail(f"{message[:1].lower()}{message[1:]} (see `{where} --help`)")


def interrupted(err: BaseException) -> NoReturn:
    """Ctrl-C (at a prompt too, where Click turns it into Abort) ends with exit 130, the shell's code for it;
    no answer at a prompt (end of input) with exit 1. A write cut short leaves the file as it was."""
    if isinstance(err, KeyboardInterrupt) or isinstance(err.__context__, KeyboardInterrupt):
        if sys.stderr.isatty():
            print(file=sys.stderr)  # off the line of a prompt, or of the ^C the terminal echoed
        fail("interrupted", EXIT_INTERRUPTED)
    fail("no answer (end of input); nothing was changed", EXIT_DATA)


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
            help="Tracker file (else $STIDIPLO_DB, the nearest data/db.json, the settings file, the per-user file).",
            metavar="PATH",
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="en|ja",
            help="Display language (else $STIDIPLO_LANG, the settings file, then the locale).",
        ),
    ] = None,
    color: Annotated[
        str,
        typer.Option(
            "--color",
            metavar="auto|always|never",
            help="Colour the views: on a terminal (honouring NO_COLOR, FORCE_COLOR), always, or never.",
        ),
    ] = "auto",
    no_pager: Annotated[
        bool, typer.Option("--no-pager", help="Print long views directly, not through $STIDIPLO_PAGER, $PAGER or less.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Track science, technology and innovation diplomacy: meetings and what followed them."""
    try:
        SESSION.configure(db, lang, color, paging=not no_pager)
    except StidiploError as err:
        fail(str(err), err.exit_code)


def valued_options(command: "click.Command") -> set[str]:
    """The names of `command`'s options that take a value."""
    return {
        name for p in command.params if isinstance(p, TyperOption) and not p.is_flag and not p.count for name in p.opts
    }


def names_file(param: "click.Parameter") -> bool:
    """Whether a parameter's value is a file name (a path type, or shown as PATH or FILE)."""
    return getattr(param.type, "name", "") == "path" or param.metavar in ("PATH", "FILE")


def value_name(args: Sequence[str], at: int) -> str:
    """How a message names the argument at `at`: the value of the option before it, or a value."""
    return f"the value of {args[at - 1]}" if at and args[at - 1].startswith("-") else "a value"


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
    third of their time scanning the same objects again and again. stdout and stderr are made to
    replace what their encoding lacks (a cp932 console, a pipe under `LANG=C`) instead of raising.
    """
    from stidiplo.cli.encoding import prepare_streams

    gc.disable()
    prepare_streams()
    try:
        app()
    except SystemExit as done:
        leave(done)
    leave(SystemExit(0))


def leave(done: SystemExit) -> NoReturn:
    """End the process with `done`'s status, skipping the interpreter's teardown.

    Every file the command wrote is whole by now (the one writer syncs and closes each, and the
    lock is released when the command ends); what is left is stdout and stderr, flushed here.
    Freeing 100,000 parsed items one object at a time took about 0.7 s, for nothing. A status
    that is not a number, or a stream that cannot be flushed (a closed pipe), ends the usual way.
    """
    code = 0 if done.code is None else done.code
    if not isinstance(code, int):
        raise done
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        raise done from None
    os._exit(code)
