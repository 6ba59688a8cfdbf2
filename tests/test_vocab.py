"""The vocabulary: country, bloc and field names in both languages, resolved from what users type."""

from __future__ import annotations

import json
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

import stidiplo.vocab as vocab
from stidiplo.errors import UsageError
from stidiplo.model import KINDS, STATUSES

ROOT = Path(__file__).resolve().parents[1]
VOCAB = Path(vocab.__file__).parent


def data(name: str) -> dict:
    """One vocabulary file as shipped, read without the module's merging."""
    return json.loads((VOCAB / name).read_text(encoding="utf-8"))


def keys(name: str) -> list[tuple[str, str]]:
    """(code, key) for every code, name and alias in one data file."""
    return [
        (code, key)
        for code, entry in data(name).items()
        for key in (code, *(entry[lang] for lang in ("en", "ja") if lang in entry), *entry["aliases"])
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        *[(text, "SE") for text in ("sweden", "SE", "se", "swe", "スウェーデン", "瑞典", "ｓｅ")],
        *[(text, "GB") for text in ("uk", "UK", "Uk", " uk ", "ＵＫ", "britain", "英国", "イギリス")],
        *[(text, "GB") for text in ("United Kingdom", "gbr", " Great  Britain ")],
        *[(text, "US") for text in ("usa", "米国", "アメリカ", "United States")],
        *[(text, "KR") for text in ("korea", "South Korea", "韓国")],
        ("eu", "EU"),
        ("欧州連合", "EU"),
        ("Europe", "EU"),
        ("asean", "ASEAN"),
        ("東南アジア諸国連合", "ASEAN"),
        ("アフリカ", "AFRICA"),
        ("Africa", "AFRICA"),
        ("intl", "INTL"),
        ("多国間", "INTL"),
        ("multilateral", "INTL"),
        ("ドイツ", "DE"),
        ("独", "DE"),
        ("仏", "FR"),
        ("中華人民共和国", "CN"),
    ],
)
def test_resolve_country(text: str, code: str) -> None:
    assert vocab.resolve_country(text) == code


def test_every_name_and_alias_resolves_to_its_own_code() -> None:
    """Catches one alias shadowing another country's name (korea for both Koreas, say)."""
    pairs = keys("countries.json") + keys("aliases.json")
    wrong = {key: vocab.resolve_country(key) for code, key in pairs if vocab.resolve_country(key) != code}
    assert wrong == {}


def test_aliases_add_only_what_cldr_lacks() -> None:
    cldr = {(code, vocab.normalize(key)) for code, key in keys("countries.json")}
    hand = {(code, vocab.normalize(key)) for code, key in keys("aliases.json") if key != code}
    assert hand & cldr == set()


@pytest.mark.parametrize(
    ("text", "folded"), [("ＵＫ", "uk"), ("  Great \t Britain ", "great britain"), ("ｽｳｪｰﾃﾞﾝ", "スウェーデン")]
)
def test_normalize_folds_width_case_and_spaces(text: str, folded: str) -> None:
    assert vocab.normalize(text) == folded


@pytest.mark.parametrize("code", ["SE", "GB", "US", "EU"])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_country_names_come_from_cldr(code: str, lang: str) -> None:
    babel = pytest.importorskip("babel")
    assert vocab.country_name(code, lang) == babel.Locale(lang).territories[code]


@pytest.mark.parametrize(
    ("code", "lang", "name"),
    [
        ("ASEAN", "ja", "東南アジア諸国連合"),
        ("INTL", "en", "Multilateral"),
        ("SE", "ja", "スウェーデン"),
        ("XX", "en", "XX"),
    ],
)
def test_country_name(code: str, lang: str, name: str) -> None:
    assert vocab.country_name(code, lang) == name


def test_countries_json_is_what_the_script_generates() -> None:
    pytest.importorskip("babel")
    pytest.importorskip("pycountry")
    script = runpy.run_path(str(ROOT / "scripts" / "make_countries.py"))
    assert (VOCAB / "countries.json").read_text(encoding="utf-8") == script["render"](script["generate"]())


def test_countries_cover_iso_and_skip_macro_regions() -> None:
    pycountry = pytest.importorskip("pycountry")
    codes = set(data("countries.json"))
    assert {country.alpha_2 for country in pycountry.countries} | {"EU"} == codes


