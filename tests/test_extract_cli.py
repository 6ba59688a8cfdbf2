"""`stidiplo extract`: review proposals, hand them to `import`, or accept them one by one."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from stidiplo import tracker_file
from stidiplo.store import Store
from tests.helpers import fixed_id
from tests.test_imports import loaded, modules_after

DOCUMENTS = Path(__file__).parent / "documents"
STATUS_PAGE = """文部科学大臣とモエダス欧州委員の会談(2018年1月)後の状況

■量子技術
・2018年9月に日・EU量子技術ワークショップを開催。
(JSTが開催。9月3～4日、仏・パリ、120名が参加。)

■北極科学
・2018年11月に北極科学分野のEUによる研究公募を開始。
・2019年3月にJSTとERCの覚書に署名。
"""


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "status.txt"
    path.write_text(STATUS_PAGE, encoding="utf-8")
    return path


def flat(text: str) -> str:
    """Text without its spaces and line breaks, as a table folds it."""
    return "".join(text.split())


def titles(db: Path) -> list[str]:
    return sorted(item.title for item in tracker_file.load(Store(db)).all())


def test_the_table_marks_what_the_tracker_holds_and_stores_nothing(run, db: Path, page: Path, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    before = db.read_bytes()
    result = run("extract", str(page))
    assert result.exit_code == 0, result.stderr
    assert flat("= " + fixed_id("eu-meeting")[:6] + " in the tracker") in flat(result.stdout)
    assert "北極科学分野のEUによる研究公募を開始" in flat(result.stdout)
    assert "4 proposal(s), 2 already in the tracker; nothing stored." in result.stdout
    assert db.read_bytes() == before


def test_why_gives_each_guess_its_reason(run, db: Path, page: Path) -> None:
    result = run("extract", str(page), "--why")
    assert result.exit_code == 0, result.stderr
    assert "'公募' after the date" in result.stdout
    assert flat("line 8: ・2018年11月に北極科学分野のEUによる研究公募を開始。") in flat(result.stdout)


def test_csv_is_imported_after_review_and_not_proposed_twice(run, db: Path, page: Path, tmp_path: Path) -> None:
    drafts = tmp_path / "drafts.csv"
    result = run("extract", str(page), "--format", "csv", "-o", str(drafts))
    assert result.exit_code == 0, result.stderr
    assert "left out 2 proposal(s) already in the tracker" in result.stderr
    rows = list(csv.DictReader(io.StringIO(drafts.read_text(encoding="utf-8-sig"))))
    assert [(r["date"], r["kind"], r["status"], r["countries"]) for r in rows] == [
        ("2018-11", "joint-call", "ongoing", "EU"),
        ("2019-03", "agreement", "done", "EU"),
    ]
    assert {r["follows"] for r in rows} == {fixed_id("eu-meeting")}
    rows[1]["title"] = "JSTとERCの覚書"  # the person's review in Excel
    with drafts.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    imported = run("import", str(drafts))
    assert imported.exit_code == 0, imported.stderr
    assert "added 2" in imported.stdout
    assert "JSTとERCの覚書" in titles(db)
    again = run("extract", str(page), "--format", "csv")
    assert "left out 4 proposal(s)" in again.stderr
    assert again.stdout.strip().count("\n") == 0  # the header row alone


def test_json_goes_to_standard_output_and_import_takes_it(run, db: Path, page: Path, tmp_path: Path) -> None:
    result = run("extract", str(page), "--format", "json")
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    assert [r["kind"] for r in records] == ["joint-call", "agreement"]
    assert records[0]["sources"] == [
        {
            "document": f"{page}, line 8",
            "heading": None,
            "page": None,
            "quote": "・2018年11月に北極科学分野のEUによる研究公募を開始。",
        }
    ]
    saved = tmp_path / "drafts.json"
    saved.write_text(result.stdout, encoding="utf-8")
    assert run("import", str(saved), "--dry-run").exit_code == 0


def test_the_mext_style_document_into_an_empty_tracker(run, tmp_path: Path, monkeypatch) -> None:
    empty = tmp_path / "empty.json"
    assert run("init", str(empty)).exit_code == 0
    monkeypatch.setenv("STIDIPLO_DB", str(empty))
    drafts = tmp_path / "drafts.csv"
    assert run("extract", str(DOCUMENTS / "white_paper.txt"), "-f", "csv", "-o", str(drafts)).exit_code == 0
    imported = run("import", str(drafts))
    assert imported.exit_code == 0, imported.stderr
    assert "added 6" in imported.stdout
    listed = json.loads(run("list", "--format", "json").stdout)
    assert {(i["date"], i["kind"]) for i in listed} >= {("2003-04", "meeting"), ("FY2015", "joint-call")}


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "the file is empty"),
        (b"\x00\x01\x02binary\x00", "a binary file"),
        (b"caf\xe9 \x85\xff\x86\xfe " * 4, "cannot read the text in any known encoding"),
        ("会議の記録。日付はない。".encode(), "no dated happenings found"),
    ],
)
def test_bad_input_gets_one_line_and_a_failing_exit(run, db: Path, tmp_path: Path, content: bytes, says: str) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    result = run("extract", str(path))
    assert result.exit_code == 1
    assert says in result.stderr
    assert result.stderr.count("\n") == 1 and result.stdout == ""


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("damaged.pdf", b"%PDF-1.4 not really", "not a readable PDF"),
        ("damaged.docx", b"PK\x03\x04 not really", "not a readable Word document"),
    ],
)
def test_a_damaged_pdf_or_word_file_gets_one_line(
    run, db: Path, tmp_path: Path, capfd, name: str, content: bytes, says: str
) -> None:
    pytest.importorskip("pypdf")
    pytest.importorskip("docx")
    path = tmp_path / name
    path.write_bytes(content)
    result = run("extract", str(path))
    assert result.exit_code == 1
    assert result.stderr == f"stidiplo: {path}: {says} ({result.stderr.rsplit('(', 1)[1]}"
    assert result.stderr.count("\n") == 1
    assert capfd.readouterr().err == ""  # nothing logged around it


def test_a_missing_file_is_named(run, db: Path, tmp_path: Path) -> None:
    result = run("extract", str(tmp_path / "nowhere.txt"))
    assert result.exit_code == 1
    assert "nowhere.txt: cannot read (No such file or directory)" in result.stderr


def test_interactive_needs_a_terminal(run, db: Path, page: Path) -> None:
    result = run("extract", str(page), "--interactive")
    assert result.exit_code == 2
    assert "--interactive needs a terminal" in result.stderr


def test_interactive_accepts_edits_and_skips_as_one_change_undo_reverts(run, db: Path, page: Path, monkeypatch) -> None:
    monkeypatch.setattr("stidiplo.cli.extract.interactive", lambda: True)
    before = titles(db)
    edit = "\n".join(["e", "ERC覚書", "2019-03-20", "agreement", "done", "EU; 仏", "researcher-exchange"])
    result = run("extract", str(page), "--interactive", input=f"a\n{edit}\n")
    assert result.exit_code == 0, result.stderr
    assert "stored 2 item(s) as one change" in result.stdout
    items = {i.title: i for i in tracker_file.load(Store(db)).all()}
    assert items["ERC覚書"].date == "2019-03-20"
    assert items["ERC覚書"].countries == ["EU", "FR"]
    assert items["北極科学分野のEUによる研究公募を開始"].follows == [fixed_id("eu-meeting")]
    assert run("undo").exit_code == 0
    assert titles(db) == before


def test_an_edit_the_import_rules_refuse_is_asked_again(run, db: Path, page: Path, monkeypatch) -> None:
    monkeypatch.setattr("stidiplo.cli.extract.interactive", lambda: True)
    wrong = "\n".join(["e", "", "2019-13", "", "", "", ""])
    right = "\n".join(["", "2019-03", "", "", "", ""])
    result = run("extract", str(page), "--interactive", input=f"s\n{wrong}\n{right}\n")
    assert result.exit_code == 0, result.stderr
    assert "there is no month 13" in result.stderr
    assert "stored 1 item(s)" in result.stdout


def test_quitting_stores_nothing(run, db: Path, page: Path, monkeypatch) -> None:
    monkeypatch.setattr("stidiplo.cli.extract.interactive", lambda: True)
    before = db.read_bytes()
    result = run("extract", str(page), "--interactive", input="q\n")
    assert result.exit_code == 0
    assert "nothing accepted; nothing stored" in result.stdout
    assert db.read_bytes() == before


def test_listing_loads_nothing_of_extract(db: Path, tmp_path: Path) -> None:
    modules = modules_after(tmp_path, "list", "--country", "sweden")
    assert [m for m in ("stidiplo.extract", "stidiplo.views.proposals", "pypdf", "docx") if loaded(modules, m)] == []


def test_extract_has_help_with_an_example(run) -> None:
    result = run("extract", "--help")
    assert result.exit_code == 0
    assert "Example: stidiplo extract" in result.stdout


def test_a_follow_up_edited_at_the_terminal_follows_the_meeting_accepted_with_it(
    run, tmp_path: Path, page: Path, monkeypatch
) -> None:
    empty = tmp_path / "empty.json"
    assert run("init", str(empty)).exit_code == 0
    monkeypatch.setenv("STIDIPLO_DB", str(empty))
    monkeypatch.setattr("stidiplo.cli.extract.interactive", lambda: True)
    edit = "\n".join(["e", "日EU量子ワークショップ", "", "", "", "", "quantum"])
    result = run("extract", str(page), "--interactive", input=f"a\n{edit}\nq\n")
    assert result.exit_code == 0, result.stderr
    items = {i.kind: i for i in tracker_file.load(Store(empty)).all()}
    assert items["event"].title == "日EU量子ワークショップ"
    assert (items["event"].date, items["event"].end) == ("2018-09-03", "2018-09-04")
    assert items["event"].follows == [items["meeting"].id]


def test_several_files_and_one_given_twice(run, db: Path, page: Path) -> None:
    result = run("extract", str(page), str(DOCUMENTS / "press_release.md"), str(page), "--format", "json")
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    assert len(records) == len({r["id"] for r in records}) == 2 + 5  # the page, then the press release
