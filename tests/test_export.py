"""Export: json and jsonl for scripts, csv and xlsx for Excel, ics for calendars, md for documents."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stidiplo.formats.csvfmt import neutralise, restore
from stidiplo.formats.interchange import COLUMNS
from stidiplo.formats.xlsx import display_width, escape, unescape
from stidiplo.model import Amount, Note, Source, StatusChange
from tests.helpers import STAMP, fixed_id, fixture_items, item, write_tracker

EU = fixed_id("eu-meeting")
WORKSHOP = fixed_id("quantum-ws")
DANGEROUS = ["=", "+", "-", "@", "\t", "\r"]


def by_date(items: list) -> list:
    return sorted(items, key=lambda i: (i.start.sort_key, i.title, i.id))


def csv_rows(payload: bytes) -> list[dict[str, str]]:
    assert payload.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(payload[3:].decode("utf-8"), newline="")))


@pytest.fixture
def risky(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tracker whose titles, places and numbers start the way spreadsheet formulas do."""
    items = [
        item(
            f"risky-{n}",
            kind="event",
            title=f"{prefix}SUM(A1:A9)",
            date="2018-06-01",
            countries=["SE"],
            place=f"{prefix}cmd|' /C calc'!A0",
            participants="-5",
            amount=Amount(-5, "JPY"),
        )
        for n, prefix in enumerate(DANGEROUS)
    ]
    items.append(item("quoted", kind="event", title="'=already quoted", date="2018-06-02", countries=["SE"]))
    path = write_tracker(tmp_path / "risky.json", items)
    monkeypatch.setenv("STIDIPLO_DB", str(path))
    return path


# -- json and jsonl -----------------------------------------------------------------------------


def test_json_is_every_item_object_by_date(run, db: Path) -> None:
    result = run("export", "--format", "json")
    assert result.exit_code == 0, result
    assert json.loads(result.stdout) == [i.to_json() for i in by_date(fixture_items())]


def test_jsonl_is_one_complete_object_per_line(run, db: Path) -> None:
    lines = run("export", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == [i.to_json() for i in by_date(fixture_items())]


def test_export_applies_the_list_filters(run, db: Path) -> None:
    rows = json.loads(run("export", "--country", "スウェーデン", "--kind", "agreement").stdout)
    assert [r["id"] for r in rows] == [fixed_id("se-doc")]


def test_output_file_format_from_suffix(run, db: Path, tmp_path: Path) -> None:
    target = tmp_path / "items.jsonl"
    result = run("export", "-o", str(target))
    assert result.exit_code == 0, result
    assert result.stdout == f"wrote 8 item(s) to {target}\n"
    assert len(target.read_text(encoding="utf-8").splitlines()) == 8


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["export", "--format", "yaml"], 2, "format"),
        (["export", "-o", "items.txt"], 2, "suffix"),
        (["export", "-o", "items.xls"], 2, ".xlsx"),
        (["export", "--country", "Atlantis"], 2, "country"),
    ],
)
def test_export_refusals(run, db: Path, args: list[str], code: int, says: str) -> None:
    result = run(*args)
    assert result.exit_code == code, result
    assert result.stderr.count("\n") == 1 and says in result.stderr
    assert not list(Path.cwd().iterdir())


def test_export_never_overwrites_the_tracker(run, db: Path) -> None:
    before = db.read_bytes()
    result = run("export", "-o", str(db))
    assert result.exit_code == 2 and "is the tracker file in use" in result.stderr
    assert db.read_bytes() == before


# -- csv ----------------------------------------------------------------------------------------


def exported(run, fmt: str, folder: Path, *args: str) -> bytes:
    """The bytes `export` writes to a file (the test runner's stdout turns CRLF into LF)."""
    target = folder / f"export.{fmt}"
    result = run("export", "-o", str(target), *args)
    assert result.exit_code == 0, result
    return target.read_bytes()


def test_csv_has_bom_crlf_and_japanese_text(run, db: Path, tmp_path: Path) -> None:
    payload = exported(run, "csv", tmp_path)
    assert payload.startswith("\ufeffid,date,end,kind,".encode())
    assert b"\r\n" in payload and payload.count(b"\r\n") == 9
    rows = csv_rows(payload)
    assert list(rows[0]) == list(COLUMNS)
    workshop = next(r for r in rows if r["id"] == WORKSHOP)
    assert workshop == {
        "id": WORKSHOP,
        "date": "2018-09-03",
        "end": "2018-09-04",
        "kind": "event",
        "status": "done",
        "title": "日・EU量子技術ワークショップ",
        "title_en": "Japan–EU quantum technology workshop",
        "countries": "EU; FR",
        "fields": "quantum",
        "organizations": "",
        "programmes": "",
        "people": "",
        "people_en": "",
        "place": "Paris, France",
        "place_en": "",
        "participants": "120 from 20 countries",
        "participants_en": "",
        "amount_value": "",
        "amount_currency": "",
        "amount_detail": "",
        "amount_detail_en": "",
        "follows": EU,
        "related": "",
        "sources": "",
        "provenance": "",
        "notes": "",
        "history": "2019-04 done",
        "created": STAMP,
        "updated": STAMP,
    }


