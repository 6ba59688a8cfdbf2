"""Start-up stays light: each command loads only the modules it uses (start-up time is benchmarked).

The app runs in a fresh interpreter, so what the test process has already imported cannot hide
an import; the modules present when the command has finished are compared with what it needs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stidiplo.cli.app import COMMAND_MODULES
from tests.helpers import fixed_id

RUN_AND_LIST_MODULES = """
import json, os, sys
report, args = sys.argv[1], sys.argv[2:]
sys.argv = ["stidiplo", *args]
def stay(code):  # the program ends with os._exit; stay to list the modules it loaded
    raise SystemExit(code)
os._exit = stay
from stidiplo.cli import main
try:
    main()
except SystemExit as done:
    if done.code:
        raise
with open(report, "w", encoding="utf-8") as out:
    json.dump(sorted(sys.modules), out)
"""

NEVER_FOR_LISTING = (
    "calendar",
    "dateutil",
    "openpyxl",
    "icalendar",
    "filelock",
    "pygments",
    "rich.markdown",
    "rich.syntax",
    "rich.progress",
    "stidiplo.dateparse",
    "stidiplo.import_plan",
    "stidiplo.import_cells",
    "stidiplo.formats.interchange",
    "stidiplo.formats.csvfmt",
    "stidiplo.formats.xlsx",
    "stidiplo.formats.ics",
    "stidiplo.formats.markdown",
    "stidiplo.formats.html",
    "stidiplo.formats.records",
    "stidiplo.followups",
    "stidiplo.attention",
    "stidiplo.tally",
    "stidiplo.activity",
    "stidiplo.merge",
    "stidiplo.gitshare",
    "stidiplo.recovery",
    "stidiplo.check",
    "stidiplo.views.detail",
    "stidiplo.views.followups",
    "stidiplo.views.timeline",
    "stidiplo.views.attention",
    "stidiplo.views.scorecard",
    "stidiplo.views.log",
    "stidiplo.views.progress",
    "stidiplo.views.sync",
)
"""Loaded by other commands, never by a plain listing: the date parser, exporters, importers, briefings, merge
(and the standard library's calendar, which partial dates do without)."""

LIST_DOMAIN = {
    "stidiplo",
    "stidiplo.amounts",
    "stidiplo.dates",
    "stidiplo.errors",
    "stidiplo.store.fileformat",
    "stidiplo.labels",
    "stidiplo.model",
    "stidiplo.paths",
    "stidiplo.query",
    "stidiplo.rules",
    "stidiplo.schema",
    "stidiplo.store",
    "stidiplo.store.index",
    "stidiplo.store.records",
    "stidiplo.system",
    "stidiplo.tracker",
    "stidiplo.tracker_file",
    "stidiplo.views",
    "stidiplo.views.items",
    "stidiplo.views.cells",
    "stidiplo.views.layout",
    "stidiplo.views.lines",
    "stidiplo.views.rows",
    "stidiplo.views.celllines",
    "stidiplo.vocab",
}
"""Every stidiplo module outside the command layer that `list --country sweden` needs."""


def modules_after(tmp_path: Path, *args: str) -> set[str]:
    """The modules a fresh interpreter holds after running `stidiplo *args` (which must succeed)."""
    report = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST_MODULES, str(report), *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(report.read_text(encoding="utf-8")))


def loaded(modules: set[str], name: str) -> bool:
    return name in modules or any(m.startswith(name + ".") for m in modules)


def test_list_loads_only_the_listing_modules(db: Path, tmp_path: Path) -> None:
    modules = modules_after(tmp_path, "list", "--country", "sweden")
    assert [name for name in NEVER_FOR_LISTING if loaded(modules, name)] == []
    domain = {m for m in modules if m.startswith("stidiplo") and not m.startswith("stidiplo.cli")}
    assert domain == LIST_DOMAIN


