"""Hostile input: arbitrary text never raises, a refusal leaves the file as it was, and text is shown, never obeyed."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from stidiplo.model import MAX_TEXT, Amount, Note, Source
from stidiplo.store import Store
from tests.helpers import ROOT, fixed_id, fixture_items, invoke, item, temporary_tracker, write_tracker

ERC = fixed_id("erc")
EU = fixed_id("eu-meeting")
CHECKED = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
"""Each example runs on a tracker of its own (`temporary_tracker`); how long examples take is never judged."""

NASTY = [
    "",
    " ",
    "\t",
    "\n",
    "-",
    "--",
    "--help",
    "[bold red]alarm[/]",
    "[link=https://evil.example]x[/link]",
    "\x1b[31mred\x1b[0m",
    "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07",
    "line\roverwritten",
    "\x00",
    "\x9b2J",
    "\u202eevil",
    '=HYPERLINK("http://evil.example")',
    "+1",
    "@SUM(A1)",
    "<script>alert(1)</script>",
    "%s%n{0}",
    "令和元年5月1日",
    "平成31年4月31日",
    "元年",
    "２０１８年１０月",
    "FY9999",
    "FY-1",
    "9999-99-99",
    "0000",
    "-1",
    "1e999",
    "nan",
    "inf",
    "2018〜",
    "2018-01..2017-01",
    "6 months ago",
    "999999999 months ago",
    "Sweden",
    "スウェーデン",
    "ＵＫ",
    "se",
    "EU;SE",
    "a" * 50,
    "😀",
    "\ud7ff",
    "\U0010ffff",
]
hostile = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.builds(str.__add__, st.sampled_from(NASTY), st.text(max_size=8)),
)
CONTROL = set("\x1b\x07\r\x9b\u202e\x00")


def assert_clean(result, db: Path, before: bytes) -> None:
    """Refused or done, but never a traceback or an unexpected error; a refusal leaves the file."""
    assert result.exit_code in (0, 1, 2), result
    assert "unexpected error" not in result.stderr and "Traceback" not in result.stderr, result
    if result.exit_code:
        assert db.read_bytes() == before, result
        lines = result.stderr.strip().splitlines()
        assert lines and lines[-1].startswith("stidiplo: "), result


def assert_still_valid() -> None:
    check = invoke("check")
    assert check.exit_code == 0, check


def run_cleanly(*args: str) -> None:
    """Run a command on a fresh fixture tracker: it must be refused cleanly or leave a valid tracker behind."""
    with temporary_tracker() as db:
        before = db.read_bytes()
        result = invoke(*args)
        assert_clean(result, db, before)
        if result.exit_code == 0 and db.read_bytes() != before:
            assert_still_valid()


# -- every text option -------------------------------------------------------------------------

TEXT_OPTIONS = [
    "--title",
    "--title-en",
    "--place",
    "--participants",
    "--org",
    "--person",
    "--source",
    "--note",
    "--amount-detail",
    "--place-en",
    "--person-en",
    "--participants-en",
    "--programme",
    "--provenance",
]
STORED_AS = {
    "--title": "title",
    "--title-en": "title_en",
    "--place": "place",
    "--participants": "participants",
    "--org": "organizations",
    "--person": "people",
    "--source": "sources",
    "--note": "notes",
    "--amount-detail": "amount",
    "--place-en": "place_en",
    "--person-en": "people_en",
    "--participants-en": "participants_en",
    "--programme": "programmes",
    "--provenance": "provenance",
}


@pytest.mark.slow
@CHECKED
@given(option=st.sampled_from(TEXT_OPTIONS), value=hostile)
def test_add_takes_any_text_literally_or_refuses(option: str, value: str) -> None:
    args = ["add", "-k", "event", "-d", "2018", "-c", "SE", f"{option}={value}"]
    if option != "--title":
        args.append("--title=t")
    if option == "--amount-detail":
        args.append("--amount=5 JPY")
    with temporary_tracker() as db:
        before = db.read_bytes()
        result = invoke(*args)
        assert_clean(result, db, before)
        if result.exit_code == 0:
            stored = json.loads(invoke("show", result.stdout.strip(), "-f", "json").stdout)[STORED_AS[option]]
            if option == "--note":
                stored = [note["text"] for note in stored]
            if option == "--source":
                stored = [source["document"] for source in stored]
            if option == "--amount-detail":
                stored = stored["detail"]
            assert stored in (value, [value]) or (not value and stored in (None, [])), (value, stored)
            assert_still_valid()


@pytest.mark.slow
@CHECKED
@given(
    option=st.sampled_from(
        [
            "--title",
            "--title-en",
            "--place",
            "--participants",
            "--add-org",
            "--remove-org",
            "--add-person",
            "--add-source",
            "--amount",
        ]
    ),
    value=hostile,
)
def test_edit_takes_any_text_or_refuses(option: str, value: str) -> None:
    run_cleanly("edit", ERC[:8], f"{option}={value}")


@pytest.mark.slow
@CHECKED
@given(value=hostile)
def test_note_takes_any_text_or_refuses(value: str) -> None:
    with temporary_tracker() as db:
        before = db.read_bytes()
        result = invoke("note", ERC[:8], "--", value)
        assert_clean(result, db, before)
        if result.exit_code == 0:
            assert json.loads(invoke("show", ERC[:8], "-f", "json").stdout)["notes"][-1]["text"] == value


# -- dates, countries and the other chosen values -------------------------------------------

DATE_COMMANDS = [
    ["add", "-k", "event", "-t", "t", "-c", "SE", "--date"],
    ["add", "-k", "event", "-t", "t", "-c", "SE", "-d", "2018-01-01", "--end"],
    ["edit", ERC[:8], "--date"],
    ["edit", ERC[:8], "--end"],
    ["list", "--since"],
    ["list", "--until"],
    ["timeline", "--since"],
    ["scorecard", "--until"],
    ["followups", "--since"],
    ["log", "--since"],
    ["export", "--format", "json", "--since"],
]


@pytest.mark.slow
@CHECKED
@given(command=st.sampled_from(DATE_COMMANDS), value=hostile)
def test_every_date_option_reads_or_refuses(command: list[str], value: str) -> None:
    run_cleanly(*command[:-1], f"{command[-1]}={value}")


COUNTRY_COMMANDS = [
    ["add", "-k", "event", "-t", "t", "-d", "2018", "--country"],
    ["edit", ERC[:8], "--add-country"],
    ["edit", ERC[:8], "--remove-country"],
    ["list", "--country"],
    ["brief", "--country"],
    ["attention", "--country"],
    ["upcoming", "--country"],
    ["scorecard", "--country"],
    ["timeline", "--country"],
    ["export", "--format", "json", "--country"],
]


@pytest.mark.slow
@CHECKED
@given(command=st.sampled_from(COUNTRY_COMMANDS), value=hostile)
def test_every_country_option_reads_or_refuses(command: list[str], value: str) -> None:
    run_cleanly(*command[:-1], f"{command[-1]}={value}")


CHOICE_OPTIONS = [
    ["add", "-t", "t", "-d", "2018", "-c", "SE", "--kind"],
    ["add", "-k", "event", "-t", "t", "-d", "2018", "-c", "SE", "--status"],
    ["add", "-k", "event", "-t", "t", "-d", "2018", "-c", "SE", "--field"],
    ["add", "-k", "event", "-t", "t", "-d", "2018", "-c", "SE", "--follows"],
    ["add", "-k", "event", "-t", "t", "-d", "2018", "-c", "SE", "--related"],
    ["add", "-k", "event", "-t", "t", "-d", "2018", "-c", "SE", "--amount"],
    ["edit", ERC[:8], "--status"],
    ["edit", ERC[:8], "--follows"],
    ["list", "--sort"],
    ["list", "--format"],
    ["list", "--search"],
    ["scorecard", "--by"],
    ["timeline", "--by"],
    ["--lang"],
]


@pytest.mark.slow
@CHECKED
@given(command=st.sampled_from(CHOICE_OPTIONS), value=hostile)
def test_every_other_option_reads_or_refuses(command: list[str], value: str) -> None:
    args = [*command[:-1], f"{command[-1]}={value}"]
    run_cleanly(*args, *(["list"] if command == ["--lang"] else []))


@pytest.mark.slow
@CHECKED
@given(ref=hostile)
@example(ref="²")  # a digit that int() refuses
def test_ids_and_backup_names_read_or_refuse(ref: str) -> None:
    for args in (["show", "--", ref], ["brief", "--", ref], ["restore", "--", ref], ["remove", "--yes", "--", ref]):
        run_cleanly(*args)


# -- import --------------------------------------------------------------------------------

json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | hostile,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile, inner, max_size=3),
    max_leaves=8,
)
IMPORT_KEYS = [
    "id",
    "kind",
    "title",
    "date",
    "end",
    "status",
    "countries",
    "fields",
    "follows",
    "related",
    "history",
    "notes",
    "amount",
    "title_en",
    "place",
    "created",
    "updated",
    "colour",
]
row = st.dictionaries(
    st.sampled_from(IMPORT_KEYS),
    st.one_of(json_value, st.sampled_from(["event", "meeting", "2018", "2018-05-01", "done", "SE", ["SE"], ERC, EU])),
    max_size=8,
)


@pytest.mark.slow
@CHECKED
@given(rows=st.lists(row, max_size=4))
def test_import_of_arbitrary_rows_is_all_or_nothing(rows: list[dict]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "rows.json"
        source.write_bytes(json.dumps(rows, ensure_ascii=False).encode("utf-8", "surrogatepass"))
        run_cleanly("import", str(source))


@pytest.mark.slow
@CHECKED
@given(
    raw=st.binary(max_size=300) | hostile.map(lambda t: t.encode("utf-8", "surrogatepass")),
    suffix=st.sampled_from([".json", ".jsonl", ".csv", ".xlsx"]),
)
def test_import_of_arbitrary_bytes_is_refused_cleanly(raw: bytes, suffix: str) -> None:
    with temporary_tracker() as db:
        source = db.parent / f"rows{suffix}"
        source.write_bytes(raw)
        before = db.read_bytes()
        assert_clean(invoke("import", str(source)), db, before)


@pytest.mark.slow
@CHECKED
@given(cells=st.lists(hostile, min_size=3, max_size=3))
def test_import_of_arbitrary_csv_cells(cells: list[str]) -> None:
    import csv

    text = io.StringIO()
    csv.writer(text).writerows([["kind", "title", "date", "countries"], ["event", *cells]])
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "rows.csv"
        source.write_text(text.getvalue(), encoding="utf-8", errors="surrogatepass")
        run_cleanly("import", str(source))


# -- text is shown, never obeyed ------------------------------------------------------------

HOSTILE = "[bold red]alarm[/] \x1b[31mred\x1b]8;;https://evil.example\x07link\x1b]8;;\x07\rback\u202eflip\x9b2J"


@pytest.fixture
def hostile_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A meeting and its follow-ups whose every free text carries markup and terminal escapes."""
    meeting = item(
        "hostile-meeting",
        kind="meeting",
        title="会談" + HOSTILE,
        title_en="Meeting " + HOSTILE,
        date="2018-01",
        countries=["SE"],
        fields=["quantum"],
        place=HOSTILE,
        organizations=[HOSTILE],
        people=[HOSTILE],
        sources=[Source(HOSTILE, "1", HOSTILE, HOSTILE)],
        provenance=HOSTILE,
        place_en=HOSTILE,
        people_en=[HOSTILE],
        programmes=[HOSTILE],
        participants=HOSTILE,
        notes=[Note("2019-01-01T00:00:00Z", HOSTILE, HOSTILE)],
    )
    call = item(
        "hostile-call",
        kind="joint-call",
        title="公募" + HOSTILE,
        title_en="Call " + HOSTILE,
        date="2019-06",
        countries=["SE"],
        fields=["quantum"],
        follows=[meeting.id],
        status="scheduled",
        amount=Amount(5, "JPY", HOSTILE),
    )
    stale = item(
        "hostile-stale",
        kind="agreement",
        title="取極" + HOSTILE,
        date="2018-02",
        countries=["SE"],
        fields=["quantum"],
        follows=[meeting.id],
        status="coordinating",
    )
    path = write_tracker(tmp_path / "hostile.json", [meeting, call, stale])
    monkeypatch.setenv("STIDIPLO_DB", str(path))
    return path


