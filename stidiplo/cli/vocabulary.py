"""The vocabulary: which countries, blocs and fields the items use, and every word each option accepts."""

from __future__ import annotations

from typing import Annotated

import typer

from stidiplo.cli.context import SESSION
from stidiplo.cli.options import VOCABULARIES, Format, check_format, choice
from stidiplo.cli.output import print_renderable, write_bytes, write_stream

commands = typer.Typer()


def _counts(kind: str, fmt: str) -> None:
    from collections import Counter

    from stidiplo import vocab

    fmt = check_format(fmt)
    tracker = SESSION.load()
    counter: Counter[str] = Counter(v for item in tracker.all() for v in getattr(item, kind))
    name = vocab.country_name if kind == "countries" else vocab.field_name
    rows = [(code, name(code, SESSION.lang), n) for code, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]
    if fmt == "json":
        from stidiplo.formats.jsonfmt import write_value

        write_bytes(
            write_value,
            [{"code": c, "name_en": name(c, "en"), "name_ja": name(c, "ja"), "count": n} for c, _, n in rows],
        )
    elif fmt in ("csv", "md"):
        from stidiplo.formats.markdown import write_md_rows
        from stidiplo.formats.table import write_csv_rows

        writer = write_csv_rows if fmt == "csv" else write_md_rows
        table = [(c, nm, str(n)) for c, nm, n in rows]
        write_stream(lambda out: writer(("code", "name", "count"), table, out))
    else:
        from stidiplo.views.items import counts_table

        print_renderable(counts_table(rows, SESSION.lang))


@commands.command()
def countries(fmt: Format = "table") -> None:
    """Countries and blocs in use, with how many items each has.

    Example: stidiplo countries --lang ja
    """
    _counts("countries", fmt)


@commands.command()
def fields(fmt: Format = "table") -> None:
    """Fields in use, with how many items each has.

    Example: stidiplo fields --format json
    """
    _counts("fields", fmt)


@commands.command("values")
def values_command(
    vocabulary: Annotated[
        str,
        typer.Argument(help="kind, status, field or country.", metavar="VOCABULARY"),
    ],
    fmt: Format = "table",
) -> None:
    """The words an option accepts: each code with its English and Japanese names and aliases.

    Any of them, in any case, is accepted wherever the option is: --kind 訪問, -s 済, -c "Czech Republic".

    Example: stidiplo values status
    """
    from stidiplo import vocab

    fmt = check_format(fmt)
    entries = vocab.vocabulary(choice(vocabulary, VOCABULARIES, "vocabulary"))
    if fmt == "json":
        from stidiplo.formats.jsonfmt import write_value

        write_bytes(
            write_value,
            [{"code": c, "en": e["en"], "ja": e["ja"], "aliases": e.get("aliases", [])} for c, e in entries.items()],
        )
        return
    rows = [(c, e["en"], e["ja"], "; ".join(e.get("aliases", ()))) for c, e in entries.items()]
    if fmt in ("csv", "md"):
        from stidiplo.formats.markdown import write_md_rows
        from stidiplo.formats.table import write_csv_rows

        writer = write_csv_rows if fmt == "csv" else write_md_rows
        write_stream(lambda out: writer(("code", "en", "ja", "aliases"), rows, out))
    else:
        from stidiplo.views.items import names_table

        print_renderable(names_table(rows, SESSION.lang))
