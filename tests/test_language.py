"""Both languages: every view switches with --lang, JSON stays neutral, Japanese tables stay aligned."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.cells import cell_len

from stidiplo import vocab
from tests.helpers import fixed_id

EU = fixed_id("eu-meeting")


@pytest.mark.parametrize(
    ("args", "english", "japanese"),
    [
        (
            ["list", "--country", "SE"],
            ["Date", "Minister visits Lund", "9 Jan 2018", "Sweden", "visit", "done"],
            ["日付", "スウェーデン・ルンドへの文部科学大臣訪問", "2018年1月9日", "スウェーデン", "訪問", "済"],
        ),
        (
            ["show", EU[:6]],
            ["Minister meets Commissioner Moedas", "Jan 2018", "European Union", "Follow-ups"],
            ["文部科学大臣とモエダス欧州委員の会談", "2018年1月", "欧州連合", "フォローアップ"],
        ),
        (
            ["followups", "--since", "2018-09"],
            ["Quantum technology", "3–4 Sep 2018", "done"],
            ["量子技術", "2018年9月3日～4日", "済"],
        ),
        (
            ["timeline", "--country", "EU"],
            ["2018", "1 Nov 2018", "RIKEN Europe office opens"],
            ["2018年", "2018年11月1日", "理化学研究所欧州事務所の開設"],
        ),
        (["countries"], ["Sweden", "European Union"], ["スウェーデン", "欧州連合"]),
        (["fields"], ["Quantum technology"], ["量子技術"]),
    ],
)
def test_views_follow_lang(run, db: Path, args: list[str], english: list[str], japanese: list[str]) -> None:
    en = run("--lang", "en", *args)
    ja = run("--lang", "ja", *args)
    assert en.exit_code == ja.exit_code == 0
    for word in english:
        assert word in en.stdout, word
    for word in japanese:
        assert word in ja.stdout, word
    assert "日付" not in en.stdout


def test_lang_from_environment_then_locale(run, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STIDIPLO_LANG", "ja")
    assert "日付" in run("list").stdout
    monkeypatch.delenv("STIDIPLO_LANG")
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert "日付" in run("list").stdout
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert "Date" in run("list").stdout


def test_json_is_language_neutral(run, db: Path) -> None:
    assert (
        run("--lang", "ja", "list", "--format", "json").stdout == run("--lang", "en", "list", "--format", "json").stdout
    )
    row = json.loads(run("--lang", "ja", "show", EU, "--format", "json").stdout)
    assert row["countries"] == ["EU"] and row["date"] == "2018-01" and row["kind"] == "meeting"


def test_title_falls_back_to_the_other_language(run, db: Path) -> None:
    short = run("add", "-k", "event", "-t", "日本語だけの件名", "-d", "2018", "-c", "SE").stdout.strip()
    assert "日本語だけの件名" in run("--lang", "en", "list", "--country", "SE").stdout
    assert short


@pytest.mark.parametrize("width", [60, 80, 100, 120])
def test_japanese_table_folds_and_stays_aligned(run, db: Path, monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    long_title = "日本・スウェーデン外交関係樹立150周年における両国の科学技術協力の強化に向けた共同文書" * 2
    run("add", "-k", "agreement", "-t", long_title, "-d", "2018-10-10", "-c", "SE")
    out = run("--lang", "ja", "list", "--country", "SE").stdout
    lines = [line for line in out.splitlines() if line.strip()]
    assert all(cell_len(line) <= width for line in lines)
    rule = next(line for line in lines if "─" in line)
    assert all(cell_len(line) == cell_len(rule) for line in lines)
    title_cells = "".join(line.split()[-1] for line in lines[2:])
    assert long_title in title_cells  # folded by character, nothing cut


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("width", [80, 100])
def test_the_title_keeps_room_beside_long_names(run, monkeypatch: pytest.MonkeyPatch, lang: str, width: int) -> None:
    """Every item of the shipped dataset (long country lists, ranges): the title column stays readable."""
    from tests.helpers import SHIPPED

    monkeypatch.setenv("COLUMNS", str(width))
    out = run("--db", str(SHIPPED), "--lang", lang, "list").stdout.splitlines()
    headers = [vocab.header(c, lang) for c in ("id", "date", "kind", "status", "countries", "title")]
    header = next(line for line in out if headers[0] in line and headers[-1] in line)
    assert all(h in header for h in headers)  # no header folded
    title_width = width - cell_len(header[: header.index(headers[-1])])
    assert title_width >= (16 if width == 80 else 30)


@pytest.mark.parametrize(
    ("when", "width", "shown"),
    [
        ("2018年4月19日", 10, "2018年4月\n19日"),
        ("2018年10月26日", 10, "2018年10月\n26日"),
        ("2018年1月～2023年度", 13, "2018年1月～\n2023年度"),
        ("2018年9月3日～4日", 13, "2018年9月\n3日～4日"),
        ("Jan 2018 – FY2023", 10, "Jan 2018 –\nFY2023"),
        ("9 Jan 2018", 16, "9 Jan 2018"),
        ("2018年4月19日", 14, "2018年4月19日"),
    ],
)
def test_a_date_too_wide_for_its_column_breaks_between_its_parts(when: str, width: int, shown: str) -> None:
    from stidiplo.views.items import _fit_date

    assert _fit_date(when, width) == shown
