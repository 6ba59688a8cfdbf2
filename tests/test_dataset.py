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
    "date_estimated",
    "end",
    "end_estimated",
    "countries",
    "fields",
    "status",
    "history",
    "follows",
    "related",
    "organizations",
    "programmes",
    "people",
    "people_en",
    "place",
    "place_en",
    "participants",
    "participants_en",
    "amount",
    "sources",
    "provenance",
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
DOCUMENT = "MEXT briefing, spring 2019"
PAGES = 34
PROGRAMMES = {"CREST", "SICORP", "SATREPS", "ArCS"}
CURATION = re.compile(
    r"\bse{2}d\b|\brecorded\b|\bdataset\b|\b(?:the|its|a|no|our) sources?\b|the document|資料上|本資料|出典",
    re.IGNORECASE,
)
"""Words of a note about how the record was made, which belongs in the provenance, never in the notes."""

# Items per country/bloc code, counted from data/SOURCES.md: for each row of its two item tables (61 dated
# happenings, 9 undated items) the countries of the page and heading it is reported under, plus the partners the
# document names for it (the Japan–EU workshop is also France's, ASM2 Germany's and the EU's, ISEF2 and its outcome
# documents international). An item counts once per code it lists, so the sum (86) exceeds the 70 items.
EXPECTED_PER_COUNTRY = {
    "AFRICA": 1,
    "ASEAN": 2,
    "BE": 1,
    "CN": 7,
    "DE": 12,
    "DK": 2,
    "EU": 9,
    "FI": 2,
    "FR": 8,
    "GB": 10,
    "INTL": 11,
    "IS": 2,
    "SE": 11,
    "TH": 1,
    "US": 5,
}
# Items per kind: the kind column of the two tables of data/SOURCES.md (dated: event 17, agreement 16, meeting 10,
# program 6, visit 6, joint-call 5, office 1; undated: agreement 2, joint-call 3, program 2, meeting 1, visit 1).
# A call's opening and its selection of projects are two items (the selection an event), so there are more events.
EXPECTED_PER_KIND = {
    "agreement": 18,
    "event": 17,
    "joint-call": 8,
    "meeting": 11,
    "office": 1,
    "program": 8,
    "visit": 7,
}
# Statuses as of April 2019 by the lifecycle (AUDIT-NOTES.md): every happening that took place is done, the five
# opened calls and four running programmes are ongoing, and the document's words decide the pending ones.
EXPECTED_PER_STATUS = {"done": 49, "ongoing": 9, "coordinating": 7, "scheduled": 4, "exploring": 1}