MEETING = fixed_id("hostile-meeting")
VIEWS = [
    ["list"],
    ["show", MEETING[:8]],
    ["show", fixed_id("hostile-call")[:8]],
    ["followups"],
    ["timeline"],
    ["timeline", "--by", "country"],
    ["brief", MEETING[:8]],
    ["brief", "--country", "SE"],
    ["attention"],
    ["scorecard"],
    ["upcoming", "--months", "12"],
    ["log"],
    ["countries"],
    ["fields"],
    ["info"],
    ["list", "-f", "md"],
    ["followups", "-f", "md"],
    ["brief", MEETING[:8], "-f", "md"],
    ["timeline", "-f", "md"],
    ["scorecard", "-f", "md"],
    ["upcoming", "--months", "12", "-f", "md"],
    ["export", "-f", "md"],
]


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("command", VIEWS, ids=lambda c: " ".join(c))
def test_every_view_shows_text_literally(run, hostile_db: Path, command: list[str], lang: str) -> None:
    result = run("--lang", lang, *command)
    assert result.exit_code == 0, result
    assert not CONTROL & set(result.stdout), sorted(CONTROL & set(result.stdout))
    if (
        command[0] in ("list", "show", "brief", "timeline", "followups", "upcoming", "log", "export")
        and "--by" not in command
    ):
        assert "alarm" in result.stdout
        assert "[bold red]alarm[/]" in result.stdout or "\\[bold red\\]alarm\\[/\\]" in result.stdout


