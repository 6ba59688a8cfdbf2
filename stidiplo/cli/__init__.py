"""The Typer app: global options, the one place errors become exit codes, and shared options.

Commands live in the modules imported at the bottom, grouped by what users do; each is a few
lines that parse, call the domain, and hand the result to a view or a serialiser.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from io import StringIO
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from typer.core import TyperGroup

from stidiplo.errors import EXIT_DATA, EXIT_USAGE, StidiploError, UsageError

LANGS = ("en", "ja")
GLOBAL_VALUES = ("--db", "--lang")
"""The global options that take a value."""
LIST_FORMATS = ("table", "json", "csv", "md")


class _Group(TyperGroup):
    """Turns domain errors, and any unexpected one, into one line on stderr and an exit code."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Refuse an over-long value before any parsing, so it is neither slow to refuse nor echoed."""
        from stidiplo.model import MAX_TEXT

        for at, arg in enumerate(args):
            if len(arg) > MAX_TEXT:
                where = f"the value of {args[at - 1]}" if at and args[at - 1].startswith("-") else "a value"
                fail(f"{where[:60]} is {len(arg):,} characters long; the limit is {MAX_TEXT:,}")
        return super().parse_args(ctx, self.globals_first(ctx, args))

    def globals_first(self, ctx: Any, args: list[str]) -> list[str]:
        """`--db` and `--lang` written after the command, moved before it (`list --lang ja` works).

        A word is left where it is when the command reads it as the value of one of its own
        options (`add --title --lang` keeps its title), and so is everything after `--`.
        """
        at = command_index(args)
        command = self.get_command(ctx, args[at]) if at is not None else None
        if command is None:
            return args
        valued = {
            name
            for p in command.params
            if p.param_type_name == "option" and not p.is_flag and not p.count
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

    def invoke(self, ctx: Any) -> Any:
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


def fail(message: str, code: int = EXIT_USAGE) -> None:
    from stidiplo.views import literal

    print(f"stidiplo: {literal(message)}", file=sys.stderr)
    raise typer.Exit(code)


app = typer.Typer(
    cls=_Group,
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Track science, technology and innovation diplomacy: meetings and what followed them.",
    epilog="Example: stidiplo list --country sweden",
)


class Session:
    """What one invocation was told: which tracker and which language."""

    def __init__(self) -> None:
        self.db: str | None = None
        self.lang = "en"

    def configure(self, db: str | None, lang: str | None) -> None:
        self.db = db
        self.lang = check_lang(lang) if lang else default_lang()

    def location(self):
        from stidiplo.paths import locate

        return locate(self.db)

    def store(self):
        from stidiplo.paths import ensure_user_db
        from stidiplo.store import Store

        location = self.location()
        if ensure_user_db(location):
            print(f"stidiplo: created {location.path} from the shipped dataset", file=sys.stderr)
        return Store(location.path)

    def load(self):
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
    lang = value.strip().lower()[:2]
    if lang not in LANGS:
        raise UsageError(f"unknown language {value!r}; use en or ja")
    return lang


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


def version_callback(value: bool) -> None:
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


# -- options shared by the listing commands ---------------------------------------------------

Country = Annotated[
    list[str] | None,
    typer.Option("--country", "-c", help="Country or bloc: code, English or Japanese name (repeatable)."),
]
Field = Annotated[list[str] | None, typer.Option("--field", help="Field, e.g. quantum, arctic, 量子技術 (repeatable).")]
Kind = Annotated[
    list[str] | None,
    typer.Option("--kind", "-k", help="meeting, agreement, joint-call, event, visit, office, program (repeatable)."),
]
Status = Annotated[
    list[str] | None,
    typer.Option("--status", "-s", help="exploring, coordinating, scheduled, ongoing, done, dropped (repeatable)."),
]
Since = Annotated[
    str | None, typer.Option("--since", help="From this date: 2018, 2018-01, 2018年1月, FY2018, '6 months ago'.")
]
Until = Annotated[str | None, typer.Option("--until", help="Up to this date (a year includes its 31 December).")]
Follows = Annotated[str | None, typer.Option("--follows", help="Only follow-ups of this meeting (id or prefix).")]
Search = Annotated[
    str | None,
    typer.Option("--search", "-q", help="Text in title, notes, organisations, people, place (Japanese too)."),
]
Format = Annotated[str, typer.Option("--format", "-f", help="table, json, csv or md.")]


def choice(value: str, allowed: Sequence[str], what: str) -> str:
    """`value` if it is one of `allowed` (case-insensitive), else a usage error that lists them."""
    key = value.strip().lower()
    if key in allowed:
        return key
    import difflib

    near = difflib.get_close_matches(key, allowed, n=1)
    hint = f" (did you mean {near[0]}?)" if near else ""
    raise UsageError(f"unknown {what} {value!r}{hint}; use one of: {', '.join(allowed)}")


def build_filter(
    tracker,
    *,
    country=None,
    field=None,
    kind=None,
    status=None,
    since=None,
    until=None,
    follows=None,
    search=None,
):
    """Turn the listing options into a Filter, refusing any value it cannot read."""
    from stidiplo import vocab
    from stidiplo.model import KINDS, STATUSES
    from stidiplo.query import Filter

    return Filter(
        countries=frozenset(vocab.resolve_country(c) for c in country or ()),
        fields=frozenset(vocab.resolve_field(f) for f in field or ()),
        kinds=frozenset(choice(k, KINDS, "kind") for k in kind or ()),
        statuses=frozenset(choice(s, STATUSES, "status") for s in status or ()),
        since=read_date(since) if since else None,
        until=read_date(until) if until else None,
        follows=tracker.resolve(follows).id if follows else None,
        search=search or None,
    )


def read_date(text: str):
    from stidiplo.dateparse import parse_date

    return parse_date(text, today=today())


def check_format(value: str, allowed: Sequence[str] = LIST_FORMATS) -> str:
    return choice(value, allowed, "format")


def print_renderable(renderable: Any) -> None:
    from stidiplo.views import console

    console().print(renderable)


def write_text(writer: Callable[[Any, Any], None], value: Any) -> None:
    """Run a text serialiser onto stdout."""
    writer(value, sys.stdout)
    sys.stdout.flush()


def write_bytes(writer: Callable[[Any, Any], None], value: Any) -> None:
    """Run a bytes serialiser onto stdout."""
    sys.stdout.flush()
    writer(value, sys.stdout.buffer)
    sys.stdout.buffer.flush()


def save_file(path: str, payload: bytes) -> None:
    """Write `payload` to `path` through a temporary file in the same folder, then rename it into place."""
    import tempfile

    target = Path(path).expanduser()
    if not target.parent.is_dir():
        raise UsageError(f"cannot write {path}: the folder {target.parent} does not exist")
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
        os.replace(tmp, target)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise StidiploError(f"cannot write {path}: {err.strerror}") from None


DOCUMENT_SUFFIXES = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".csv": "csv", ".json": "json"}
FILE_WIDTH = 100
"""Columns of the terminal view when it is written to a file."""

