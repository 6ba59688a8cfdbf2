"""Every listing and report, in both languages, under the encodings Japanese Windows and cron jobs use.

Each command runs as a real process with `PYTHONIOENCODING` set to cp932, ascii or latin-1, or
in the C locale without UTF-8 mode (`LC_ALL=C PYTHONUTF8=0`, where Python's streams are ASCII):
it must exit 0 without an "unexpected error"; a terminal view must be the UTF-8 view with each
character the encoding lacks replaced by its stand-in (so the layout is kept); a machine format
must be the very bytes it is under UTF-8, and parse.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import shutil
import subprocess
import sys
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest

from stidiplo.cli.encoding import FALLBACK, HANDLER, prepare_streams, stand_in, write_utf8
from tests.helpers import ROOT, SHIPPED, invoke

ENCODINGS = {
    "cp932": {"PYTHONIOENCODING": "cp932"},
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "latin-1": {"PYTHONIOENCODING": "latin-1"},
    "C locale": {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
}
UTF8 = {"PYTHONIOENCODING": "utf-8"}
VIEWS = [
    ["list"],
    ["list", "--country", "sweden"],
    ["show", "074760"],
    ["followups", "--since", "2018-01"],
    ["timeline"],
    ["timeline", "--by", "country"],
    ["brief", "074760"],
    ["brief", "--country", "SE"],
    ["attention"],
    ["upcoming"],
    ["scorecard"],
    ["log"],
    ["countries"],
    ["fields"],
    ["check"],
    ["info"],
    ["where"],
    ["backups"],
]
MACHINE = [
    (["list", "--format", "json"], "json"),
    (["list", "--format", "csv"], "csv"),
    (["list", "--format", "md"], "md"),
    (["show", "074760", "--format", "json"], "json"),
    (["followups", "--format", "json"], "json"),
    (["timeline", "--format", "csv"], "csv"),
    (["brief", "074760", "--format", "md"], "md"),
    (["brief", "--country", "SE", "--format", "html"], "html"),
    (["attention", "--format", "json"], "json"),
    (["log", "--format", "json"], "json"),
    (["scorecard", "--format", "csv"], "csv"),
    (["countries", "--format", "md"], "md"),
    (["fields", "--format", "csv"], "csv"),
    (["export", "--format", "jsonl"], "jsonl"),
    (["export", "--format", "csv"], "excel-csv"),
    (["export", "--format", "ics"], "ics"),
    (["export", "--format", "md"], "md"),
]


@pytest.fixture(scope="module")
def tracker(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped dataset, so that no run can touch the repository's file."""
    path = tmp_path_factory.mktemp("encodings") / "db.json"
    shutil.copyfile(SHIPPED, path)
    return path


def environment(env_extra: dict[str, str], tracker: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STIDIPLO_", "LC_", "LANG", "PYTHONIO"))}
    env.pop("PYTHONUTF8", None)
    env.update(env_extra)
    home = tracker.parent / "home"  # the same for every run, so that `where` names the same folders
    env.update(
        STIDIPLO_DB=str(tracker),
        STIDIPLO_TODAY="2020-01-15",  # months after the briefing, so that attention has findings to show
        COLUMNS="100",
        PYTHONPATH=str(ROOT),
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
    )
    return env


def run(
    args: list[str], env_extra: dict[str, str], lang: str | None, tracker: Path
) -> subprocess.CompletedProcess[bytes]:
    """Run stidiplo in `lang` (None: the one the environment chooses) with `env_extra` set."""
    chosen = ["--lang", lang] if lang else []
    return subprocess.run(
        [sys.executable, "-m", "stidiplo", *chosen, *args],
        env=environment(env_extra, tracker),
        capture_output=True,
        timeout=120,
    )


@cache
def stream_encoding(name: str) -> str:
    """The encoding Python gives stdout under the named setting, asked of Python itself."""
    env = environment(ENCODINGS[name], Path("unused"))
    asked = subprocess.run(
        [sys.executable, "-c", "import sys; print(sys.stdout.encoding)"], env=env, capture_output=True, check=True
    )
    return asked.stdout.decode("ascii").strip()


def as_shown_in(text: str, encoding: str) -> str:
    """`text` as a stream in `encoding` shows it: each character it lacks replaced by its stand-in."""
    return "".join(char if _encodes(char, encoding) else stand_in(char) for char in text)


def _encodes(char: str, encoding: str) -> bool:
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _steady(text: str) -> str:
    """Output without `where`'s index line, whose "(none yet)" depends on the tracker's age, not the stream."""
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("index: "))