def test_recovery_output_shows_text_literally(run, hostile_db: Path) -> None:
    run("edit", MEETING[:8], "--status", "dropped")
    outputs = [run("backups").stdout, run("undo").stdout]
    hostile_db.write_text(hostile_db.read_text(encoding="utf-8").replace('"SE"', '"se"'), encoding="utf-8")
    outputs.append(run("check").stdout)
    for out in outputs:
        assert not CONTROL & set(out)
        assert "[bold red]alarm[/]" in out


@pytest.mark.slow
@CHECKED
@given(title=hostile)
def test_any_stored_title_prints_without_control_characters(title: str) -> None:
    if not title.strip():
        title = "x" + title
    with temporary_tracker([item("one", kind="event", title=title, date="2018", countries=["SE"])]):
        for command in (["list"], ["show", fixed_id("one")[:8]], ["timeline"], ["list", "-f", "md"]):
            result = invoke(*command)
            assert result.exit_code == 0, result
            assert not CONTROL & set(result.stdout)


def test_html_escapes_every_text(run, hostile_db: Path) -> None:
    run("edit", MEETING[:8], "--title-en", "<script>alert(1)</script>")
    for command in (["brief", MEETING[:8]], ["brief", "--country", "SE"], ["timeline"]):
        page = run("--lang", "en", *command, "--format", "html").stdout
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<script>" not in page


