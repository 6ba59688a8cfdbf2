"""The command line. `main` is the `stidiplo` program; `app` is its Typer application."""

from stidiplo.cli.app import app, main

__all__ = ["app", "main"]