# Every Sweden item, by a piece of its English title (pages 14 to 17 and the STS forum of 2015).
SWEDEN = [
    "Japan–Sweden summit",
    "J-PARC and ESS exchange a memorandum",
    "J-PARC and ESS first conclude",
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
    return {i for i, r in ITEMS.items() if meeting_id in r["follows"]}


def normalised(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", unicodedata.normalize("NFKC", text).casefold()).split())


def test_the_file_is_written_deterministically() -> None:
    raw = DB.read_text(encoding="utf-8")
    assert raw == json.dumps(DATA, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def test_meta() -> None:
    assert set(DATA) == {"items", "meta"}
    assert DATA["meta"] == {"stidiplo": {"as_of": "2019-04", "schema_version": 2}}


def test_seventy_items_keyed_by_random_hex_ids() -> None:
    assert len(ITEMS) == 70  # 61 dated happenings and 9 undated items: the rows of SOURCES.md's two item tables
    assert all(ID.fullmatch(i) for i in ITEMS)


@pytest.mark.parametrize("item_id", sorted(ITEMS))
def test_record_shape(item_id: str) -> None:
    r = ITEMS[item_id]
    assert set(r) == RECORD_KEYS
    assert r["kind"] in KINDS
    assert r["status"] in STATUSES
    assert r["title"].strip() and r["title_en"].strip()
    assert r["created"] == STAMP and r["updated"] == STAMP
    for key in ("countries", "fields", "related", "follows", "organizations", "programmes", "people", "people_en"):
        assert isinstance(r[key], list), key
    for key in ("end", "place", "place_en", "participants", "participants_en", "amount", "provenance"):
        assert r[key] is None or r[key], key
    assert len(r["people"]) == len(r["people_en"]), "people in both languages"
    assert (r["place"] is None) == (r["place_en"] is None), "a place in both languages or none"
    assert not set(r["organizations"]) & PROGRAMMES, "programmes are not organisations"
    assert set(r["programmes"]) <= PROGRAMMES
    if r["amount"] is not None:
        assert set(r["amount"]) == {"value", "currency", "detail", "detail_en"}
        assert isinstance(r["amount"]["value"], int) and r["amount"]["currency"] == "JPY"


@pytest.mark.parametrize("item_id", sorted(ITEMS))
def test_every_item_rests_on_the_briefing_with_its_page_and_words(item_id: str) -> None:
    sources = ITEMS[item_id]["sources"]
    cited = [s for s in sources if s["document"] == DOCUMENT]
    assert cited, "at least one source is the briefing"
    for source in cited:
        assert set(source) == {"document", "page", "heading", "quote"}
        assert 1 <= int(source["page"]) <= PAGES and source["heading"].strip() and source["quote"].strip()
    links = [s for s in sources if s["document"] != DOCUMENT]
    assert all(s["document"].startswith("https://") and s["page"] is None for s in links)


@pytest.mark.parametrize("item_id", sorted(ITEMS))
def test_notes_are_facts_in_both_languages_never_how_the_record_was_made(item_id: str) -> None:
    for note in ITEMS[item_id]["notes"]:
        assert set(note) == {"at", "text", "text_en"}
        assert note["text"].strip() and note["text_en"].strip()
        assert not CURATION.search(note["text_en"]), note["text_en"]
        assert not CURATION.search(note["text"]), note["text"]


def test_the_words_of_a_note_about_the_record_are_caught() -> None:
    for made in ("The " + "se" + "ed gives no date", "recorded once", "kept in the dataset", "as the source says"):
        assert CURATION.search(made)
    assert not CURATION.search("Signed and in force since 1980")


@pytest.mark.parametrize("item_id", sorted(ITEMS))
def test_dates(item_id: str) -> None:
    r = ITEMS[item_id]
    if r["date"] is None:
        assert r["end"] is None and not r["date_estimated"] and not r["end_estimated"]
        assert r["status"] in {"exploring", "coordinating", "scheduled"} or r["kind"] == "agreement"
    else:
        first, _ = span(r["date"])
        if r["end"] is not None:
            _, last = span(r["end"])
            assert last >= first and r["end"] != r["date"]
    for change in r["history"]:
        span(change["at"])


@pytest.mark.parametrize("item_id", sorted(ITEMS))
def test_codes_and_fields(item_id: str) -> None:
    r = ITEMS[item_id]
    assert r["countries"], "every item has a country or bloc"
    assert all(CODE.fullmatch(c) for c in r["countries"])
    assert "JP" not in r["countries"]
    assert len(r["countries"]) == len(set(r["countries"]))
    assert r["fields"] and len(r["fields"]) == len(set(r["fields"])) and set(r["fields"]) <= FIELDS


@pytest.mark.parametrize("item_id", sorted(ITEMS))
def test_history_ends_with_the_status(item_id: str) -> None:
    history = ITEMS[item_id]["history"]
    assert history
    assert all(set(h) == {"at", "status"} and h["status"] in STATUSES for h in history)
    assert history[-1]["status"] == ITEMS[item_id]["status"]


@pytest.mark.parametrize("item_id", sorted(ITEMS))
def test_links_resolve(item_id: str) -> None:
    r = ITEMS[item_id]
    assert len(r["follows"]) == len(set(r["follows"]))
    for meeting in r["follows"]:
        assert meeting in ITEMS and meeting != item_id and ITEMS[meeting]["kind"] == "meeting"
    assert all(ref in ITEMS and ref != item_id for ref in r["related"])


@pytest.mark.parametrize("item_id", sorted(ITEMS))
def test_a_follow_up_comes_after_one_of_its_meetings(item_id: str) -> None:
    r = ITEMS[item_id]
    meetings = [ITEMS[m] for m in r["follows"] if ITEMS[m]["date"]]
    if r["date"] and meetings:
        assert any(span(r["end"] or r["date"])[1] >= span(m["date"])[0] for m in meetings)


def test_no_duplicates() -> None:
    keys = Counter((r["kind"], r["date"], normalised(r["title_en"])) for r in ITEMS.values())
    assert [k for k, n in keys.items() if n > 1] == []
    titles_en = Counter(normalised(r["title_en"]) for r in ITEMS.values())
    assert [t for t, n in titles_en.items() if n > 1] == []


def test_counts_per_country() -> None:
    assert dict(Counter(c for r in ITEMS.values() for c in r["countries"])) == EXPECTED_PER_COUNTRY


def test_counts_per_kind() -> None:
    assert dict(Counter(r["kind"] for r in ITEMS.values())) == EXPECTED_PER_KIND


def test_counts_per_status() -> None:
    assert dict(Counter(r["status"] for r in ITEMS.values())) == EXPECTED_PER_STATUS


def test_sweden_items() -> None:
    sweden = {i for i, r in ITEMS.items() if "SE" in r["countries"]}
    assert sweden == {the(piece) for piece in SWEDEN}
    doc = ITEMS[the("Joint document on strengthening Japan–Sweden")]
    assert doc["date"] == "2018-10-10" and doc["place_en"] == "Tokyo"
    assert any("Magnus Robach" in p for p in doc["people_en"]) and any("山脇" in p for p in doc["people"])
    assert any("Deputy Minister" in p for p in doc["people_en"])
    ess = ITEMS[the("J-PARC and ESS exchange a memorandum")]
    assert ess["date"] == "2017-07-09" and ess["follows"] == [the("Japan–Sweden summit")]
    assert ess["title"] == "量子ビーム研究施設（J-PARC）の研究協力に関する覚書交換"


def test_the_eu_status_page() -> None:
    meeting = the("meets Carlos Moedas")
    assert ITEMS[meeting]["kind"] == "meeting" and ITEMS[meeting]["date"] == "2018-01"
    assert ITEMS[meeting]["countries"] == ["EU"] and ITEMS[meeting]["place_en"] == "Brussels"
    assert followers(meeting) == {
        the("JST and the ERC sign an implementing arrangement"),
        the("European quantum technology community conference"),
        the("Japan–EU quantum technology workshop"),
        the("ASM2 unanimously approves"),
        the("Third Arctic Science Ministerial (ASM3)"),
        the("EU research call in Arctic science"),
        the("Exchange of letters"),
        the("RIKEN opens its Europe office"),
    }
    erc = ITEMS[the("JST and the ERC")]
    links = [s["document"] for s in erc["sources"]]
    assert erc["date"] == "2018-10-07" and "https://www.jst.go.jp/report/2018/181009.html" in links
    workshop = ITEMS[the("Japan–EU quantum technology workshop")]
    assert (workshop["date"], workshop["end"], workshop["place_en"]) == ("2018-09-03", "2018-09-04", "Paris, France")
    assert the("European quantum technology community conference") in workshop["related"]
    call = ITEMS[the("EU research call in Arctic science")]
    assert (call["status"], call["programmes"]) == ("ongoing", ["ArCS"])


def test_asm3_follows_every_meeting_that_reports_it() -> None:
    asm3 = ITEMS[the("Third Arctic Science Ministerial (ASM3)")]
    assert set(asm3["follows"]) == {
        the("meets Carlos Moedas"),
        the("meets NSF Director France Córdova"),
        the("Minister Shibayama meets NSF Director Córdova in Kyoto"),
        "616c3467baa9431b87bcb8f44da9d501",  # ASM2 itself, not its joint statement
    }
    assert (asm3["date"], asm3["status"]) == ("2020", "scheduled")


def test_the_us_status_pages() -> None:
    meeting = the("meets NSF Director France Córdova")
    assert ITEMS[meeting]["date"] == "2018-05"
    assert followers(meeting) == {
        the("JST and NSF sign"),
        the("JST–NSF joint call"),
        the("Minister Shibayama meets NSF Director Córdova in Kyoto"),
        the("NSF quantum technology expert team"),
        the("ASM2 unanimously approves"),
        the("Third Arctic Science Ministerial (ASM3)"),
    }
    call = ITEMS[the("JST–NSF joint call")]
    assert (call["status"], call["date"]) == ("coordinating", None)
    assert ITEMS[the("in Kyoto")]["date"] == "2018-10-07"


def test_selections_are_events_of_their_own_related_to_their_call() -> None:
    selections = {i: r for i, r in ITEMS.items() if r["kind"] == "event" and "elect" in r["title_en"]}
    assert len(selections) == 4  # the optics, CREST AI, CREST quantum and Japan–China selections
    for selection in selections.values():
        call = ITEMS[selection["related"][0]]
        assert call["kind"] == "joint-call" and call["status"] == "ongoing"
        assert span(selection["date"])[0] >= span(call["date"])[0]


def test_the_japan_china_call_opened_before_the_committee_and_follows_no_meeting() -> None:
    china = ITEMS[the("JST–MOST joint call")]
    assert (china["date"], china["status"], china["follows"]) == ("2018-01", "ongoing", [])
    committee = the("16th Japan–China Committee")
    assert ITEMS[committee]["date"] == "2018-08-23"
    support = [r for r in ITEMS.values() if r["amount"] and r["amount"]["value"] == 60000000]
    assert len(support) == 1 and support[0]["follows"] == [committee] and support[0]["date"] == "2019-04"
    assert "420" in support[0]["amount"]["detail_en"] and "per year" not in support[0]["amount"]["detail"]


def test_pending_items_carry_the_briefings_status_words_and_no_invented_date() -> None:
    expected = {
        "JST–NSF joint call": "coordinating",
        "Second JST–BMBF joint call": "coordinating",
        "Joint statement on Japan–Germany cooperation in promoting AI": "coordinating",
        "JST–BMBF–ANR joint call": "coordinating",
        "working-level meetings": "coordinating",
        "AMED–DFG cooperation in neuroscience": "coordinating",
        "beamtime exchange": "coordinating",
        "Visit of UK quantum researchers": "exploring",
        "Multi-Stakeholder Strategic Consultancy Forum": "scheduled",
        "TICAD7": "scheduled",
        "Third Arctic Science Ministerial (ASM3)": "scheduled",
        "RENKEI adds health": "scheduled",
    }
    assert {piece: ITEMS[the(piece)]["status"] for piece in expected} == expected
    pending = {i for i, r in ITEMS.items() if r["status"] in {"exploring", "coordinating", "scheduled"}}
    assert pending == {the(piece) for piece in expected}
    for piece in ("JST–NSF joint call", "Second JST–BMBF", "JST–BMBF–ANR", "TICAD7", "UK quantum researchers"):
        assert ITEMS[the(piece)]["date"] is None, piece
    assert ITEMS[the("AMED–DFG cooperation in neuroscience")]["date"] == "FY2020"


def test_words_the_audit_corrected() -> None:
    de = ITEMS[the("Japan–China Agreement on Cooperation")]
    assert "発効" in de["notes"][0]["text"] and "発行" not in de["notes"][0]["text"]
    for piece in ("Lund", "MIRAI Seminar 2018", "Joint document on strengthening"):
        people = " ".join(ITEMS[the(piece)]["people_en"])
        assert "Vice-Minister for International Affairs" not in people
    assert all("（次回）" not in r["title"] for r in ITEMS.values())
    assert ITEMS[the("MIRAI seminar kick-off meeting")]["title"] == "MIRAIセミナー kick-off meeting"