def test_csv_and_xlsx_exports_neutralise_formulas(run, db: Path, tmp_path: Path) -> None:
    import csv

    from openpyxl import load_workbook

    formula = '=HYPERLINK("http://evil.example","click")'
    run(
        "edit",
        ERC[:8],
        "--title",
        formula,
        "--place",
        "+1+1",
        "--remove-org",
        "JST",
        "--remove-org",
        "ERC",
        "--add-org",
        "@SUM(A1)",
    )
    rows = list(csv.DictReader(io.StringIO(run("export", "-f", "csv").stdout.lstrip("\ufeff"))))
    erc = [r for r in rows if r["id"] == ERC][0]
    assert (erc["title"], erc["place"], erc["organizations"]) == ("'" + formula, "'+1+1", "'@SUM(A1)")
    listed = list(csv.DictReader(io.StringIO(run("list", "-f", "csv").stdout)))
    assert [r["title"] for r in listed if r["id"] == ERC] == ["'" + formula]
    book = tmp_path / "out.xlsx"
    assert run("export", "-o", str(book)).exit_code == 0
    sheet = load_workbook(book).active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and formula in c.value]
    assert cells and all(c.data_type == "s" and c.value == formula and c.quotePrefix for c in cells)


def test_a_carriage_return_inside_a_title_stays_inside_its_csv_cell(run, db: Path) -> None:
    import csv

    title = "first line\rsecond line"
    assert run("edit", ERC[:8], "--title", title).exit_code == 0
    listed = list(csv.DictReader(io.StringIO(run("list", "-f", "csv").stdout, newline="")))
    assert len(listed) == 8 and [r["title"] for r in listed if r["id"] == ERC] == [title]


