"""Imports run only downward: commands → views and formats → the domain. Formats are plain text
and never load Rich or the views; the views never load the commands; the words both share
(labels) and the domain load neither."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "stidiplo"


def imported(path: Path) -> set[str]:
    """Every module a file imports, at its top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def under(names: set[str], *roots: str) -> list[str]:
    return sorted(n for n in names if any(n == r or n.startswith(r + ".") for r in roots))


@pytest.mark.parametrize("path", sorted((PACKAGE / "formats").glob("*.py")), ids=lambda p: p.name)
def test_formats_load_neither_rich_nor_views_nor_commands(path: Path) -> None:
    assert under(imported(path), "rich", "typer", "stidiplo.views", "stidiplo.cli") == []


@pytest.mark.parametrize("path", sorted((PACKAGE / "views").glob("*.py")), ids=lambda p: p.name)
def test_views_load_no_commands(path: Path) -> None:
    assert under(imported(path), "typer", "stidiplo.cli", "stidiplo.formats") == []


DOMAIN = [
    "labels",
    "followups",
    "activity",
    "attention",
    "tally",
    "dates",
    "query",
    "tracker",
    "model",
    "vocab/__init__",
]


@pytest.mark.parametrize("name", DOMAIN)
def test_the_domain_loads_no_presentation(name: str) -> None:
    found = under(
        imported(PACKAGE / f"{name}.py"), "rich", "typer", "stidiplo.views", "stidiplo.formats", "stidiplo.cli"
    )
    assert found == []