Output = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write to FILE instead of the terminal; its suffix (.html, .md) sets the format unless --format does.",
    ),
]


def document_format(fmt: str | None, output: str | None, allowed: Sequence[str]) -> str:
    """--format, else the one -o's suffix implies, else the terminal view."""
    if fmt is not None:
        return check_format(fmt, allowed)
    implied = DOCUMENT_SUFFIXES.get(Path(output).suffix.lower()) if output is not None else None
    return implied if implied in allowed else "table"


def emit_document(
    fmt: str, output: str | None, view: Callable[[], Any], writers: dict[str, Callable[[IO[str]], None]]
) -> None:
    """A document in `fmt` to the terminal or to FILE: the Rich `view`, or one of the text `writers`.

    A file is written whole or not at all, and its name is printed.
    """
    if fmt == "table" and output is None:
        print_renderable(view())
        return
    if output is None:
        writers[fmt](sys.stdout)
        return
    if fmt == "table":
        from stidiplo.views.briefing import plain_text

        content = plain_text(view(), FILE_WIDTH)
    else:
        buffer = StringIO()
        writers[fmt](buffer)
        content = buffer.getvalue()
    save_file(output, content.encode("utf-8"))
    print(f"wrote {output}")


def emit_items(chosen: Iterable[Any], tracker: Any, fmt: str, title: str | None = None) -> None:
    """Print items as a table or in a machine format."""
    rows = list(chosen)
    if fmt == "json":
        from stidiplo.formats.jsonfmt import write_items

        write_bytes(write_items, rows)
    elif fmt == "csv":
        from stidiplo.formats.table import write_csv

        write_text(write_csv, rows)
    elif fmt == "md":
        from stidiplo.formats.table import write_md

        write_text(write_md, rows)
    else:
        from stidiplo.views.items import ItemsTable

        print_renderable(ItemsTable(rows, tracker, SESSION.lang, title))


def command_index(args: Sequence[str]) -> int | None:
    """Where a command line names its command: the first word that is neither an option nor a global value."""
    for at, word in enumerate(args):
        if not word.startswith("-") and (at == 0 or args[at - 1] not in GLOBAL_VALUES):
            return at
    return None


def invoked(args: Sequence[str]) -> str | None:
    """The command a command line names."""
    at = command_index(args)
    return None if at is None else args[at]


def main() -> None:
    """The `stidiplo` program: run one command and exit.

    Only the command invoked is built: Typer reads the signature of every registered command to
    build it, which for all 27 took 16 ms, a sixth of `list`'s whole run on the shipped dataset.
    Help, and a command line naming no known command, get them all.

    The cyclic garbage collector stays off for the process: a command is short and its items hold
    no reference cycles, yet with the collector on, loading and printing 100,000 items spent a
    third of their time scanning the same objects again and again.
    """
    gc.disable()
    name = invoked(sys.argv[1:])
    chosen = [c for c in app.registered_commands if (c.name or c.callback.__name__.replace("_", "-")) == name]
    if chosen:
        app.registered_commands = chosen
    app()


from stidiplo.cli import extract, followup, interchange, items, maintenance, meetings, recovery, share  # noqa: E402,F401 - registers the commands