@cache
def _utf8_output(args: tuple[str, ...], lang: str, tracker: Path) -> bytes:
    done = run(list(args), UTF8, lang, tracker)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("name", ENCODINGS)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_terminal_views_are_the_utf8_views_with_stand_ins(name: str, lang: str, tracker: Path) -> None:
    encoding = stream_encoding(name)
    assert codecs.lookup(encoding).name != "utf-8", f"{name} should not be a UTF-8 stream, Python gave {encoding}"
    for args in VIEWS:
        done = run(args, ENCODINGS[name], lang, tracker)
        shown = " ".join(args)
        assert done.returncode == 0, f"{shown}: {done.stderr.decode(encoding, 'replace')}"
        assert done.stderr == b"", f"{shown}: {done.stderr.decode(encoding, 'replace')}"
        text = _steady(done.stdout.decode(encoding))  # strict: every byte is of the stream's encoding
        expected = _steady(as_shown_in(_utf8_output(tuple(args), lang, tracker).decode("utf-8"), encoding))
        assert text == expected, shown
        assert text.strip(), f"{shown} printed nothing"


def parses(text: str, kind: str) -> int:
    """How many records `text` holds, read as `kind`; raises if it does not parse."""
    if kind == "json":
        value = json.loads(text)
        return len(value)
    if kind == "jsonl":
        return len([json.loads(line) for line in text.splitlines()])
    if kind in ("csv", "excel-csv"):
        rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
        assert len({len(row) for row in rows}) == 1, "every row has the header's columns"
        return len(rows) - 1
    if kind == "md":  # table rows (less the header and its rule) and list entries
        rows = [line for line in text.splitlines() if line.startswith("|")]
        return max(len(rows) - 2, 0) + sum(line.startswith("- ") for line in text.splitlines())
    if kind == "ics":
        lines = text.split("\r\n")
        assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
        return lines.count("BEGIN:VEVENT")
    assert kind == "html"
    parser = HTMLParser()
    parser.feed(text)
    parser.close()
    return text.count("<tr") + text.count("<li")


@pytest.mark.slow
@pytest.mark.parametrize("name", ENCODINGS)
def test_machine_formats_are_the_same_utf8_bytes_whatever_the_locale(name: str, tracker: Path) -> None:
    for args, kind in MACHINE:
        done = run(args, ENCODINGS[name], "ja", tracker)
        shown = " ".join(args)
        assert done.returncode == 0, f"{shown}: {done.stderr.decode('utf-8', 'replace')}"
        assert b"unexpected error" not in done.stderr, shown
        assert done.stdout == _utf8_output(tuple(args), "ja", tracker), f"{shown}: not the bytes UTF-8 gives"
        text = done.stdout.decode("utf-8")
        assert parses(text, kind) > 0, f"{shown} holds no records"
        assert text.startswith("\ufeff") == (kind == "excel-csv"), f"{shown}: only CSV for Excel has a BOM"
        assert any(ord(char) > 0x3000 for char in text), f"{shown}: the Japanese text is missing"


@pytest.mark.slow
def test_the_three_commands_of_the_report_succeed(tracker: Path) -> None:
    done = run(["list", "--country", "sweden"], {"PYTHONIOENCODING": "cp932"}, "en", tracker)
    shown = done.stdout.decode("cp932")
    assert done.returncode == 0 and "v done" in shown and "Japan-Sweden" in shown and "✓" not in shown
    assert "─" * 50 in shown, "cp932 has the box-drawing rule: the table keeps it"

    done = run(["list", "--format", "csv"], {"PYTHONIOENCODING": "cp932"}, "en", tracker)
    rows = list(csv.DictReader(io.StringIO(done.stdout.decode("utf-8"))))
    assert done.returncode == 0 and len(rows) == len(json.loads(SHIPPED.read_text("utf-8"))["items"])
    assert any("–" in row["title_en"] for row in rows), "the en dash that used to end the CSV is there"

    done = run(["list"], {"LC_ALL": "C", "PYTHONIOENCODING": "ascii"}, "ja", tracker)
    shown = done.stdout.decode("ascii")
    assert done.returncode == 0 and "v ??" in shown, "✓ 済 shown as v and a visible replacement"
    assert "Sweden" not in shown, "the Japanese view is not switched to English"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["ascii", "cp932"])
def test_errors_on_stderr_survive_the_encoding(name: str, tracker: Path) -> None:
    done = run(["show", "nonexistent-スウェーデン"], ENCODINGS[name], "ja", tracker)
    message = done.stderr.decode(stream_encoding(name))
    assert done.returncode == 1 and done.stdout == b""
    assert message.startswith("stidiplo: ") and message.count("\n") == 1
    assert "unexpected error" not in message and "Traceback" not in message
    expected = "スウェーデン" if name == "cp932" else "????????????"
    assert expected in message, "the id is shown as the user typed it, as far as the encoding can"


