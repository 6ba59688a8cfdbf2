"""The tracker read a record at a time, its index in the cache folder, and changes spliced into its text.

Every path is checked against what parsing and writing the whole file gives: the same items,
the same listings, the same bytes.
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stidiplo.errors import StoreError
from stidiplo.query import Filter, select
from stidiplo.store import Store, changed_data
from stidiplo.store import index as cache
from stidiplo.store.fileformat import layout, parse, plan, serialize, spliced
from stidiplo.store.records import FileText
from stidiplo.tracker import Tracker
from stidiplo.tracker_file import load, tracker_from_data
from tests.helpers import SHIPPED, fixture_items, invoke, write_tracker


def settle(path: Path) -> Path:
    """Make a tracker's last change an hour old, as any file not just written is."""
    past = time.time() - 3600
    os.utime(path, (past, past))
    return path


def indexed(path: Path) -> Path:
    """A settled tracker whose index a first read has made."""
    settle(path)
    load(Store(path))
    assert cache.load(path, os.stat(path)) is not None
    return path


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped dataset, chosen through $STIDIPLO_DB and indexed."""
    path = tmp_path / "trackers" / "shipped.json"
    path.parent.mkdir()
    shutil.copyfile(SHIPPED, path)
    monkeypatch.setenv("STIDIPLO_DB", str(path))
    return indexed(path)


def whole_tracker(path: Path) -> Tracker:
    """The tracker as parsing the whole file gives it."""
    return tracker_from_data(parse(path.read_bytes(), path))


# -- the layout -----------------------------------------------------------------------------------


@pytest.mark.parametrize("source", [SHIPPED, None])
def test_records_read_one_by_one_are_the_whole_files(source: Path | None, tmp_path: Path) -> None:
    path = source or write_tracker(tmp_path / "db.json", fixture_items())
    raw = path.read_bytes()
    whole = orjson.loads(raw)
    lay = layout(raw)
    assert lay is not None
    assert {i: lay.record(k) for k, i in enumerate(lay.ids)} == whole["items"]
    assert lay.other_tables() == {k: v for k, v in whole.items() if k != "items"}


def _reordered(raw: bytes) -> bytes:
    data = orjson.loads(raw)
    first, second = list(data["items"])[:2]
    text = raw.decode()
    return text.replace(first, "@").replace(second, first).replace("@", second).encode()


@pytest.mark.parametrize(
    "mangle",
    [
        lambda raw: orjson.dumps(orjson.loads(raw)),  # on one line
        lambda raw: raw.replace(b"\n      ", b"\n\t", 1),  # a record indented otherwise
        _reordered,  # ids out of order
        lambda raw: raw.replace(b'"items"', b'"aardvark": {},\n  "items"', 1),  # a table before the items
    ],
    ids=["one line", "tabs", "order", "table first"],
)
def test_another_layout_is_not_taken_for_it(mangle: object, tmp_path: Path) -> None:
    raw = write_tracker(tmp_path / "db.json", fixture_items()).read_bytes()
    assert layout(mangle(raw)) is None  # type: ignore[operator]


@pytest.mark.parametrize(
    "mangle",
    [
        lambda raw: raw.replace(b"\n    }\n  }", b"\n    }\n  ", 1),  # the items table never closes
        lambda raw: raw.replace(b'"countries": [', b'"countries": [[', 1),  # a record that is not JSON
        lambda raw: raw.replace(b'"stidiplo": {', b'"stidiplo": [', 1),  # the meta table that is not
    ],
    ids=["unclosed", "record", "meta"],
)
def test_a_file_that_is_not_json_is_named_as_parsing_it_whole_names_it(mangle: object, tmp_path: Path) -> None:
    path = write_tracker(tmp_path / "db.json", fixture_items())
    path.write_bytes(mangle(path.read_bytes()))  # type: ignore[operator]
    with pytest.raises(StoreError) as whole:
        parse(path.read_bytes(), path)
    with pytest.raises(StoreError) as one_by_one:
        load(Store(settle(path)))
    assert str(one_by_one.value) == str(whole.value)


# -- splicing -------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.randoms(use_true_random=False))
def test_a_spliced_file_is_byte_for_byte_the_whole_written_one(rng: random.Random) -> None:
    raw = SHIPPED.read_bytes()
    data = orjson.loads(raw)
    ids = list(data["items"])
    removed = set(rng.sample(ids, rng.randint(0, 4)))
    changed = {}
    for item_id in rng.sample(ids, rng.randint(0, 4)):
        changed[item_id] = {**data["items"][item_id], "title": data["items"][item_id]["title"] + "（改）"}
    for new in rng.sample(["0" * 32, "f" * 32, f"{rng.getrandbits(128):032x}"], rng.randint(0, 3)):
        changed[new] = dict(data["items"][rng.choice(ids)])
    removed -= set(changed)
    if removed >= set(ids):
        return
    meta = {"as_of": "2020-01"}
    lay = layout(raw)
    assert lay is not None
    tables = lay.other_tables()
    tables["meta"]["stidiplo"] = {**tables["meta"]["stidiplo"], **meta, "schema_version": 2}
    made = spliced(lay, plan(lay.ids, changed, removed), changed, tables)
    assert made is not None
    text, new_layout = made
    assert text == serialize(changed_data(orjson.loads(raw), changed, removed, meta))
    found = layout(text)
    assert found is not None
    assert (found.ids, found.starts, found.ends, found.tail) == (
        new_layout.ids,
        new_layout.starts,
        new_layout.ends,
        new_layout.tail,
    )


# -- reading through the index --------------------------------------------------------------------


def test_a_settled_tracker_is_indexed_in_the_cache_folder_not_beside_it(shipped: Path, isolated: Path) -> None:
    made = list((isolated / "home" / ".cache" / "stidiplo" / "index").iterdir())
    assert [p.name.endswith("-shipped.json") for p in made] == [True]
    assert sorted(p.name for p in shipped.parent.iterdir()) == ["shipped.json"]


def test_where_names_the_index_file(shipped: Path, run) -> None:
    kept = cache.cache_file(shipped)
    assert run("where").stdout.splitlines()[-1] == f"index: {kept}"
    kept.unlink()  # type: ignore[union-attr]
    assert run("where").stdout.splitlines()[-1] == f"index: {kept} (none yet)"


def test_a_file_changed_just_now_is_read_but_not_indexed(tmp_path: Path) -> None:
    path = tmp_path / "fresh.json"
    shutil.copyfile(SHIPPED, path)
    assert len(load(Store(path)).items) == 70
    assert cache.load(path, os.stat(path)) is None


filters = st.builds(
    Filter,
    countries=st.frozensets(st.sampled_from(["SE", "US", "EU", "DE", "FI", "NO"]), max_size=2),
    kinds=st.frozensets(st.sampled_from(["meeting", "agreement", "event", "joint-call", "visit"]), max_size=2),
    statuses=st.frozensets(st.sampled_from(["done", "ongoing", "scheduled", "in-coordination"]), max_size=2),
)


@settings(max_examples=80, deadline=None)
@given(flt=filters, limit=st.one_of(st.none(), st.integers(1, 30)), reverse=st.booleans())
def test_listings_through_the_index_are_those_of_the_whole_file(flt: Filter, limit: int | None, reverse: bool) -> None:
    with _shipped_copy() as path:
        assert list(load(Store(path)).candidates(flt)) == list(whole_tracker(path).candidates(flt))
        everything = whole_tracker(path).items.values()
        expected = select(everything, flt, "date", limit=limit, reverse=reverse)
        assert load(Store(path)).select(flt, "date", limit=limit, reverse=reverse) == expected


@contextmanager
def _shipped_copy() -> Iterator[Path]:
    """An indexed copy of the shipped dataset in a folder of its own (for property tests)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "db.json"
        shutil.copyfile(SHIPPED, path)
        yield indexed(path)


