"""Every listing and report, in both languages, under the encodings Japanese Windows and cron jobs use.

Each command runs as a real process with `PYTHONIOENCODING` set to cp932, ascii or latin-1, or
with `LC_ALL=C`: it must exit 0 without an "unexpected error", terminal views must decode in the
stream's encoding, and machine formats must be UTF-8 that parses.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from stidiplo.cli.encoding import FALLBACK, covers_unicode, write_utf8

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ENCODINGS = {
    "cp932": {"PYTHONIOENCODING": "cp932"},
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "latin-1": {"PYTHONIOENCODING": "latin-1"},
    "C locale": {"LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "", "PYTHONUTF8": "0"},
}
VIEWS = [
    ["list"],
    ["list", "--country", "sweden"],
    ["show", "074760"],
    ["followups", "--since", "2018-01"],
    ["timeline"],
    ["brief", "074760"],
    ["brief", "--country", "SE"],
    ["attention"],
    ["upcoming"],
    ["scorecard"],
    ["log"],
    ["countries"],
    ["fields"],
]
MACHINE = [
    (["list", "--format", "json"], "json"),
    (["list", "--format", "csv"], "csv"),
    (["list", "--format", "md"], "md"),
    (["export", "--format", "jsonl"], "jsonl"),
    (["export", "--format", "ics"], "ics"),
]


def run(args: list[str], env_extra: dict[str, str], lang: str) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STIDIPLO_", "LC_", "PYTHONIO"))}
    env.update(env_extra)
    env.update(
        STIDIPLO_DB=str(ROOT / "data" / "db.json"),
        STIDIPLO_TODAY="2019-04-30",
        COLUMNS="100",
        PYTHONPATH=str(ROOT),
    )
    return subprocess.run(
        [sys.executable, "-m", "stidiplo", "--lang", lang, *args], env=env, capture_output=True, timeout=120
    )


def stream_encoding(env_extra: dict[str, str]) -> str:
    return env_extra.get("PYTHONIOENCODING") or "ascii"


@pytest.mark.parametrize("name", ENCODINGS)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_terminal_views_write_in_the_streams_encoding(name: str, lang: str) -> None:
    env_extra = ENCODINGS[name]
    for args in VIEWS:
        done = run(args, env_extra, lang)
        shown = " ".join(args)
        assert done.returncode == 0, f"{shown}: {done.stderr.decode('utf-8', 'replace')}"
        assert b"unexpected error" not in done.stderr, shown
        text = done.stdout.decode(stream_encoding(env_extra))  # raises if a byte is not of the encoding
        assert text.strip(), f"{shown} printed nothing"


@pytest.mark.parametrize("name", ENCODINGS)
def test_machine_formats_are_utf8_whatever_the_locale(name: str) -> None:
    for args, kind in MACHINE:
        done = run(args, ENCODINGS[name], "ja")
        assert done.returncode == 0, f"{args}: {done.stderr.decode('utf-8', 'replace')}"
        text = done.stdout.decode("utf-8")
        if kind == "json":
            rows = json.loads(text)
            assert len(rows) > 10 and any("科学技術" in row["title"] for row in rows)
        elif kind == "jsonl":
            rows = [json.loads(line) for line in text.splitlines() if line.strip()]
            assert len(rows) == len(json.loads(run(["list", "--format", "json"], {}, "en").stdout))
        elif kind == "csv":
            assert text.startswith("\ufeff"), "CSV for Excel keeps its BOM"
            rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
            assert len(rows) > 10 and any("–" in cell for row in rows for cell in row)
        elif kind == "ics":
            assert text.startswith("BEGIN:VCALENDAR")
        else:
            assert "|" in text and any("\u3040" <= ch <= "\u30ff" for ch in text)


def test_the_three_commands_of_the_report_succeed() -> None:
    done = run(["list", "--country", "sweden"], {"PYTHONIOENCODING": "cp932"}, "en")
    assert done.returncode == 0 and "v done" in done.stdout.decode("cp932")
    done = run(["list", "--format", "csv"], {"PYTHONIOENCODING": "cp932"}, "en")
    assert done.returncode == 0 and done.stdout.decode("utf-8").count("\r\n") > 50
    done = run(["list"], {"LC_ALL": "C", "PYTHONIOENCODING": "ascii"}, "ja")
    assert done.returncode == 0
    shown = done.stdout.decode("ascii")
    assert "?" in shown and "Sweden" not in shown  # Japanese text shown visibly replaced, not English


def test_errors_on_stderr_survive_the_encoding() -> None:
    done = run(["show", "nonexistent-スウェーデン"], {"PYTHONIOENCODING": "ascii"}, "ja")
    assert done.returncode != 0
    message = done.stderr.decode("ascii")
    assert message.startswith("stidiplo:") and "unexpected error" not in message and "Traceback" not in message


def test_fallbacks_are_themselves_encodable_everywhere() -> None:
    for char, stand_in in FALLBACK.items():
        assert stand_in.encode("ascii"), char


def test_unicode_encodings_are_told_apart() -> None:
    assert covers_unicode("UTF-8") and covers_unicode("utf8")
    assert not covers_unicode("cp932") and not covers_unicode("ascii") and not covers_unicode(None)


def test_write_utf8_writes_bytes_under_any_text_encoding() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp932")
    write_utf8("済 – ✓\n", stream)
    assert raw.getvalue() == "済 – ✓\n".encode()
