"""Import: every row checked like `add`, all or nothing, one write; exports read back exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stidiplo.model import Amount, Item, Note, Source, StatusChange
from stidiplo.store import Store
from tests.helpers import SHIPPED, STAMP, fixed_id, fixture_items, item, write_tracker

EU = fixed_id("eu-meeting")
ERC = fixed_id("erc")
NSF = fixed_id("nsf-call")
ROUND_TRIP_FORMATS = ["json", "jsonl", "csv", "xlsx"]


def stored(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))["items"]


@pytest.fixture
def empty(run, tmp_path: Path) -> Path:
    """A new tracker made by `stidiplo init`, with nothing in it."""
    path = tmp_path / "empty.json"
    assert run("init", str(path)).exit_code == 0
    return path


def export_to(run, db: Path, target: Path, *args: str) -> Path:
    result = run("--db", str(db), "export", "-o", str(target), *args)
    assert result.exit_code == 0, result
    return target


def tricky_items() -> list[Item]:
    """Items whose text, lists, history and notes test every encoding rule of the flat formats."""
    return [
        *fixture_items(),
        item(
            "tricky",
            kind="joint-call",
            title='=HYPERLINK("http://x")',
            title_en='\'=quoted; "and" commas, ok',
            date="2018-09-03",
            end="2018-10",
            countries=["DE", "JP"],
            fields=["optics-photonics", "quantum"],
            organizations=["JST", "DFG; BMBF", "[tbd]"],
            people=[" Dr. Spaced "],
            place="-Lund\rSweden\x0b",
            participants="+81 3",
            amount=Amount(1.5e7, "EUR", "per project, max"),
            related=[ERC],
            sources=[Source("https://example.org/a"), Source("_x000D_ literal", "3", "見出し", "「引用」")],
            status="ongoing",
            history=[
                StatusChange("2018-01", "exploring"),
                StatusChange("at with spaces", "coordinating"),
                StatusChange("2018-09-01T00:00:00Z", "ongoing"),
            ],
            notes=[Note("2018-09-04T10:00:00Z", "kick-off in Bonn"), Note("2018-09-05T10:00:00Z", "two\nlines")],
            follows=[EU],
        ),
        item(
            "plain-note",
            kind="visit",
            title="@mention 訪問",
            date="FY2018",
            countries=["AFRICA"],
            fields=[],
            notes=[Note("2019-01-01T00:00:00Z", "日本語のメモ")],
            amount=Amount(5, "JPY"),
        ),
    ]


@pytest.fixture
def tricky(tmp_path: Path) -> Path:
    return write_tracker(tmp_path / "tricky-db.json", tricky_items())


# -- round trips --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ROUND_TRIP_FORMATS)
def test_round_trip_reproduces_every_item(run, db: Path, empty: Path, tmp_path: Path, fmt: str) -> None:
    exported = export_to(run, db, tmp_path / f"items.{fmt}")
    result = run("--db", str(empty), "import", str(exported))
    assert result.exit_code == 0, result
    assert result.stdout == "added 8, updated 0, skipped 0 unchanged\n"
    assert result.stderr == ""
    assert stored(empty) == stored(db)


@pytest.mark.parametrize("fmt", ROUND_TRIP_FORMATS)
def test_round_trip_of_the_shipped_dataset(run, empty: Path, tmp_path: Path, fmt: str) -> None:
    shipped = tmp_path / "shipped-db.json"
    shipped.write_bytes(SHIPPED.read_bytes())
    exported = export_to(run, shipped, tmp_path / f"shipped.{fmt}")
    result = run("--db", str(empty), "import", str(exported))
    assert result.exit_code == 0, result
    items = stored(shipped)
    assert len(items) > 40
    assert result.stdout == f"added {len(items)}, updated 0, skipped 0 unchanged\n"
    assert stored(empty) == items


@pytest.mark.parametrize("fmt", ROUND_TRIP_FORMATS)
def test_round_trip_of_awkward_text(run, tricky: Path, empty: Path, tmp_path: Path, fmt: str) -> None:
    exported = export_to(run, tricky, tmp_path / f"tricky.{fmt}")
    assert run("--db", str(empty), "import", str(exported)).exit_code == 0
    assert stored(empty) == stored(tricky)


@pytest.mark.parametrize("fmt", ROUND_TRIP_FORMATS)
def test_importing_an_export_again_changes_nothing(run, db: Path, tmp_path: Path, fmt: str) -> None:
    exported = export_to(run, db, tmp_path / f"items.{fmt}")
    before = db.read_bytes()
    result = run("import", str(exported))
    assert result.stdout == "added 0, updated 0, skipped 8 unchanged\n"
    assert db.read_bytes() == before


def test_import_writes_once_with_one_backup(run, db: Path, empty: Path, tmp_path: Path) -> None:
    exported = export_to(run, db, tmp_path / "items.csv")
    store = Store(empty)
    backups = len(store.list_backups())
    assert run("--db", str(empty), "import", str(exported)).exit_code == 0
    assert len(store.list_backups()) == backups + 1


@pytest.mark.slow
def test_ten_thousand_items_import_in_one_write(run, empty: Path, tmp_path: Path) -> None:
    """Every tenth item is a meeting that the nine after it follow (how fast it runs is benchmarked)."""
    meetings = {fixed_id(f"i{n}") for n in range(0, 10_000, 10)}
    lines = [
        json.dumps(
            Item(
                id=fixed_id(f"i{n}"),
                kind="meeting" if n % 10 == 0 else "event",
                title=f"項目{n}",
                date="2018-10-07",
                status="done",
                countries=["EU", "SE"],
                follows=[] if n % 10 == 0 else [fixed_id(f"i{n - n % 10}")],
                history=[StatusChange(STAMP, "done")],
                notes=[Note(STAMP, "memo")],
                created=STAMP,
                updated=STAMP,
            ).to_json()
        )
        for n in range(10_000)
    ]
    source = tmp_path / "big.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    backups = len(Store(empty).list_backups())
    result = run("--db", str(empty), "import", str(source))
    assert result.exit_code == 0, result
    assert result.stdout == "added 10000, updated 0, skipped 0 unchanged\n"
    items = stored(empty)
    assert len(items) == 10_000
    assert {i for i, r in items.items() if r["kind"] == "meeting"} == meetings
    assert all(set(r["follows"]) <= meetings and r["follows"] for r in items.values() if r["kind"] != "meeting")
    assert items[fixed_id("i9999")]["follows"] == [fixed_id("i9990")]
    assert items[fixed_id("i9999")]["title"] == "項目9999"
    assert len(Store(empty).list_backups()) == backups + 1


# -- updates, new ids and duplicates ------------------------------------------------------------


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_with_an_id_update_and_record_the_status_change(run, db: Path, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "status.csv", f"id,status\n{NSF},済\n{ERC},done\n")
    result = run("import", str(source))
    assert result.stdout == "added 0, updated 1, skipped 1 unchanged\n", result
    nsf = stored(db)[NSF]
    assert nsf["status"] == "done"
    assert [h["status"] for h in nsf["history"]] == ["coordinating", "done"]
    assert nsf["updated"] != STAMP and nsf["history"][-1]["at"] == nsf["updated"]
    assert nsf["title"] == "JSTとNSFで共同公募に向けて調整中"


def test_rows_without_id_are_added_once(run, db: Path, tmp_path: Path) -> None:
    source = write_csv(
        tmp_path / "new.csv",
        "kind,title,date,countries,fields,status,notes\n"
        "共同公募,日独共同公募,2018-04,ドイツ; EU,量子技術,実施中,公募開始\n",
    )
    assert run("import", str(source)).stdout == "added 1, updated 0, skipped 0 unchanged\n"
    new = [r for i, r in stored(db).items() if r["title"] == "日独共同公募"]
    assert len(new) == 1
    record = new[0]
    assert (record["kind"], record["status"], record["countries"], record["fields"]) == (
        "joint-call",
        "ongoing",
        ["DE", "EU"],
        ["quantum"],
    )
    assert record["notes"][0]["text"] == "公募開始" and record["notes"][0]["at"] == record["created"]
    assert [h["status"] for h in record["history"]] == ["ongoing"]
    before = db.read_bytes()
    assert run("import", str(source)).stdout == "added 0, updated 0, skipped 1 unchanged\n"
    assert db.read_bytes() == before


def test_dates_as_people_write_them(run, db: Path, tmp_path: Path) -> None:
    source = write_csv(
        tmp_path / "dates.csv",
        "kind,title,date,end,countries\n"
        "event,range,2018年9月3日～4日,,EU\n"
        "event,era,平成30年8月9日,,JP\n"
        "event,slashes,2018/10/7,9 Oct 2018,SE\n"
        "event,fiscal,2018年度,,SE\n",
    )
    result = run("import", str(source))
    assert result.exit_code == 0, result
    spans = {r["title"]: (r["date"], r["end"]) for r in stored(db).values()}
    assert spans["range"] == ("2018-09-03", "2018-09-04")
    assert spans["era"] == ("2018-08-09", None)
    assert spans["slashes"] == ("2018-10-07", "2018-10-09")
    assert spans["fiscal"] == ("FY2018", None)


def test_status_defaults_like_add(run, db: Path, tmp_path: Path) -> None:
    source = write_csv(
        tmp_path / "dates.csv", "kind,title,date,countries\nevent,past,2018-06,SE\nevent,future,2019-06-03,SE\n"
    )
    assert run("import", str(source)).exit_code == 0
    statuses = {r["title"]: r["status"] for r in stored(db).values()}
    assert statuses["past"] == "done" and statuses["future"] == "scheduled"


def test_follow_ups_may_come_before_their_meeting(run, empty: Path, tmp_path: Path) -> None:
    meeting, follow = fixed_id("later-meeting"), fixed_id("early-follow")
    source = tmp_path / "order.json"
    source.write_text(
        json.dumps(
            [
                {
                    "id": follow,
                    "kind": "agreement",
                    "title": "follow-up",
                    "date": "2018-10",
                    "countries": ["SE"],
                    "follows": meeting,
                    "related": [meeting],
                },
                {
                    "id": meeting,
                    "kind": "meeting",
                    "title": "meeting",
                    "date": "2018-01",
                    "countries": ["SE"],
                    "related": [follow],
                },
            ]
        ),
        encoding="utf-8",
    )
    result = run("--db", str(empty), "import", str(source))
    assert result.exit_code == 0, result
    assert stored(empty)[follow]["follows"] == [meeting]


def test_a_workbook_typed_by_hand(run, db: Path, tmp_path: Path) -> None:
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Title", "Kind", "Date", "Countries", "Amount_Value", "Amount_Currency", "Follows"])
    book.active.append(
        ["日EU量子ワークショップ第2回", "行事", datetime(2019, 6, 3), "EU, フランス", 1000000, "JPY", EU[:7]]
    )
    book.save(tmp_path / "typed.xlsx")
    result = run("import", str(tmp_path / "typed.xlsx"))
    assert result.exit_code == 0, result
    record = next(r for r in stored(db).values() if r["title"] == "日EU量子ワークショップ第2回")
    assert (record["kind"], record["date"], record["countries"], record["follows"]) == (
        "event",
        "2019-06-03",
        ["EU", "FR"],
        [EU],
    )
    assert record["amount"] == {"value": 1000000, "currency": "JPY", "detail": None}
    assert record["status"] == "scheduled"


def test_shift_jis_and_semicolon_csv_from_japanese_excel(run, db: Path, tmp_path: Path) -> None:
    source = tmp_path / "sjis.csv"
    source.write_bytes("kind;title;date;countries\r\nvisit;ルンド再訪;2018-11;スウェーデン\r\n".encode("cp932"))
    result = run("import", str(source))
    assert result.exit_code == 0, result
    assert any(r["title"] == "ルンド再訪" and r["countries"] == ["SE"] for r in stored(db).values())


def test_dry_run_shows_the_plan_and_writes_nothing(run, db: Path, tmp_path: Path) -> None:
    source = write_csv(
        tmp_path / "plan.csv",
        f"id,kind,title,date,countries,status\n"
        f"{NSF},joint-call,JSTとNSFで共同公募に向けて調整中,2019,US,done\n"
        f",event,new seminar,2018-12,SE,done\n"
        f"{ERC},agreement,JSTとERCの実施取極に署名,2018-10-07,EU,done\n",
    )
    before = db.read_bytes()
    result = run("import", str(source), "--dry-run")
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert lines[0] == f"row 2: update {NSF[:6]}  2019        JSTとNSFで共同公募に向けて調整中"
    assert lines[1].startswith("    history: + 20") and lines[1].endswith("Z done")
    assert lines[2] == "    status: coordinating → done"
    assert lines[3].startswith("row 3: add    ") and lines[3].endswith("  2018-12     new seminar")
    assert lines[4] == f"row 4: skip   {ERC[:6]}  2018-10-07  JSTとERCの実施取極に署名"
    assert lines[5] == "dry run: would add 1, update 1, skip 1 unchanged; nothing written"
    assert db.read_bytes() == before


# -- refusals -----------------------------------------------------------------------------------

BAD_FILES = [
    ("broken.json", b'[{"title": "x",', "not valid JSON (line 1"),
    ("object.json", b'{"items": {}}', "expected a JSON array"),
    ("broken.jsonl", b'{"kind": "event"}\n{oops\n', "line 2 is not valid JSON"),
    ("columns.csv", b"titel,kind,date\nx,event,2018\n", "unknown column(s) 'titel'"),
    ("missing.csv", b"title,countries\nx,SE\n", "missing column(s) kind, date"),
    ("wide.csv", b"kind,title,date\nevent,x,2018,surplus\n", "row 2 has more cells"),
    ("twice.csv", b"kind,title,date,title\nevent,x,2018,y\n", "more than once"),
    ("unclosed.csv", b'kind,title,date\nevent,"x,2018\n', "not readable as CSV"),
    ("latin.csv", "kind,title,date\nevent,caf\u00e9,2018\n".encode("utf-16"), "not UTF-8 or Shift_JIS"),
    ("fake.xlsx", b"PK\x03\x04 not really a zip", "not an Excel workbook"),
    ("empty.csv", b"", "empty"),
    (
        "dupes.json",
        json.dumps([{"id": ERC, "title": "a"}, {"id": ERC.upper(), "title": "b"}]).encode(),
        f"id {ERC} appears twice (item 1 and item 2)",
    ),
]


@pytest.mark.parametrize(("name", "content", "says"), BAD_FILES)
def test_malformed_files_are_refused_untouched(
    run, db: Path, tmp_path: Path, name: str, content: bytes, says: str
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    before = db.read_bytes()
    result = run("import", str(source))
    assert result.exit_code == 1, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"stidiplo: {source}: "), result.stderr
    assert says in lines[0]
    assert db.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["import", "items.txt"], "give --format"),
        (["import", "old.xls"], "save it as .xlsx"),
        (["import", "absent.csv"], "cannot read absent.csv"),
        (["import", "x.csv", "--format", "yaml"], "unknown format"),
    ],
)
def test_unusable_arguments_exit_2(run, db: Path, args: list[str], says: str) -> None:
    before = db.read_bytes()
    result = run(*args)
    assert result.exit_code == 2, result
    assert result.stderr.count("\n") == 1 and says in result.stderr
    assert db.read_bytes() == before


BAD_ROWS = (
    "id,kind,title,date,end,countries,fields,status,follows,amount_value,notes\n"
    ",party,x,2018,,SE,,,,,\n"
    ",event,x,2018-13,,SE,,,,,\n"
    ",event,x,2018-05,2018-04,SE,,,,,\n"
    ",event,x,2018,,Atlantis,,,,,\n"
    ",event,x,2018,,SE,astrology,,,,\n"
    ",event,x,2018,,SE,,finished,,,\n"
    f",event,x,2018,,SE,,,{ERC},,\n"
    f",event,x,2018,,SE,,,{'f' * 32},,\n"
    ",event,,2018,,SE,,,,,\n"
    ",event,x,2018,,SE,,,,lots,\n"
    "nothex,event,x,2018,,SE,,,,,\n"
    ',event,x,2018,,SE,,,,,"[""not"""\n'
    ",event,fine,2018,,SE,,,,,\n"
)
BAD_ROW_REPORT = [
    "row 2: kind: 'party' is not one of",
    "row 3: date: ",
    "row 4: end: 2018-04 is before the date 2018-05",
    "row 5: countries: unknown country 'Atlantis'",
    "row 6: fields: unknown field 'astrology'",
    "row 7: status: 'finished' is not one of",
    f"row 8: follows: {ERC[:6]} is an agreement, not a meeting",
    f"row 9: follows: no item with id {'f' * 32}",
    "row 10: title: must not be empty",
    "row 11: amount_value: 'lots' is not a number",
    "row 12: id: 'nothex' is not a 32-character hex id",
    "row 13: notes: starts with [ but is not a JSON list",
]