def test_a_listing_through_the_index_builds_only_the_items_it_shows(shipped: Path) -> None:
    tracker = load(Store(shipped))
    chosen = tracker.select(Filter(countries=frozenset({"SE"})), limit=3)
    built = [i for i in tracker.items if tracker.items._items[i] is not None]
    assert len(chosen) == 3
    assert sorted(built) == sorted(i.id for i in chosen)


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--country", "sweden"],
        ["list", "--kind", "meeting", "--limit", "3", "--reverse"],
        ["show", "074760"],
        ["followups", "--since", "2018-01"],
        ["brief", "074760"],
        ["timeline"],
        ["attention"],
        ["list", "--format", "json"],
    ],
)
def test_every_view_reads_the_same_through_the_index(args: list[str], tmp_path: Path, monkeypatch) -> None:
    fresh = tmp_path / "fresh.json"
    shutil.copyfile(SHIPPED, fresh)
    monkeypatch.setenv("STIDIPLO_DB", str(fresh))
    without = invoke(*args)
    monkeypatch.setenv("STIDIPLO_DB", str(indexed(fresh)))
    with_index = invoke(*args)
    assert with_index.exit_code == without.exit_code == 0
    assert with_index.stdout == without.stdout


def test_a_change_by_hand_of_the_same_size_is_seen_even_with_the_old_time(shipped: Path, run) -> None:
    before = os.stat(shipped)
    raw = shipped.read_bytes()
    title = '"title": "日・スウェーデン首脳会談"'
    edited = raw.replace(title.encode(), title.replace("ェ", "エ").encode())
    assert len(edited) == len(raw) and edited != raw
    with open(shipped, "r+b") as handle:  # in place, as some editors save
        handle.write(edited)
    os.utime(shipped, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert "日・スウエーデン首脳会談" in run("--lang", "ja", "list", "--country", "SE").stdout


def test_a_damaged_index_is_made_anew(shipped: Path, run) -> None:
    where = cache.cache_file(shipped)
    assert where is not None
    where.write_bytes(b"{not json")
    assert run("list", "--country", "sweden").stdout.count("\n") > 5
    assert cache.load(shipped, os.stat(shipped)) is not None


def test_a_cache_folder_that_cannot_be_written_costs_only_time(tmp_path: Path, monkeypatch, run) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("STIDIPLO_CACHE", str(blocker))
    path = tmp_path / "db.json"
    shutil.copyfile(SHIPPED, path)
    monkeypatch.setenv("STIDIPLO_DB", str(settle(path)))
    assert run("list", "--country", "sweden").exit_code == 0
    assert run("add", "-k", "event", "-t", "t", "-d", "2019-05-01", "-c", "SE").exit_code == 0
    assert len(load(Store(path)).items) == 71


def test_a_damaged_record_is_named_as_before(shipped: Path, run) -> None:
    data = orjson.loads(shipped.read_bytes())
    victim = next(i for i, r in data["items"].items() if "SE" in r["countries"])
    data["items"][victim]["title"] = 5
    shipped.write_bytes(serialize(data))
    settle(shipped)
    listed = run("list", "--country", "sweden")
    assert listed.exit_code == 1
    assert f"item {victim} is damaged: title" in listed.stderr
    assert cache.load(shipped, os.stat(shipped)).sound is False  # type: ignore[union-attr]
    added = run("add", "-k", "event", "-t", "t", "-d", "2019-05-01", "-c", "SE")
    assert added.exit_code == 1 and "nothing was changed" in added.stderr


# -- writing through the index --------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["add", "-k", "event", "-t", "新しい催し", "-d", "2019-05-01", "-c", "SE", "--follows", "074760"],
        ["edit", "074760", "--title-en", "Renamed"],
        ["note", "074760", "a note"],
        ["remove", "--yes", "ee9a76"],
    ],
)
def test_a_change_is_spliced_in_as_the_whole_file_would_be_written(shipped: Path, args: list[str], run) -> None:
    ids_before = set(orjson.loads(shipped.read_bytes())["items"])
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    raw = shipped.read_bytes()
    assert serialize(orjson.loads(raw)) == raw
    after = os.stat(shipped)
    kept = cache.load(shipped, after)
    assert kept is not None, "the writer indexes the file it wrote"
    lay = layout(raw)
    assert lay is not None and (kept.ids, kept.starts, kept.ends) == (lay.ids, lay.starts, lay.ends)
    whole = whole_tracker(shipped)
    for name in cache.FIELDS:
        assert kept.columns[name] == [whole.items._records[i].get(name) for i in lay.ids]
    assert set(lay.ids) != ids_before or args[0] in {"edit", "note"}
    assert run("undo").exit_code == 0
    assert set(orjson.loads(shipped.read_bytes())["items"]) == ids_before


