"""The settings file: where it is, what `config` writes, and the order in which a setting is chosen."""

from __future__ import annotations

import json
import tomllib
from typing import TYPE_CHECKING

import pytest

from stidiplo.config import render
from tests.helpers import fixed_id, fixture_items, write_tracker

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.helpers import Result


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The settings file, named by $STIDIPLO_CONFIG, not yet written."""
    path = tmp_path / "conf" / "stidiplo.toml"
    monkeypatch.setenv("STIDIPLO_CONFIG", str(path))
    return path


def where(run: Callable[..., Result]) -> dict[str, list[str]]:
    """`stidiplo where`'s setting lines as {name: [value, origin]}."""
    lines = run("where").stdout.splitlines()[2:-2]
    return {name: rest.split(None, 1) for name, rest in (line.split(None, 1) for line in lines)}


def test_config_path_is_in_the_platform_config_folder(run: Callable[..., Result], isolated: Path) -> None:
    assert run("config", "path").stdout.strip() == str(isolated / "home" / ".config" / "stidiplo" / "config.toml")


def test_config_path_follows_the_environment(run: Callable[..., Result], settings: Path) -> None:
    assert run("config", "path").stdout.strip() == str(settings)


def test_set_writes_toml_that_get_and_list_read_back(run: Callable[..., Result], settings: Path) -> None:
    for key, value in (("lang", "ja"), ("backups.keep", "5"), ("stale_months", "3"), ("pager", 'less -R "x"')):
        assert run("config", "set", key, value).exit_code == 0
    assert tomllib.loads(settings.read_text(encoding="utf-8")) == {
        "lang": "ja",
        "stale_months": 3,
        "pager": 'less -R "x"',
        "backups": {"keep": 5},
    }
    assert run("config", "get", "backups.keep").stdout == "5\n"
    assert run("config", "list").stdout.splitlines() == [
        "lang = ja",
        "stale_months = 3",
        "backups.keep = 5",
        'pager = less -R "x"',
    ]


