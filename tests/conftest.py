"""Shared fixtures: every test gets its own tracker file, user folder and working folder."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stidiplo.cli import app
from stidiplo.model import Item, StatusChange
from stidiplo.store import data_from_tracker, serialize
from stidiplo.tracker import Tracker

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "db.json"
STAMP = "2019-04-30T00:00:00Z"


def fixed_id(name: str) -> str:
    """A readable, stable id for fixture items."""
    return hashlib.md5(name.encode()).hexdigest()


def item(name: str, **fields) -> Item:
    fields.setdefault("status", "done")
    fields.setdefault("history", [StatusChange("2019-04", fields["status"])])
    return Item(id=fixed_id(name), created=STAMP, updated=STAMP, **fields)


def fixture_items() -> list[Item]:
    """A small tracker shaped like the seed: two meetings and what followed them."""
    eu = fixed_id("eu-meeting")
    us = fixed_id("us-meeting")
    return [
        item(
            "eu-meeting",
            kind="meeting",
            title="文部科学大臣とモエダス欧州委員の会談",
            title_en="Minister meets Commissioner Moedas",
            date="2018-01",
            countries=["EU"],
            fields=["science-policy"],
            place="Brussels, Belgium",
        ),
        item(
            "erc",
            kind="agreement",
            title="JSTとERCの実施取極に署名",
            title_en="JST and ERC sign an implementing arrangement",
            date="2018-10-07",
            countries=["EU"],
            fields=["researcher-exchange"],
            follows=eu,
            organizations=["JST", "ERC"],
        ),
        item(
            "quantum-ws",
            kind="event",
            title="日・EU量子技術ワークショップ",
            title_en="Japan–EU quantum technology workshop",
            date="2018-09-03",
            end="2018-09-04",
            countries=["EU", "FR"],
            fields=["quantum"],
            follows=eu,
            place="Paris, France",
            participants="120 from 20 countries",
        ),
        item(
            "riken",
            kind="office",
            title="理化学研究所欧州事務所の開設",
            title_en="RIKEN Europe office opens",
            date="2018-11-01",
            countries=["BE", "EU"],
            fields=["science-policy"],
            follows=eu,
            organizations=["RIKEN"],
        ),
        item(
            "us-meeting",
            kind="meeting",
            title="文部科学大臣とコルドバNSF長官の会談",
            title_en="Minister meets NSF Director Córdova",
            date="2018-05",
            countries=["US"],
            fields=["science-policy"],
            place="Washington DC",
        ),
        item(
            "nsf-call",
            kind="joint-call",
            title="JSTとNSFで共同公募に向けて調整中",
            title_en="JST and NSF coordinate a joint call",
            date="2019",
            countries=["US"],
            fields=["digital"],
            follows=us,
            status="coordinating",
            organizations=["JST", "NSF"],
        ),
        item(
            "lund",
            kind="visit",
            title="スウェーデン・ルンドへの文部科学大臣訪問",
            title_en="Minister visits Lund",
            date="2018-01-09",
            countries=["SE"],
            fields=["quantum-beams"],
            place="Lund, Sweden",
        ),
        item(
            "se-doc",
            kind="agreement",
            title="日スウェーデン科学技術協力強化に向けた共同文書",
            title_en="Japan–Sweden joint document on S&T cooperation",
            date="2018-10-10",
            countries=["SE"],
            fields=["researcher-exchange"],
            place="Tokyo",
        ),
    ]


def write_tracker(path: Path, items: list[Item], as_of: str | None = "2019-04") -> Path:
    meta = {"as_of": as_of} if as_of else {}
    path.write_bytes(serialize(data_from_tracker(Tracker({i.id: i for i in items}, meta))))
    return path


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test touches a real user file: user folders and the working folder are temporary."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.delenv("STIDIPLO_DB", raising=False)
    monkeypatch.setenv("STIDIPLO_LANG", "en")
    monkeypatch.setenv("STIDIPLO_TODAY", "2019-04-30")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.delenv("NO_COLOR", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return tmp_path


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fixture tracker, chosen through $STIDIPLO_DB."""
    path = write_tracker(tmp_path / "db.json", fixture_items())
    monkeypatch.setenv("STIDIPLO_DB", str(path))
    return path


class Result:
    def __init__(self, exit_code: int, stdout: str, stderr: str, exception: BaseException | None) -> None:
        self.exit_code, self.stdout, self.stderr, self.exception = exit_code, stdout, stderr, exception

    def __repr__(self) -> str:
        return f"Result(exit={self.exit_code}, stdout={self.stdout!r}, stderr={self.stderr!r})"


@pytest.fixture
def run() -> Callable[..., Result]:
    """Run the real app in-process, with separate stdout and stderr."""

    def invoke(*args: str, input: str | None = None) -> Result:
        runner = CliRunner()
        result = runner.invoke(app, list(args), input=input)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Result(result.exit_code, result.stdout, result.stderr, result.exception)

    return invoke
