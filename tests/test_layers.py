"""Imports run only downward: cli → presentation → domain → storage → base.

Every module of the package is read with `ast` (nothing is imported), and every import in it is
checked: at the top, inside functions, under `if TYPE_CHECKING:`, and `importlib.import_module`
with a written-out name. A module may import from its own layer and the layers below it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

import pytest

from tests.helpers import ROOT

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

# fmt: off
LAYERS = [
    # layer          its modules, top to bottom (a module on no line is in the domain)
    ("cli",          ("stidiplo.cli", "stidiplo.cli.*", "stidiplo.__main__")),
    ("presentation", ("stidiplo.views", "stidiplo.views.*", "stidiplo.formats", "stidiplo.formats.*")),
    ("domain",       ()),
    ("storage",      ("stidiplo.store", "stidiplo.store.*", "stidiplo.files", "stidiplo.paths", "stidiplo.schema",
                      "stidiplo.config")),
    ("base",         ("stidiplo", "stidiplo.errors", "stidiplo.system")),
]
LIBRARIES = [
    # library   the only modules that may import it
    ("typer",   ("stidiplo.cli", "stidiplo.cli.*", "stidiplo.__main__")),
    ("click",   ("stidiplo.cli", "stidiplo.cli.*", "stidiplo.__main__")),
    ("rich",    ("stidiplo.cli", "stidiplo.cli.*", "stidiplo.views", "stidiplo.views.*")),
    ("tinydb",  ("stidiplo.store", "stidiplo.store.*", "stidiplo.files", "stidiplo.paths", "stidiplo.schema")),
]
NEVER = [
    # modules                                    never import, though on the same layer
    (("stidiplo.formats", "stidiplo.formats.*"), ("stidiplo.views", "stidiplo.views.*")),
]
# fmt: on
DOMAIN = "domain"
RANK = {layer: rank for rank, (layer, _) in enumerate(LAYERS)}


def matches(module: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatchcase(module, pattern) for pattern in patterns)


def layer_of(module: str) -> str:
    for layer, patterns in LAYERS:
        if matches(module, patterns):
            return layer
    return DOMAIN


def ours(module: str) -> bool:
    return module == "stidiplo" or module.startswith("stidiplo.")


# -- reading the imports ------------------------------------------------------------------------


@dataclass(frozen=True)
class Import:
    """One import in a module: where it is, the module it names, and whether it is for annotations only."""

    where: str
    importer: str
    target: str
    typing_only: bool

    def __str__(self) -> str:
        target = f"{self.target} [{layer_of(self.target)}]" if ours(self.target) else self.target
        typing = " (for annotations)" if self.typing_only else ""
        return f"{self.where}: {self.importer} [{layer_of(self.importer)}] imports {target}{typing}"


def package_modules(package: Path) -> dict[str, Path]:
    """Every module of the package in `package`, by dotted name (a package by its own name)."""
    modules = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def _typing_only_nodes(tree: ast.AST) -> set[int]:
    """The ids of the nodes under an `if TYPE_CHECKING:` block."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.If):
            continue
        test = node.test
        if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        ):
            inside.update(id(child) for statement in node.body for child in ast.walk(statement))
    return inside


def _named(node: ast.AST, module: str, is_package: bool, known: set[str]) -> Iterator[str]:
    """The modules an import statement or `import_module("...")` call names."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            parts = module.split(".") if is_package else module.split(".")[:-1]
            parts = parts[: len(parts) - node.level + 1]
            base = ".".join([*parts, *([node.module] if node.module else [])])
        for alias in node.names:
            yield f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
    elif isinstance(node, ast.Call):
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        if name == "import_module" and node.args and isinstance(node.args[0], ast.Constant):
            if isinstance(node.args[0].value, str):
                yield node.args[0].value


def imports_in(package: Path) -> list[Import]:
    """Every import in every module of the package in `package`, wherever in the module it is written."""
    modules = package_modules(package)
    known = set(modules)
    found = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        typing_only = _typing_only_nodes(tree)
        for node in ast.walk(tree):
            for target in dict.fromkeys(_named(node, module, path.name == "__init__.py", known)):
                where = f"{path.relative_to(package.parent).as_posix()}:{getattr(node, 'lineno', 0)}"
                found.append(Import(where, module, target, id(node) in typing_only))
    return sorted(found, key=lambda i: (i.where.split(":")[0], int(i.where.split(":")[1]), i.target))


# -- the rules ----------------------------------------------------------------------------------


def upward(imports: list[Import]) -> list[str]:
    """Each import of a module on a higher layer than the importer's."""
    return [str(i) for i in imports if ours(i.target) and RANK[layer_of(i.target)] < RANK[layer_of(i.importer)]]