def test_unset_removes_one_key_and_get_then_fails(run: Callable[..., Result], settings: Path) -> None:
    run("config", "set", "lang", "ja")
    run("config", "set", "pager", "more")
    assert run("config", "unset", "lang").exit_code == 0
    assert tomllib.loads(settings.read_text(encoding="utf-8")) == {"pager": "more"}
    result = run("config", "get", "lang")
    assert result.exit_code == 1
    assert result.stderr == f"stidiplo: lang is not set in {settings}\n"


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("backups.keep", "many", "backups.keep = 'many': expected a whole number of 1 or more"),
        ("backups.keep", "0", "backups.keep = '0': expected a whole number of 1 or more"),
        ("stale_months", "1.5", "stale_months = '1.5': expected a whole number of 1 or more"),
        ("lang", "fr", "lang = 'fr': expected en or ja"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_file_and_key(
    run: Callable[..., Result], settings: Path, key: str, value: str, expected: str
) -> None:
    result = run("config", "set", key, value)
    assert result.exit_code == 2
    assert result.stderr == f"stidiplo: {settings}: {expected}\n"
    assert not settings.exists()


def test_an_unknown_key_is_refused_with_the_nearest(run: Callable[..., Result], settings: Path) -> None:
    result = run("config", "set", "lnag", "ja")
    assert result.exit_code == 2
    assert result.stderr.startswith("stidiplo: unknown setting 'lnag' (did you mean lang?)")


def test_a_bad_file_stops_a_command_that_reads_it_with_one_line(
    run: Callable[..., Result], settings: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.parent.mkdir()
    settings.write_text("[backups]\nkeep = 'lots'\n", encoding="utf-8")
    monkeypatch.delenv("STIDIPLO_LANG")  # so that `list` reads the file for its language
    result = run("list")
    assert result.exit_code == 2
    assert result.stderr == f"stidiplo: {settings}: backups.keep = 'lots': expected a whole number of 1 or more\n"
    settings.write_text("lang = \n", encoding="utf-8")
    result = run("list")
    assert result.stderr.startswith(f"stidiplo: {settings}: not a valid settings file (")
    assert len(result.stderr.splitlines()) == 1
    assert run("config", "set", "lang", "en").exit_code == 2  # a file it cannot read is not overwritten
    assert settings.read_text(encoding="utf-8") == "lang = \n"


def test_lang_option_beats_environment_beats_file(
    run: Callable[..., Result], settings: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("config", "set", "lang", "ja")
    monkeypatch.delenv("STIDIPLO_LANG")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert "件名" in run("list").stdout  # the file beats the locale
    assert where(run)["lang"] == ["ja", f"{settings} (lang)"]
    monkeypatch.setenv("STIDIPLO_LANG", "en")
    assert "Title" in run("list").stdout
    assert where(run)["lang"] == ["en", "$STIDIPLO_LANG"]
    assert "件名" in run("list", "--lang", "ja").stdout
    monkeypatch.delenv("STIDIPLO_LANG")
    run("config", "unset", "lang")
    assert where(run)["lang"] == ["en", "the locale ($LANG)"]


def test_db_in_the_file_is_used_when_no_other_rule_chooses(
    run: Callable[..., Result], settings: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("config", "set", "db", "team.json")  # relative to the settings file's folder
    tracker = write_tracker(tmp_path / "conf" / "team.json", fixture_items()[:2])
    assert run("where").stdout.splitlines()[:2] == [str(tracker), f"chosen by: {settings} (db)"]
    assert len(json.loads(run("list", "--format", "json").stdout)) == 2
    monkeypatch.setenv("STIDIPLO_DB", str(tmp_path / "other.json"))
    assert run("where").stdout.splitlines()[1] == "chosen by: $STIDIPLO_DB"


def test_stale_months_option_beats_file_beats_default(
    run: Callable[..., Result], settings: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STIDIPLO_TODAY", "2019-08-15")

    def stale() -> int:
        return sum(f["reason"] == "stale" for f in json.loads(run("attention", "--format", "json").stdout))

    assert stale() == 0  # the coordinating call was last changed in April 2019: not 6 months ago
    run("config", "set", "stale_months", "1")
    assert stale() == 1
    assert (
        sum(
            f["reason"] == "stale"
            for f in json.loads(run("attention", "--stale-months", "6", "--format", "json").stdout)
        )
        == 0
    )


def test_where_names_the_rule_for_every_setting(
    run: Callable[..., Result], settings: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("config", "set", "backups.max_mb", "50")
    monkeypatch.setenv("STIDIPLO_BACKUPS_KEEP", "7")
    monkeypatch.setenv("PAGER", "more")
    lines = run("where").stdout.splitlines()
    assert lines[:2] == [str(db), "chosen by: $STIDIPLO_DB"]
    assert where(run) == {
        "lang": ["en", "$STIDIPLO_LANG"],
        "stale_months": ["6", "default"],
        "backups.keep": ["7", "$STIDIPLO_BACKUPS_KEEP"],
        "backups.max_mb": ["50", f"{settings} (backups.max_mb)"],
        "pager": ["more", "$PAGER"],
    }
    assert lines[-2] == f"settings file: {settings}"
    run("config", "set", "pager", "less")  # the file comes before $PAGER, after $STIDIPLO_PAGER
    assert where(run)["pager"] == ["less", f"{settings} (pager)"]


def test_a_bad_environment_value_names_the_variable(
    run: Callable[..., Result], db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STIDIPLO_BACKUPS_MAX_MB", "big")
    result = run("where")
    assert result.exit_code == 2
    assert result.stderr == (
        "stidiplo: $STIDIPLO_BACKUPS_MAX_MB: backups.max_mb = 'big': expected a whole number of 0 or more\n"
    )


def test_render_escapes_what_toml_must() -> None:
    text = render({"pager": 'a\\b "c"\tend\x7f', "backups.keep": 3})
    assert tomllib.loads(text) == {"pager": 'a\\b "c"\tend\x7f', "backups": {"keep": 3}}


def test_backups_keep_bounds_the_backups_a_write_leaves(
    run: Callable[..., Result], settings: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stidiplo.store import Store

    run("config", "set", "backups.keep", "3")
    for n in range(5):
        assert run("note", fixed_id("erc"), f"note {n}").exit_code == 0
    assert len(Store(db).list_backups()) == 3
    monkeypatch.setenv("STIDIPLO_BACKUPS_KEEP", "2")  # the environment beats the file
    run("note", fixed_id("erc"), "one more")
    assert len(Store(db).list_backups()) == 2


@pytest.mark.parametrize(
    "environment",
    [{"XDG_CONFIG_HOME": "/srv/conf"}, {"XDG_CONFIG_HOME": ""}, {"XDG_CONFIG_HOME": "relative/conf"}, {"HOME": ""}],
)
def test_the_config_folder_is_the_one_platformdirs_names(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str]
) -> None:
    from platformdirs import user_config_path

    from stidiplo.config import config_folder

    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert config_folder() == user_config_path("stidiplo", appauthor=False)


@pytest.mark.parametrize("kind", ["cache", "data"])
@pytest.mark.parametrize("variable", ["XDG_CACHE_HOME", "XDG_DATA_HOME"])
@pytest.mark.parametrize("value", ["/srv/elsewhere", "", "relative/folder"])
def test_the_cache_and_data_folders_are_the_ones_platformdirs_names(
    monkeypatch: pytest.MonkeyPatch, kind: str, variable: str, value: str
) -> None:
    import platformdirs

    from stidiplo.system import platform_folder

    monkeypatch.setenv(variable, value)
    assert platform_folder(kind) == getattr(platformdirs, f"user_{kind}_path")("stidiplo", appauthor=False)
