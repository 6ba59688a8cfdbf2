"""The config file: defaults for the tracker, language, stale months, backups and pager, below options and
the environment; `config` reads and changes it, `where` says which rule chose each setting."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from tests.helpers import fixed_id

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The config file of the test's temporary home (in the platform's config folder), not yet written."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    return tmp_path / "home" / ".config" / "stidiplo" / "config.toml"


def test_config_path_is_in_the_platforms_config_folder(run, config: Path) -> None:
    assert run("config", "path").stdout.strip() == str(config)


def test_set_writes_toml_that_get_and_list_read_back(run, config: Path) -> None:
    assert run("config", "set", "lang", "ja").exit_code == 0
    assert run("config", "set", "stale-months", "3").exit_code == 0
    assert config.read_text(encoding="utf-8") == 'lang = "ja"\nstale-months = 3\n'
    assert run("config", "get", "stale-months").stdout == "3\n"
    assert run("config", "list").stdout == "lang = ja\nstale-months = 3\n"
    assert run("config", "unset", "lang").exit_code == 0
    assert config.read_text(encoding="utf-8") == "stale-months = 3\n"


def test_get_gives_the_default_or_fails_quietly_when_unset(run, config: Path) -> None:
    assert run("config", "get", "backups").stdout == "20\n"
    result = run("config", "get", "pager")
    assert (result.exit_code, result.stdout) == (1, "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("config", "set", "colour", "red"), "unknown setting 'colour'; known: db, lang, stale-months, backups, pager"),
        (("config", "set", "backups", "many"), "backups: 'many' must be a whole number of at least 1"),
        (("config", "set", "lang", "fr"), "lang: 'fr' must be en or ja"),
        (("config", "get"), "config get takes a KEY argument(s)"),
    ],
)
def test_a_bad_setting_is_refused_in_one_line(run, config: Path, args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert (result.exit_code, result.stderr) == (2, f"stidiplo: {message}\n")
    assert not config.exists()


def test_a_bad_value_in_the_file_names_the_file_and_the_key(run, db: Path, config: Path, monkeypatch) -> None:
    config.parent.mkdir(parents=True)
    config.write_text("stale-months = 0\n", encoding="utf-8")
    result = run("attention")
    assert (result.exit_code, result.stderr) == (
        2,
        f"stidiplo: {config}: stale-months: 0 must be a whole number of at least 1\n",
    )
    config.write_text("lang = [\n", encoding="utf-8")
    monkeypatch.delenv("STIDIPLO_LANG")
    result = run("list")
    assert result.exit_code == 2 and result.stderr.startswith(f"stidiplo: {config}: not a TOML file (")
    assert len(result.stderr.splitlines()) == 1


def test_the_file_chooses_the_tracker_below_the_option_and_environment(
    run, db: Path, config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.json"
    assert run("init", str(other)).exit_code == 0
    run("config", "set", "db", str(other))
    assert run("where").stdout.splitlines()[1] == "chosen by: $STIDIPLO_DB"
    monkeypatch.delenv("STIDIPLO_DB")
    assert run("where").stdout.splitlines()[:2] == [str(other), f"chosen by: config file {config}"]
    assert json.loads(run("list", "-f", "json").stdout) == []
    assert run("--db", str(db), "where").stdout.splitlines()[1] == "chosen by: --db option"


def test_the_file_chooses_the_language_below_the_environment(run, db: Path, config: Path, monkeypatch) -> None:
    run("config", "set", "lang", "ja")
    assert "Japan–Sweden joint document" in run("show", fixed_id("se-doc")[:6]).stdout
    monkeypatch.delenv("STIDIPLO_LANG")
    assert "日スウェーデン科学技術協力強化" in run("show", fixed_id("se-doc")[:6]).stdout
    lines = run("where").stdout.splitlines()
    assert f"config file {config}" in next(line for line in lines if line.startswith("lang"))
    assert "--lang option" in next(
        line for line in run("--lang", "en", "where").stdout.splitlines() if line.startswith("lang")
    )


def test_stale_months_from_the_file_unless_the_option_says(run, db: Path, config: Path, monkeypatch) -> None:
    """The joint call in coordination was last changed in April 2019; in mid-July that is under 6 months."""
    monkeypatch.setenv("STIDIPLO_TODAY", "2019-07-15")
    stale = fixed_id("nsf-call")[:6]
    assert stale not in run("attention").stdout
    run("config", "set", "stale-months", "2")
    assert stale in run("attention").stdout
    assert stale not in run("attention", "--stale-months", "6").stdout
    assert "stale-months  2          config file" in run("where").stdout


def test_backups_kept_as_the_file_says(run, db: Path, config: Path) -> None:
    run("config", "set", "backups", "2")
    for text in ("one", "two", "three", "four"):
        assert run("note", fixed_id("lund")[:6], text).exit_code == 0
    assert len(list((db.parent / f".{db.name}.stidiplo" / "backups").glob("*.json"))) == 2


def test_the_pager_from_the_file_comes_between_stidiplo_pager_and_pager(
    run, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stidiplo.cli.pager import pager_setting

    monkeypatch.setenv("PAGER", "more")
    run("config", "set", "pager", "less -S")
    assert pager_setting() == ("less -S", f"config file {config}")
    monkeypatch.setenv("STIDIPLO_PAGER", "most")
    assert pager_setting() == ("most", "$STIDIPLO_PAGER")