@pytest.mark.parametrize("prefix", DANGEROUS)
def test_csv_neutralises_each_formula_prefix(run, risky: Path, tmp_path: Path, prefix: str) -> None:
    rows = csv_rows(exported(run, "csv", tmp_path))
    row = next(r for r in rows if r["id"] == fixed_id(f"risky-{DANGEROUS.index(prefix)}"))
    assert row["title"] == f"'{prefix}SUM(A1:A9)"
    assert row["place"] == f"'{prefix}cmd|' /C calc'!A0"
    assert row["participants"] == "'-5"
    assert row["amount_value"] == "-5"


def test_csv_quotes_a_quote_before_a_formula_once_more(run, risky: Path, tmp_path: Path) -> None:
    rows = csv_rows(exported(run, "csv", tmp_path))
    assert next(r for r in rows if r["id"] == fixed_id("quoted"))["title"] == "''=already quoted"


def test_listing_csv_is_neutralised_too(run, risky: Path) -> None:
    titles = [row["title"] for row in csv.DictReader(io.StringIO(run("list", "--format", "csv").stdout, newline=""))]
    assert sorted(titles) == sorted(["'" + p + "SUM(A1:A9)" for p in DANGEROUS] + ["''=already quoted"])


@given(st.text())
def test_neutralise_is_undone_by_restore(text: str) -> None:
    safe = neutralise(text)
    assert restore(safe) == text
    assert not safe.startswith(tuple(DANGEROUS))