# -- over-long values -----------------------------------------------------------------------

HUGE = "x" * 10_000_000


@pytest.mark.parametrize(
    "args",
    [
        ["add", "-k", "event", "-d", "2018", "-c", "SE", "--title", HUGE],
        ["add", "-k", "event", "-t", "t", "-c", "SE", "--date", HUGE],
        ["add", "-k", "event", "-t", "t", "-d", "2018", "--country", HUGE],
        ["add", "-k", "event", "-t", "t", "-d", "2018", "-c", "SE", "--note", HUGE],
        ["add", "-k", "event", "-t", "t", "-d", "2018", "-c", "SE", "--amount", "9" * 10_000_000],
        ["edit", ERC[:8], "--place", HUGE],
        ["note", ERC[:8], HUGE],
        ["list", "--search", HUGE],
        ["show", HUGE],
    ],
    ids=lambda args: " ".join(a for a in args if len(a) < 100),
)
def test_a_10_mb_value_is_refused_with_the_limit(run, db: Path, args: list[str]) -> None:
    before = db.read_bytes()
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.endswith(f" is 10,000,000 characters long; the limit is {MAX_TEXT:,}\n")
    assert len(result.stderr) < 200
    assert db.read_bytes() == before


def test_text_at_the_limit_is_kept_and_one_more_is_refused(run, db: Path) -> None:
    short = run("add", "-k", "event", "-t", "x" * MAX_TEXT, "-d", "2018", "-c", "SE").stdout.strip()
    assert json.loads(run("show", short, "-f", "json").stdout)["title"] == "x" * MAX_TEXT
    before = db.read_bytes()
    result = run("edit", short, "--title", "x" * (MAX_TEXT + 1))
    assert result.exit_code == 2 and f"the limit is {MAX_TEXT:,}" in result.stderr
    assert db.read_bytes() == before


def test_a_long_value_on_a_real_command_line(db: Path) -> None:
    before = db.read_bytes()
    args = [
        sys.executable,
        "-m",
        "stidiplo",
        "--db",
        str(db),
        "add",
        "-k",
        "event",
        "-t",
        "x" * 100_000,
        "-d",
        "2018",
        "-c",
        "SE",
    ]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr == f"stidiplo: the value of -t is 100,000 characters long; the limit is {MAX_TEXT:,}\n"
    assert db.read_bytes() == before


def test_an_import_with_a_10_mb_title_is_refused(run, db: Path, tmp_path: Path) -> None:
    source = tmp_path / "big.json"
    source.write_text(json.dumps([{"kind": "event", "title": HUGE, "date": "2018", "countries": ["SE"]}]))
    before = db.read_bytes()
    result = run("import", str(source))
    assert result.exit_code in (1, 2)
    assert "10,000" in result.stderr and len(result.stderr) < 1000
    assert db.read_bytes() == before


def test_non_finite_and_huge_amounts_are_refused(run, db: Path) -> None:
    before = db.read_bytes()
    for amount in ("1e999 JPY", "nan JPY", "-inf JPY", "1e308 JPY"):
        result = run("add", "-k", "event", "-t", "t", "-d", "2018", "-c", "SE", "--amount", amount)
        assert result.exit_code == 2, result
        assert result.stderr.startswith("stidiplo: amount: the value must be a finite number"), result
    assert db.read_bytes() == before
    assert Store(db).list_backups() == []


def test_fixture_items_are_unchanged_by_hostile_runs(db: Path) -> None:
    assert {i.id for i in fixture_items()} == set(json.loads(db.read_text(encoding="utf-8"))["items"])
