"""What the tests share: the fixture tracker's items, writing a tracker file, running the app.

Fixtures live in conftest.py; everything a test imports by name lives here.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from stidiplo.cli import app
from stidiplo.model import Item, StatusChange
from stidiplo.store.fileformat import serialize
from stidiplo.tracker import Tracker
from stidiplo.tracker_file import data_from_tracker

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "db.json"
STAMP = "2019-04-30T00:00:00Z"
BRIEFING_NAME = "000_d36b6ed0fb342cd1.txt"


def briefing() -> Path:
    """The MEXT briefing of spring 2019 as text: $STIDIPLO_BRIEFING, else the shared folder beside the checkout."""
    chosen = os.environ.get("STIDIPLO_BRIEFING")
    path = Path(chosen) if chosen else ROOT.parent / "shared" / "seed" / BRIEFING_NAME
    if not path.is_file():
        pytest.skip(f"the MEXT briefing of spring 2019 is not at {path} (set STIDIPLO_BRIEFING)")
    return path


def fixed_id(name: str) -> str:
    """A readable, stable id for fixture items."""
    return hashlib.md5(name.encode()).hexdigest()


def item(name: str, **fields) -> Item:
    """An item with a stable id and stamps; done (with its one status change) unless told otherwise."""
    fields.setdefault("status", "done")
    fields.setdefault("history", [StatusChange("2019-04", fields["status"])])
    return Item(id=fixed_id(name), created=STAMP, updated=STAMP, **fields)


def fixture_items() -> list[Item]:
    """A small tracker shaped like the MEXT briefing of spring 2019: two meetings and what followed them."""
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
            follows=[eu],
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
            follows=[eu],
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
            follows=[eu],
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
            follows=[us],
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
    """Write `items` as a tracker file at `path`, as the app would store them."""
    meta = {"as_of": as_of} if as_of else {}
    path.write_bytes(serialize(data_from_tracker(Tracker({i.id: i for i in items}, meta))))
    return path


class Result:
    """What one run of the app gave: its exit code, stdout and stderr apart, and any exception."""

    def __init__(self, exit_code: int, stdout: str, stderr: str, exception: BaseException | None) -> None:
        self.exit_code, self.stdout, self.stderr, self.exception = exit_code, stdout, stderr, exception

    def __repr__(self) -> str:
        return f"Result(exit={self.exit_code}, stdout={self.stdout!r}, stderr={self.stderr!r})"


def invoke(*args: str, input: str | None = None) -> Result:
    """Run the real app in-process, with separate stdout and stderr; an unexpected exception is raised."""
    result = CliRunner().invoke(app, list(args), input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Result(result.exit_code, result.stdout, result.stderr, result.exception)


@contextmanager
def temporary_tracker(items: list[Item] | None = None) -> Iterator[Path]:
    """A tracker file in a temporary folder of its own, chosen through $STIDIPLO_DB while the block runs.

    It holds `items`, the fixture items unless given. For property tests: each generated example
    gets its own file, so no example sees another's changes.
    """
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        path = write_tracker(Path(folder) / "db.json", fixture_items() if items is None else items)
        patch.setenv("STIDIPLO_DB", str(path))
        yield path