@pytest.mark.slow
@pytest.mark.parametrize("name", ENCODINGS)
def test_help_and_usage_errors_survive_the_encoding(name: str, tracker: Path) -> None:
    encoding = stream_encoding(name)
    for args in (["--help"], ["list", "--help"], ["brief", "--help"]):
        done = run(args, ENCODINGS[name], "ja", tracker)
        assert done.returncode == 0 and "Usage:" in done.stdout.decode(encoding), args
    done = run(["list", "--bogus"], ENCODINGS[name], "ja", tracker)
    assert done.returncode == 2 and "--bogus" in done.stderr.decode(encoding)


@pytest.mark.slow
@pytest.mark.parametrize("setting", [{"STIDIPLO_LANG": "fr"}, {"LANG": "fr_FR.UTF-8"}, {"LC_ALL": "fr_FR.UTF-8"}])
def test_a_language_stidiplo_lacks_shows_every_view_in_english(setting: dict[str, str], tracker: Path) -> None:
    warning = b"stidiplo: STIDIPLO_LANG='fr' is not a language stidiplo has (en, ja); showing English\n"
    for args in (["list"], ["show", "074760"], ["followups", "--since", "2018-01"], ["brief", "--country", "SE"]):
        done = run(args, {**UTF8, **setting}, None, tracker)
        shown = " ".join(args)
        assert done.returncode == 0, f"{shown}: {done.stderr.decode()}"
        assert done.stderr == (warning if "STIDIPLO_LANG" in setting else b""), shown
        assert done.stdout == _utf8_output(tuple(args), "en", tracker), shown


@pytest.mark.slow
def test_a_shift_jis_sheet_imports_on_a_cp932_console(tracker: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "from-excel.csv"
    sheet.write_bytes("kind,title,date,countries\r\nvisit,ルンド再訪,2018-11,スウェーデン\r\n".encode("cp932"))
    done = run(["import", str(sheet), "--dry-run"], {"PYTHONIOENCODING": "cp932"}, "ja", tracker)
    shown = done.stdout.decode("cp932")
    assert done.returncode == 0 and "ルンド再訪" in shown and "would add 1" in shown


def test_fallbacks_are_ascii_and_wide_characters_take_two_stand_ins() -> None:
    for char, fallback in FALLBACK.items():
        assert fallback.isascii() and len(fallback) >= 1, char
    assert stand_in("✓") == "v" and stand_in("–") == "-" and stand_in("─") == "-"
    assert stand_in("済") == "??" and stand_in("Ａ") == "??" and stand_in("é") == "?"


def test_prepared_streams_replace_what_the_encoding_lacks(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp932")
    monkeypatch.setattr(sys, "stdout", stream)
    prepare_streams()
    assert stream.errors == HANDLER
    print("✓ 済 – ─ ☃", end="")
    stream.flush()
    assert raw.getvalue() == "v 済 - ─ ?".encode("cp932")


def test_bytes_the_system_could_not_decode_go_back_out_as_they_came(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", stream)
    prepare_streams()
    name = os.fsdecode(b"report-\xff.md")
    print(f"wrote {name} \ud800", end="")
    stream.flush()
    assert raw.getvalue() == b"wrote report-\xff.md ?"


def test_write_utf8_writes_bytes_under_any_text_encoding() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp932")
    stream.write("a")
    write_utf8("済 – ✓\n", stream)
    assert raw.getvalue() == "a済 – ✓\n".encode()


def test_an_argument_that_is_not_text_gets_one_line(db: Path) -> None:
    before = db.read_bytes()
    title = os.fsdecode(b"\x9b31m")  # how Python hands over a byte the locale cannot decode
    done = invoke("add", "-t", title, "-k", "event", "-d", "2019", "-c", "SE")
    assert done.exit_code == 2 and done.stdout == ""
    assert (
        done.stderr == "stidiplo: the value of -t is not text in this system's encoding (utf-8): it has the byte 0x9b\n"
    )
    assert db.read_bytes() == before


def test_utf8_arguments_an_ascii_locale_could_not_decode_are_read_as_utf8(db: Path) -> None:
    title = "済み – ok".encode().decode("ascii", "surrogateescape")  # as Python gives them under LC_ALL=C
    done = invoke("add", "--title", title, "-k", "event", "-d", "2019", "-c", "SE")
    assert done.exit_code == 0, done.stderr
    shown = invoke("show", done.stdout.strip(), "--format", "json")
    assert json.loads(shown.stdout)["title"] == "済み – ok"


@pytest.mark.slow
def test_file_names_stay_as_the_system_gave_them(tracker: Path, tmp_path: Path) -> None:
    target = bytes(tmp_path) + b"/sweden-\xff.csv"  # no text in any encoding, yet a file name
    done = run(["export", "--country", "SE", "-o", os.fsdecode(target)], UTF8, "en", tracker)
    assert done.returncode == 0, done.stderr
    assert done.stdout == b"wrote 11 item(s) to " + target + b"\n", "named as the user typed it"
    assert os.path.exists(target)