def test_bad_rows_are_all_reported_and_nothing_is_written(run, db: Path, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "bad.csv", BAD_ROWS)
    before = db.read_bytes()
    result = run("import", str(source))
    assert result.exit_code == 1, result
    lines = result.stderr.splitlines()
    assert len(lines) == len(BAD_ROW_REPORT) + 1
    for line, expected in zip(lines, BAD_ROW_REPORT, strict=False):
        assert line.startswith(f"stidiplo: {expected}"), line
    assert lines[-1] == (
        "stidiplo: 12 of 13 row(s) cannot be imported; nothing was written (fix them, or use --skip-invalid)"
    )
    assert db.read_bytes() == before


def test_skip_invalid_imports_the_rest(run, db: Path, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "bad.csv", BAD_ROWS)
    result = run("import", str(source), "--skip-invalid")
    assert result.exit_code == 0, result
    assert result.stdout == "added 1, updated 0, skipped 0 unchanged, left out 12 invalid\n"
    assert len(result.stderr.splitlines()) == 12
    assert sum(1 for r in stored(db).values() if r["title"] == "fine") == 1


def test_rows_that_follow_an_invalid_meeting_are_left_out_too(run, empty: Path, tmp_path: Path) -> None:
    meeting, follow = fixed_id("bad-meeting"), fixed_id("its-follow-up")
    source = write_csv(
        tmp_path / "chain.csv",
        f"id,kind,title,date,countries,follows\n"
        f"{meeting},meeting,m,2018-13,SE,\n"
        f"{follow},event,f,2018-05,SE,{meeting}\n"
        f",event,alone,2018-05,SE,\n",
    )
    result = run("--db", str(empty), "import", str(source), "--skip-invalid")
    assert result.exit_code == 0, result
    assert result.stderr.splitlines()[1] == "stidiplo: row 3: follows: the item it names (row 2) cannot be imported"
    assert [r["title"] for r in stored(empty).values()] == ["alone"]