def test_list_as_json_builds_no_table(db: Path, tmp_path: Path) -> None:
    modules = modules_after(tmp_path, "list", "--format", "json")
    assert "stidiplo.formats.jsonfmt" in modules
    assert [name for name in ("rich.table", "stidiplo.views.items", *NEVER_FOR_LISTING) if loaded(modules, name)] == []


@pytest.mark.parametrize("args", [("show", fixed_id("lund")[:8]), ("followups",), ("list", "--kind", "meeting")])
def test_reading_commands_load_no_exporter_or_date_parser(db: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    modules = modules_after(tmp_path, *args)
    heavy = (
        "dateutil",
        "openpyxl",
        "icalendar",
        "filelock",
        "stidiplo.dateparse",
        "stidiplo.import_plan",
        "stidiplo.formats.interchange",
        "stidiplo.merge",
    )
    assert [name for name in heavy if loaded(modules, name)] == []


def test_a_date_filter_loads_the_date_parser_but_no_exporter(db: Path, tmp_path: Path) -> None:
    modules = modules_after(tmp_path, "list", "--since", "2018-10")
    assert "stidiplo.dateparse" in modules
    assert [
        name
        for name in ("openpyxl", "icalendar", "stidiplo.import_plan", "stidiplo.formats.interchange")
        if loaded(modules, name)
    ] == []


@pytest.mark.parametrize(
    ("args", "at"),
    [
        (["list", "--country", "sweden"], 0),
        (["--db", "list", "show", "ab12cd"], 2),
        (["--lang", "ja", "--db=x.json", "followups"], 3),
        (["--version"], None),
        ([], None),
    ],
)
def test_the_invoked_command_is_found_past_the_global_options(args: list[str], at: int | None) -> None:
    from stidiplo.cli.app import command_index

    assert command_index(args) == at


RUN_AND_LIST_COMMANDS = """
import os, sys
sys.argv = ["stidiplo", *sys.argv[1:]]
def stay(code):  # the program ends with os._exit; stay to list the modules it loaded
    raise SystemExit(code)
os._exit = stay
from stidiplo.cli import main
try:
    main()
finally:
    print("loaded:", *sorted(m for m in sys.modules if m.startswith("stidiplo.cli.")), file=sys.stderr)
"""


def command_modules_after(*args: str) -> tuple[int, str, list[str]]:
    """Exit code, stderr and the command modules loaded by `stidiplo *args` in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST_COMMANDS, *args], capture_output=True, text=True, timeout=120
    )
    err, _, loaded = done.stderr.rpartition("loaded:")
    return done.returncode, err, loaded.split()


@pytest.mark.slow
def test_only_the_invoked_commands_module_is_loaded(db: Path) -> None:
    code, _, modules = command_modules_after("list", "--country", "sweden")
    assert code == 0
    assert modules == [
        "stidiplo.cli.app",
        "stidiplo.cli.context",
        "stidiplo.cli.encoding",
        "stidiplo.cli.items",
        "stidiplo.cli.options",
        "stidiplo.cli.output",
    ]
    code, _, modules = command_modules_after("brief", "--help")
    assert code == 0 and "stidiplo.cli.briefings" in modules and "stidiplo.cli.items" not in modules


@pytest.mark.slow
def test_an_unknown_command_is_told_the_nearest_one(db: Path) -> None:
    code, err, modules = command_modules_after("lst")
    assert code == 2 and "Did you mean 'list'" in err
    assert {f"stidiplo.cli.{m}" for m in COMMAND_MODULES} <= set(modules)


def test_every_command_is_registered_in_the_module_the_app_names() -> None:
    import importlib

    from stidiplo.cli.app import command_name

    for module, names in COMMAND_MODULES.items():
        registered = importlib.import_module(f"stidiplo.cli.{module}").commands
        groups = [group.name for group in registered.registered_groups]
        assert sorted([*(command_name(c) for c in registered.registered_commands), *groups]) == sorted(names), module