@pytest.mark.parametrize(("code", "known"), [("SE", True), ("EU", True), ("INTL", True), ("se", False), ("UK", False)])
def test_is_country_code(code: str, known: bool) -> None:
    assert vocab.is_country_code(code) is known


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("swedn", "Sweden (SE)"),
        ("Swedem", "Sweden (SE)"),
        ("スエーデン", "スウェーデン (SE)"),
        ("Germny", "Germany (DE)"),
    ],
)
def test_unknown_country_suggests_close_names(text: str, expected: str) -> None:
    with pytest.raises(UsageError) as caught:
        vocab.resolve_country(text)
    assert f"unknown country {text!r}; did you mean {expected}" in str(caught.value)


def test_unknown_country_without_close_names_says_what_is_accepted() -> None:
    with pytest.raises(UsageError, match=r"unknown country 'qqqqqq' \(.*ISO 3166"):
        vocab.resolve_country("qqqqqq")


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("quantum", "quantum"),
        ("量子技術", "quantum"),
        ("Quantum technology", "quantum"),
        ("北極科学", "arctic"),
        ("AI", "ai"),
        ("人工知能", "ai"),
        ("オプティクス・フォトニクス", "optics-photonics"),
        ("光", "optics-photonics"),
        ("保健", "health"),
        ("健康・医療", "health"),
        ("若手研究者交流", "researcher-exchange"),
        ("ＳＤＧｓ", "sdgs"),
        ("持続可能な開発目標", "sdgs"),
        ("物質科学", "materials"),
        ("aging", "ageing"),
        ("中性子", "quantum-beams"),
        ("neutrons", "quantum-beams"),
        ("科学技術政策", "science-policy"),
        ("Climate change", "climate"),
    ],
)
def test_resolve_field(text: str, slug: str) -> None:
    assert vocab.resolve_field(text) == slug


def test_every_field_name_and_alias_resolves_to_its_slug() -> None:
    pairs = [
        (slug, key)
        for slug, entry in data("fields.json").items()
        for key in (entry["en"], entry["ja"], *entry["aliases"])
    ]
    wrong = {key: vocab.resolve_field(key) for slug, key in pairs if vocab.resolve_field(key) != slug}
    assert wrong == {}


def test_unknown_field_suggests_and_points_at_the_list() -> None:
    with pytest.raises(UsageError) as caught:
        vocab.resolve_field("quantm")
    assert "did you mean Quantum technology (quantum)" in str(caught.value)
    assert "stidiplo fields" in str(caught.value)


def test_fields_are_data() -> None:
    assert vocab.known_fields() == tuple(data("fields.json"))
    assert {"quantum", "arctic", "quantum-beams", "science-policy"} <= set(vocab.known_fields())
    assert vocab.field_name("arctic", "ja") == "北極科学"
    assert vocab.field_name("no-such-field", "en") == "no-such-field"


@pytest.mark.parametrize("slug", data("fields.json"))
def test_field_slugs_are_slugs_with_both_names(slug: str) -> None:
    entry = data("fields.json")[slug]
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    assert entry["en"] and entry["ja"]


@pytest.mark.parametrize(("group", "values"), [("kinds", KINDS), ("statuses", STATUSES)])
def test_every_kind_and_status_has_labels(group: str, values: tuple[str, ...]) -> None:
    labels = data("labels.json")[group]
    assert set(labels) == set(values)
    assert all(labels[value]["en"] and labels[value]["ja"] for value in values)


def test_labels() -> None:
    assert vocab.kind_label("joint-call", "ja") == "共同公募"
    assert vocab.kind_label("joint-call", "en") == "joint call"
    assert vocab.status_label("coordinating", "ja") == "調整中"
    assert vocab.status_label("done", "ja") == "済"


@pytest.mark.parametrize(
    ("column", "ja"),
    [
        ("id", "ID"),
        ("date", "日付"),
        ("kind", "種別"),
        ("status", "状況"),
        ("countries", "国・地域"),
        ("fields", "分野"),
        ("title", "件名"),
        ("follows", "フォローアップ元"),
        ("place", "場所"),
        ("organizations", "機関"),
        ("count", "件数"),
    ],
)
def test_headers(column: str, ja: str) -> None:
    assert vocab.header(column, "ja") == ja
    assert vocab.header(column, "en").lower() == column


def test_resolving_a_code_imports_neither_cldr_library_nor_difflib() -> None:
    code = (
        "import sys, stidiplo.vocab\n"
        "print(stidiplo.vocab.resolve_country('SE'))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('babel', 'pycountry', 'difflib')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.stdout.splitlines() == ["SE", "[]"], result.stderr