def test_a_followed_meeting_must_stay_a_meeting(run, db: Path, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "kind.csv", f"id,kind\n{EU},event\n")
    before = db.read_bytes()
    result = run("import", str(source))
    assert result.exit_code == 1
    assert (
        result.stderr.splitlines()[0]
        == f"stidiplo: row 2: kind: {EU[:6]} is followed by other items and must stay a meeting"
    )
    assert db.read_bytes() == before


def test_json_rows_reject_unknown_keys_and_wrong_types(run, db: Path, tmp_path: Path) -> None:
    source = tmp_path / "typed.json"
    source.write_text(
        json.dumps(
            [
                {"kind": "event", "title": "x", "date": "2018", "colour": "red"},
                {"kind": "event", "title": "x", "date": "2018", "countries": 5},
                {"kind": "event", "title": "x", "date": "2018", "amount": {"value": "many", "currency": "JPY"}},
                "not an object",
            ]
        ),
        encoding="utf-8",
    )
    before = db.read_bytes()
    result = run("import", str(source))
    assert result.stderr.splitlines()[:4] == [
        "stidiplo: item 1: unknown field(s): colour",
        "stidiplo: item 2: countries: must be text",
        "stidiplo: item 3: amount_value: 'many' is not a number",
        "stidiplo: item 4: not an object",
    ]
    assert db.read_bytes() == before