def misplaced_libraries(imports: list[Import]) -> list[str]:
    """Each import of a library by a module outside the ones allowed to use it."""
    return [
        str(i)
        for i in imports
        for library, allowed in LIBRARIES
        if i.target.split(".")[0] == library and not matches(i.importer, allowed)
    ]


def forbidden_neighbours(imports: list[Import]) -> list[str]:
    """Each import that a NEVER line rules out."""
    return [
        str(i)
        for i in imports
        for importers, targets in NEVER
        if matches(i.importer, importers) and matches(i.target, targets)
    ]


def report(kind: str, violations: list[str]) -> str:
    return f"{len(violations)} {kind}:\n" + "\n".join(f"  {v}" for v in violations)


@pytest.fixture(scope="module")
def imports() -> list[Import]:
    return imports_in(ROOT / "stidiplo")


def test_imports_run_only_downward(imports: list[Import]) -> None:
    violations = upward(imports)
    if violations:
        pytest.fail(report("upward import(s)", violations), pytrace=False)


def test_formats_never_import_views(imports: list[Import]) -> None:
    violations = forbidden_neighbours(imports)
    if violations:
        pytest.fail(report("import(s) between neighbours that must not know each other", violations), pytrace=False)


def test_typer_rich_and_tinydb_stay_in_their_rooms(imports: list[Import]) -> None:
    violations = misplaced_libraries(imports)
    if violations:
        pytest.fail(report("import(s) of a library outside its room", violations), pytrace=False)


def test_every_module_is_read_and_placed_on_its_layer(imports: list[Import]) -> None:
    modules = package_modules(ROOT / "stidiplo")
    layers = {module: layer_of(module) for module in modules}
    assert layers["stidiplo"] == layers["stidiplo.errors"] == "base"
    assert layers["stidiplo.store"] == "storage" and layers["stidiplo.tracker"] == DOMAIN
    assert layers["stidiplo.__main__"] == "cli"
    assert {layers[m] for m in modules if m.startswith("stidiplo.formats")} == {"presentation"}
    importers = {i.importer for i in imports}
    assert {m for m, path in modules.items() if "import " in path.read_text(encoding="utf-8")} <= importers


# -- the checker itself finds what it should ----------------------------------------------------

PLANTED = {
    "__init__.py": "",
    "errors.py": "",
    "store.py": "from stidiplo.errors import X\n\ndef load():\n    from stidiplo import tracker\n",
    "tracker.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .views import table\nimport rich\n",
    "views/__init__.py": "from ..formats import html\nimport rich.table\n",
    "views/table.py": "from . import cells\n",
    "views/cells.py": "",
    "formats/__init__.py": "",
    "formats/html.py": "import importlib\nimportlib.import_module('stidiplo.views.table')\nimport typer\n",
    "cli/__init__.py": "import typer\nfrom stidiplo.views import table\n",
}


@pytest.fixture
def planted(tmp_path: Path) -> list[Import]:
    """A small package named stidiplo with one violation of each kind, in each way of importing."""
    package = tmp_path / "stidiplo"
    for name, source in PLANTED.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(source, encoding="utf-8")
    return imports_in(package)


def test_the_checker_resolves_relative_imports(planted: list[Import]) -> None:
    targets = {(i.importer, i.target) for i in planted}
    assert ("stidiplo.views", "stidiplo.formats.html") in targets
    assert ("stidiplo.views.table", "stidiplo.views.cells") in targets
    assert ("stidiplo.tracker", "stidiplo.views.table") in targets


def test_the_checker_finds_upward_imports_in_functions_and_for_annotations(planted: list[Import]) -> None:
    assert upward(planted) == [
        "stidiplo/store.py:4: stidiplo.store [storage] imports stidiplo.tracker [domain]",
        "stidiplo/tracker.py:3: stidiplo.tracker [domain] imports stidiplo.views.table [presentation]"
        " (for annotations)",
    ]


def test_the_checker_finds_libraries_and_neighbours_out_of_place(planted: list[Import]) -> None:
    assert misplaced_libraries(planted) == [
        "stidiplo/formats/html.py:3: stidiplo.formats.html [presentation] imports typer",
        "stidiplo/tracker.py:4: stidiplo.tracker [domain] imports rich",
    ]
    assert forbidden_neighbours(planted) == [
        "stidiplo/formats/html.py:2: stidiplo.formats.html [presentation] imports stidiplo.views.table [presentation]",
    ]