def test_a_change_without_an_index_writes_the_whole_file_as_before(tmp_path: Path, monkeypatch, run) -> None:
    fresh = tmp_path / "fresh.json"
    shutil.copyfile(SHIPPED, fresh)
    monkeypatch.setenv("STIDIPLO_DB", str(fresh))
    assert run("note", "074760", "a note").exit_code == 0
    raw = fresh.read_bytes()
    assert serialize(orjson.loads(raw)) == raw
    assert "a note" in run("show", "074760").stdout


def test_removing_every_item_through_the_index_leaves_an_empty_tracker(tmp_path: Path, monkeypatch, run) -> None:
    path = write_tracker(tmp_path / "db.json", fixture_items()[:1])
    monkeypatch.setenv("STIDIPLO_DB", str(indexed(path)))
    only = fixture_items()[0].id
    assert run("remove", "--yes", only[:8]).exit_code == 0
    data = parse(path.read_bytes(), path)
    assert data["items"] == {} and data["meta"]["stidiplo"]["as_of"] == "2019-04"
    assert dict(tracker_from_data(data).items) == {}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40_000), st.integers(0, 3_000)), min_size=1, max_size=30))
def test_the_file_read_in_pieces_gives_the_text_sliced(parts: list[tuple[int, int]]) -> None:
    raw = SHIPPED.read_bytes()
    with open(SHIPPED, "rb") as handle:
        text = FileText(handle, len(raw))
        text.AHEAD = 4096
        for start, length in parts:
            start = min(start, len(raw))
            assert text[start : start + length] == raw[start : start + length]
        assert text[len(raw) - 10 :] == raw[-10:]


def test_an_index_of_a_version_replaced_meanwhile_does_not_replace_the_newer_one(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    shutil.copyfile(SHIPPED, path)
    older = indexed(path)
    of_older = cache.load(older, os.stat(older))
    assert of_older is not None
    raw = path.read_bytes()
    path.write_bytes(raw.replace(b'"as_of": "2019-04"', b'"as_of": "2019-05"'))  # a newer version
    indexed(path)  # indexed as a writer indexes what it wrote
    cache.save(path, of_older)  # a reader slow to index the older version keeps it only now
    kept = cache.load(path, os.stat(path))
    assert kept is not None and kept.fingerprint == cache.fingerprint(os.stat(path))
