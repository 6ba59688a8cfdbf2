"""The shipped dataset: the MEXT briefing of spring 2019, one record per item, read as plain JSON.

These tests read data/db.json directly and do not import stidiplo, so they check the file itself.
"""

from __future__ import annotations

import json
import re
import unicodedata
from calendar import monthrange
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

DB = Path(__file__).resolve().parents[1] / "data" / "db.json"
STAMP = "2019-04-30T00:00:00Z"

RECORD_KEYS = {
    "kind",
    "title",
    "title_en",
    "date",
    "end",
    "countries",
    "fields",
    "status",
    "history",
    "follows",
    "related",
    "organizations",
    "people",
    "place",
    "participants",
    "amount",
    "sources",
    "notes",
    "created",
    "updated",
}
KINDS = {"meeting", "agreement", "joint-call", "event", "visit", "office", "program"}
STATUSES = {"exploring", "coordinating", "scheduled", "ongoing", "done", "dropped"}
FIELDS = {
    "quantum",
    "arctic",
    "ai",
    "optics-photonics",
    "space",
    "climate",
    "health",
    "neuroscience",
    "environment-energy",
    "digital",
    "researcher-exchange",
    "sdgs",
    "materials",
    "ageing",
    "sustainability",
    "quantum-beams",
    "innovation",
    "science-policy",
}
CODE = re.compile(r"[A-Z]{2}|EU|ASEAN|AFRICA|INTL")
ID = re.compile(r"[0-9a-f]{32}")
SOURCE = "MEXT briefing 2019 — "

# Items per country/bloc code, counted from the seed by page: EU status page (Moedas meeting, JST–ERC arrangement,
# the Oberkochen community conference, the Paris workshop, the EU Arctic call, the RIKEN Brussels office) plus ASM2
# (co-hosted by the EU); US pages (Córdova meeting, JST–NSF memorandum, JST–NSF call, Kyoto meeting, NSF quantum
# visit); UK pages (summit, working-level mechanism, RENKEI, its forum and workshop, the 2017 prosperity
# declaration) plus the UK quantum-researcher visit of the quantum pages; Germany page (two optics calls, summit, AI
# statement, JST–BMBF–ANR call, two AMED–DFG workshops) plus the BMBF visit, the Oberkochen conference and ASM2
# (Berlin); France page (JST–ANR framework, two CREST calls, the shared AI call) plus the Paris workshop; Sweden
# pages (summit, J-PARC–ESS arrangement, Lund visit, joint document, beamtime talks, MIRAI, its kick-off and two
# seminars, the 2015 STS forum attendance); China pages (1980 agreement, 16th committee, memorandum, platform call);
# ASEAN (bridging initiative, forum in Thailand); Africa (TICAD7 dialogue); Denmark (courtesy call, seminar) on the
# quantum pages; multilateral gatherings (STS forum 2018, ASM2, ASM3, ISEF2). An item counts once per code it lists.
EXPECTED_PER_COUNTRY = {
    "AFRICA": 1,
    "ASEAN": 2,
    "BE": 1,
    "CN": 4,
    "DE": 10,
    "DK": 2,
    "EU": 7,
    "FI": 1,
    "FR": 5,
    "GB": 7,
    "INTL": 4,
    "IS": 1,
    "SE": 10,
    "TH": 1,
    "US": 5,
}
# Items per kind, counted from the same pages: one record per meeting, agreement, joint call (a call and its
# selection are one item), event, visit, office and programme, each counted once even where several pages repeat it.
EXPECTED_PER_KIND = {
    "agreement": 10,
    "event": 12,
    "joint-call": 8,
    "meeting": 11,
    "office": 1,
    "program": 4,
    "visit": 6,
}

# Every Sweden item, by a piece of its English title.
SWEDEN = [
    "Japan–Sweden summit",
    "J-PARC and ESS exchange",
    "MEXT Minister visits Lund",
    "Joint document on strengthening Japan–Sweden S&T cooperation",
    "beamtime exchange",
    "MIRAI project",
    "MIRAI seminar kick-off meeting",
    "MIRAI Seminar 2017",
    "MIRAI Seminar 2018",
    "Swedish minister attends the STS forum",
]


def load() -> dict:
    return json.loads(DB.read_text(encoding="utf-8"))


DATA = load()
ITEMS: dict[str, dict] = DATA["items"]


def span(text: str) -> tuple[date, date]:
    """The first and last day a stored partial date stands for; ValueError for anything else."""
    if m := re.fullmatch(r"FY(\d{4})", text):
        y = int(m[1])
        return date(y, 4, 1), date(y + 1, 3, 31)
    if m := re.fullmatch(r"(\d{4})", text):
        y = int(m[1])
        return date(y, 1, 1), date(y, 12, 31)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        y, mo = int(m[1]), int(m[2])
        return date(y, mo, 1), date(y, mo, monthrange(y, mo)[1])
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        d = date(int(m[1]), int(m[2]), int(m[3]))
        return d, d
    raise ValueError(text)


