"""The domain stays below the presentation: no domain module imports the command line, the views or the formats."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "stidiplo"
DOMAIN = ("model", "tracker", "changes", "import_plan", "import_cells", "check", "query", "dateparse", "errors")
ABOVE = ("stidiplo.cli", "stidiplo.views", "stidiplo.formats", "typer", "rich")


def imported_names(path: Path) -> set[str]:
    """Every module a source file imports, at the top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("module", DOMAIN)
def test_a_domain_module_imports_nothing_above_it(module: str) -> None:
    upward = sorted(
        name for name in imported_names(PACKAGE / f"{module}.py") if any(name.startswith(top) for top in ABOVE)
    )
    assert upward == []


def test_formats_read_and_write_files_without_the_views() -> None:
    path = PACKAGE / "formats" / "interchange.py"
    assert [name for name in imported_names(path) if name.startswith(("stidiplo.views", "rich", "stidiplo.cli"))] == []