def test_csv_lists_history_and_notes_read_in_excel(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one = item(
        "call",
        kind="joint-call",
        title="SICORP 日独光・フォトニクス共同公募",
        date="2017-09",
        countries=["DE"],
        organizations=["JST", "DFG"],
        people=["A. Person"],
        sources=[Source("https://example.org/call")],
        amount=Amount(54000000, "JPY", "per project, max"),
        status="ongoing",
        history=[StatusChange("2017-09-01T00:00:00Z", "scheduled"), StatusChange("2018-04-01T00:00:00Z", "ongoing")],
        notes=[Note("2018-04-02T09:00:00Z", "3 projects selected"), Note("2018-05-01T00:00:00Z", "kick-off")],
    )
    monkeypatch.setenv("STIDIPLO_DB", str(write_tracker(tmp_path / "one.json", [one])))
    row = csv_rows(exported(run, "csv", tmp_path))[0]
    assert row["organizations"] == "JST\nDFG"
    assert row["amount_value"] == "54000000" and row["amount_currency"] == "JPY"
    assert row["amount_detail"] == "per project, max"
    assert row["history"] == "2017-09-01T00:00:00Z scheduled\n2018-04-01T00:00:00Z ongoing"
    assert row["notes"] == "2018-04-02T09:00:00Z 3 projects selected\n2018-05-01T00:00:00Z kick-off"


def test_csv_falls_back_to_json_lists_for_awkward_entries(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    odd = item(
        "odd",
        kind="event",
        title="x",
        date="2018",
        countries=["SE"],
        organizations=["[tbd]", "JST"],
        people=[" leading space"],
        notes=[Note("2019-04", "two\nlines")],
    )
    monkeypatch.setenv("STIDIPLO_DB", str(write_tracker(tmp_path / "odd.json", [odd])))
    row = csv_rows(exported(run, "csv", tmp_path))[0]
    assert json.loads(row["organizations"]) == ["[tbd]", "JST"]
    assert json.loads(row["people"]) == [" leading space"]
    assert json.loads(row["notes"]) == [{"at": "2019-04", "text": "two\nlines"}]


# -- xlsx ---------------------------------------------------------------------------------------


def workbook(raw: io.BytesIO):
    from openpyxl import load_workbook

    return load_workbook(raw).active


def test_xlsx_header_frozen_types_and_widths(run, db: Path, tmp_path: Path) -> None:
    ws = workbook(io.BytesIO(exported(run, "xlsx", tmp_path)))
    assert [c.value for c in ws[1]] == list(COLUMNS)
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    column = {name: n for n, name in enumerate(COLUMNS)}
    rows = {row[0].value: row for row in ws.iter_rows(min_row=2)}
    workshop, meeting, call = rows[WORKSHOP], rows[EU], rows[fixed_id("nsf-call")]
    assert workshop[column["date"]].value == datetime(2018, 9, 3)
    assert workshop[column["date"]].is_date and workshop[column["date"]].number_format == "yyyy-mm-dd"
    assert workshop[column["end"]].value == datetime(2018, 9, 4)
    assert meeting[column["date"]].value == "2018-01" and meeting[column["date"]].data_type == "s"
    assert call[column["date"]].value == "2019" and call[column["date"]].data_type == "s"
    assert workshop[column["title"]].value == "日・EU量子技術ワークショップ"
    assert workshop[column["end"]].value == datetime(2018, 9, 4)
    assert ws.column_dimensions["F"].width == max(display_width(i.title) for i in fixture_items()) + 2
    assert ws.column_dimensions["E"].width == len("coordinating") + 2


def test_xlsx_has_no_formula_and_numbers_stay_numbers(run, risky: Path, tmp_path: Path) -> None:
    ws = workbook(io.BytesIO(exported(run, "xlsx", tmp_path)))
    column = {name: n for n, name in enumerate(COLUMNS)}
    cells = [cell for row in ws.iter_rows() for cell in row if cell.value is not None]
    assert cells and not [c for c in cells if c.data_type == "f"]
    titles = {row[column["title"]].value: row for row in ws.iter_rows(min_row=2)}
    for prefix in DANGEROUS:
        row = titles[f"{prefix}SUM(A1:A9)".replace("\r", "_x000D_")]
        assert row[column["title"]].data_type == "s"
        assert row[column["title"]].quotePrefix
        assert row[column["participants"]].value == "-5" and row[column["participants"]].data_type == "s"
        assert row[column["amount_value"]].value == -5 and row[column["amount_value"]].data_type == "n"


@given(st.text())
def test_workbook_escape_is_undone(text: str) -> None:
    assert unescape(escape(text)) == text


def test_display_width_counts_wide_characters_double() -> None:
    assert display_width("JST") == 3
    assert display_width("量子技術") == 8
    assert display_width("ＡＢ") == 4
    assert display_width("short\n長い行です") == 10


# -- ics ----------------------------------------------------------------------------------------


def calendar_events(payload: bytes) -> dict:
    from icalendar import Calendar

    return {str(e["uid"]): e for e in Calendar.from_ical(payload).walk("VEVENT")}


def test_ics_one_all_day_event_per_day_dated_item(run, db: Path) -> None:
    result = run("export", "--format", "ics")
    assert result.exit_code == 0, result
    events = calendar_events(result.stdout.encode("utf-8"))
    dated = {i.id for i in fixture_items() if len(i.date) == 10}
    assert set(events) == {f"{i}@stidiplo" for i in dated}
    workshop = events[f"{WORKSHOP}@stidiplo"]
    assert workshop.decoded("dtstart") == date(2018, 9, 3)
    assert workshop.decoded("dtend") == date(2018, 9, 5)
    assert str(workshop["summary"]) == "Japan–EU quantum technology workshop"
    assert str(workshop["location"]) == "Paris, France"
    assert "日・EU量子技術ワークショップ" in str(workshop["description"])
    assert result.stderr == "left out 3 item(s) dated only to the month or year (--ics-spans includes them)\n"


def test_ics_spans_cover_the_whole_month_or_year(run, db: Path) -> None:
    result = run("--lang", "ja", "export", "--format", "ics", "--ics-spans")
    events = calendar_events(result.stdout.encode("utf-8"))
    assert len(events) == 8 and result.stderr == ""
    meeting = events[f"{EU}@stidiplo"]
    assert (meeting.decoded("dtstart"), meeting.decoded("dtend")) == (date(2018, 1, 1), date(2018, 2, 1))
    assert str(meeting["summary"]) == "文部科学大臣とモエダス欧州委員の会談"
    assert "2018年1月までしか分からない" in str(meeting["description"])
    call = events[f"{fixed_id('nsf-call')}@stidiplo"]
    assert (call.decoded("dtstart"), call.decoded("dtend")) == (date(2019, 1, 1), date(2020, 1, 1))
    assert str(call["status"]) == "TENTATIVE"


def test_ics_uid_and_sequence_let_a_calendar_update(run, db: Path, tmp_path: Path) -> None:
    first = calendar_events(run("export", "--format", "ics").stdout.encode("utf-8"))[f"{WORKSHOP}@stidiplo"]
    (tmp_path / "moved.json").write_text(json.dumps([{"id": WORKSHOP, "place": "Paris"}]), encoding="utf-8")
    assert run("import", str(tmp_path / "moved.json")).exit_code == 0
    second = calendar_events(run("export", "--format", "ics").stdout.encode("utf-8"))[f"{WORKSHOP}@stidiplo"]
    assert str(second["location"]) == "Paris"
    assert second.decoded("sequence") > first.decoded("sequence")


# -- md -----------------------------------------------------------------------------------------


def test_md_groups_items_by_year(run, db: Path) -> None:
    lines = run("export", "--format", "md").stdout.splitlines()
    assert [line for line in lines if line.startswith("## ")] == ["## 2018", "## 2019"]
    assert lines[2] == "| Date | Title | Kind | Status | Countries | Fields | Organizations |"
    assert (
        "| 3–4 Sep 2018 | Japan–EU quantum technology workshop | event | done | "
        "European Union, France | Quantum technology |  |" in lines
    )
    assert sum(1 for line in lines if line.startswith("| ") and "Title" not in line) == 8