def the(piece: str) -> str:
    """The id of the one item whose English title contains `piece`."""
    found = [i for i, r in ITEMS.items() if piece in r["title_en"]]
    assert len(found) == 1, f"{piece!r}: {len(found)} items"
    return found[0]


def followers(meeting_id: str) -> set[str]:
    return {i for i, r in ITEMS.items() if r["follows"] == meeting_id}


def normalised(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", unicodedata.normalize("NFKC", text).casefold()).split())


def test_the_file_is_written_deterministically() -> None:
    raw = DB.read_text(encoding="utf-8")
    assert raw == json.dumps(DATA, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def test_meta() -> None:
    assert set(DATA) == {"items", "meta"}
    assert DATA["meta"] == {"stidiplo": {"as_of": "2019-04", "schema_version": 1}}


def test_between_45_and_70_items_keyed_by_random_hex_ids() -> None:
    assert 45 <= len(ITEMS) <= 70
    assert all(ID.fullmatch(i) for i in ITEMS)


@pytest.mark.parametrize("item_id", sorted(ITEMS))
def test_record_shape(item_id: str) -> None:
    r = ITEMS[item_id]
    assert set(r) == RECORD_KEYS
    assert r["kind"] in KINDS
    assert r["status"] in STATUSES
    assert r["title"].strip() and r["title_en"].strip()
    assert r["created"] == STAMP and r["updated"] == STAMP
    for key in ("countries", "fields", "related", "organizations", "people", "sources", "notes", "history"):
        assert isinstance(r[key], list), key
    for key in ("end", "follows", "place", "participants", "amount"):
        assert r[key] is None or r[key], key
    assert r["sources"] and r["sources"][0].startswith(SOURCE)
    assert all(n["at"] == "2019-04" and n["text"].strip() and set(n) == {"at", "text"} for n in r["notes"])
    if r["amount"] is not None:
        assert set(r["amount"]) == {"value", "currency", "detail"}
        assert isinstance(r["amount"]["value"], int | float) and r["amount"]["currency"] == "JPY"


@pytest.mark.parametrize("item_id", sorted(ITEMS))
def test_dates(item_id: str) -> None:
    r = ITEMS[item_id]
    first, _ = span(r["date"])
    if r["end"] is not None:
        _, last = span(r["end"])
        assert last >= first
        assert r["end"] != r["date"]
    for change in r["history"]:
        span(change["at"])


@pytest.mark.parametrize("item_id", sorted(ITEMS))
def test_codes_and_fields(item_id: str) -> None:
    r = ITEMS[item_id]
    assert r["countries"], "every item has a country or bloc"
    assert all(CODE.fullmatch(c) for c in r["countries"])
    assert "JP" not in r["countries"]
    assert r["countries"] == sorted(set(r["countries"]))
    assert r["fields"] and r["fields"] == sorted(set(r["fields"])) and set(r["fields"]) <= FIELDS


@pytest.mark.parametrize("item_id", sorted(ITEMS))
def test_history_ends_with_the_status(item_id: str) -> None:
    history = ITEMS[item_id]["history"]
    assert history
    assert all(set(h) == {"at", "status"} and h["status"] in STATUSES for h in history)
    assert history[-1]["status"] == ITEMS[item_id]["status"]
    changes = zip(history, history[1:], strict=False)
    assert all(a["status"] != b["status"] for a, b in changes), "each entry is a change"
    starts = [span(h["at"])[0] for h in history]
    assert starts == sorted(starts), "oldest first"


@pytest.mark.parametrize("item_id", sorted(ITEMS))
def test_links_resolve(item_id: str) -> None:
    r = ITEMS[item_id]
    if r["follows"] is not None:
        assert r["follows"] in ITEMS and r["follows"] != item_id
        assert ITEMS[r["follows"]]["kind"] == "meeting"
    assert r["related"] == sorted(set(r["related"]))
    assert all(ref in ITEMS and ref != item_id for ref in r["related"])


def test_no_duplicates() -> None:
    keys = Counter((r["kind"], r["date"], normalised(r["title_en"])) for r in ITEMS.values())
    assert [k for k, n in keys.items() if n > 1] == []
    titles = Counter(r["title"] for r in ITEMS.values())
    assert [t for t, n in titles.items() if n > 1] == []
    titles_en = Counter(normalised(r["title_en"]) for r in ITEMS.values())
    assert [t for t, n in titles_en.items() if n > 1] == []


def test_counts_per_country() -> None:
    assert dict(Counter(c for r in ITEMS.values() for c in r["countries"])) == EXPECTED_PER_COUNTRY


def test_counts_per_kind() -> None:
    assert dict(Counter(r["kind"] for r in ITEMS.values())) == EXPECTED_PER_KIND


def test_sweden_items() -> None:
    sweden = {i for i, r in ITEMS.items() if "SE" in r["countries"]}
    assert sweden == {the(piece) for piece in SWEDEN}
    doc = ITEMS[the("Joint document on strengthening Japan–Sweden")]
    assert doc["date"] == "2018-10-10" and doc["place"] == "Tokyo"
    assert any("Magnus Robach" in p for p in doc["people"]) and any("YAMAWAKI" in p for p in doc["people"])
    ess = ITEMS[the("J-PARC and ESS exchange")]
    assert ess["date"] == "2017-07-09" and ess["follows"] == the("Japan–Sweden summit")


def test_the_eu_status_page() -> None:
    meeting = the("meets Carlos Moedas")
    assert ITEMS[meeting]["kind"] == "meeting" and ITEMS[meeting]["date"] == "2018-01"
    assert ITEMS[meeting]["countries"] == ["EU"] and ITEMS[meeting]["place"] == "Brussels, Belgium"
    assert followers(meeting) == {
        the("JST and the ERC sign an implementing arrangement"),
        the("European quantum technology community conference"),
        the("Japan–EU quantum technology workshop"),
        the("ASM3"),
        the("EU research call in Arctic science"),
        the("RIKEN opens its Europe office"),
    }
    erc = ITEMS[the("JST and the ERC")]
    assert erc["date"] == "2018-10-07" and "https://www.jst.go.jp/report/2018/181009.html" in erc["sources"]
    workshop = ITEMS[the("Japan–EU quantum technology workshop")]
    assert (workshop["date"], workshop["end"], workshop["place"]) == ("2018-09-03", "2018-09-04", "Paris, France")
    assert the("European quantum technology community conference") in workshop["related"]


def test_the_us_status_pages() -> None:
    meeting = the("meets NSF Director France Córdova")
    assert ITEMS[meeting]["date"] == "2018-05"
    assert followers(meeting) == {
        the("JST and NSF sign"),
        the("JST–NSF joint call"),
        the("Minister Shibayama meets NSF Director Córdova in Kyoto"),
        the("NSF quantum technology expert team"),
    }
    assert ITEMS[the("JST–NSF joint call")]["status"] == "coordinating"
    assert ITEMS[the("in Kyoto")]["date"] == "2018-10-07"


def test_other_follow_ups() -> None:
    assert followers(the("Japan–UK summit")) == {the("working-level meetings")}
    assert ITEMS[the("working-level meetings")]["status"] == "coordinating"
    assert followers(the("Japan–Germany summit")) == {
        the("joint statement on cooperation in promoting AI"),
        the("JST–BMBF–ANR joint call"),
    }
    committee = the("16th Japan–China Committee")
    assert ITEMS[committee]["date"] == "2018-08-23"
    assert followers(committee) == {the("memorandum of cooperation on building"), the("JST–MOST joint call")}
    for meeting in ("ASM2", "ISEF2", "Japan–Sweden summit"):
        assert ITEMS[the(meeting)]["status"] == "done"


def test_items_recorded_once_though_the_seed_repeats_them() -> None:
    ai_call = ITEMS[the("JST–BMBF–ANR joint call")]
    assert ai_call["countries"] == ["DE", "FR"] and ai_call["status"] == "coordinating"
    assert len([r for r in ITEMS.values() if "ASM3" in r["title"]]) == 1
    optics = [r for r in ITEMS.values() if "オプティクス・フォトニクス" in r["title"]]
    assert len(optics) == 2  # the first call and the second, in coordination


def test_joint_calls() -> None:
    china = ITEMS[the("JST–MOST joint call")]
    assert (china["date"], china["status"]) == ("2018-01", "ongoing")
    assert china["amount"]["value"] == 60000000
    assert the("memorandum of cooperation on building") in china["related"]
    germany = ITEMS[the("SICORP Japan–Germany joint call")]
    assert (germany["date"], germany["status"], germany["amount"]["value"]) == ("2017-09", "ongoing", 54000000)
    assert len(germany["people"]) == 3
    second = ITEMS[the("Second JST–BMBF joint call")]
    assert second["status"] == "coordinating" and the("SICORP Japan–Germany joint call") in second["related"]
    framework = the("JST and ANR agree a cooperation framework")
    for call in ("CREST Japan–France joint call: symbiotic", "CREST Japan–France joint call: advanced control"):
        assert ITEMS[the(call)]["related"] == [framework]
        assert ITEMS[the(call)]["date"] == "2018-04"


def test_pending_items_carry_the_seeds_status_words() -> None:
    expected = {
        "JST–NSF joint call": "coordinating",
        "Second JST–BMBF joint call": "coordinating",
        "joint statement on cooperation in promoting AI": "coordinating",
        "JST–BMBF–ANR joint call": "coordinating",
        "working-level meetings": "coordinating",
        "Next AMED–DFG workshop": "coordinating",
        "Visit of UK quantum researchers": "exploring",
        "beamtime exchange": "exploring",
        "Multi-Stakeholder Strategic Consultancy Forum": "scheduled",
        "TICAD7": "scheduled",
        "ASM3": "scheduled",
    }
    assert {piece: ITEMS[the(piece)]["status"] for piece in expected} == expected
    pending = {i for i, r in ITEMS.items() if r["status"] in {"exploring", "coordinating", "scheduled"}}
    assert pending == {the(piece) for piece in expected}
    assert ITEMS[the("Next AMED–DFG workshop")]["date"] == "FY2020"
    assert ITEMS[the("Multi-Stakeholder Strategic Consultancy Forum")]["countries"] == ["ASEAN", "TH"]
