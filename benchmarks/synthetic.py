"""Synthetic trackers shaped like the real one: meetings, what followed them, in Japanese and English.

Everything is drawn from a seeded generator, so a size always gives the same items. The records
are written in the tracker file's documented form (the `items` and `meta` tables, keys sorted,
indented); rivals.py writes the same items in the formats of the trackers compared.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SEED = 20190430
AS_OF = "2019-04"

COUNTRIES = {
    "US": ("米国", "the US"),
    "GB": ("英国", "the UK"),
    "DE": ("ドイツ", "Germany"),
    "FR": ("フランス", "France"),
    "SE": ("スウェーデン", "Sweden"),
    "FI": ("フィンランド", "Finland"),
    "NO": ("ノルウェー", "Norway"),
    "DK": ("デンマーク", "Denmark"),
    "NL": ("オランダ", "the Netherlands"),
    "CH": ("スイス", "Switzerland"),
    "IT": ("イタリア", "Italy"),
    "ES": ("スペイン", "Spain"),
    "CN": ("中国", "China"),
    "KR": ("韓国", "Korea"),
    "IN": ("インド", "India"),
    "AU": ("オーストラリア", "Australia"),
    "CA": ("カナダ", "Canada"),
    "SG": ("シンガポール", "Singapore"),
    "TH": ("タイ", "Thailand"),
    "VN": ("ベトナム", "Vietnam"),
    "ID": ("インドネシア", "Indonesia"),
    "ZA": ("南アフリカ", "South Africa"),
    "BR": ("ブラジル", "Brazil"),
    "IL": ("イスラエル", "Israel"),
    "EU": ("EU", "the EU"),
    "ASEAN": ("ASEAN", "ASEAN"),
    "AFRICA": ("アフリカ", "Africa"),
}
COUNTRY_WEIGHTS = {"US": 8, "EU": 8, "GB": 6, "DE": 6, "FR": 5, "SE": 4, "CN": 4, "KR": 3, "IN": 3}
FIELDS = {
    "ageing": ("高齢化", "ageing"),
    "ai": ("人工知能", "AI"),
    "arctic": ("北極科学", "Arctic science"),
    "climate": ("気候変動", "climate change"),
    "digital": ("デジタルイノベーション", "digital innovation"),
    "environment-energy": ("環境・エネルギー", "environment and energy"),
    "health": ("健康・医療", "health"),
    "innovation": ("イノベーション", "innovation"),
    "materials": ("材料科学", "materials science"),
    "neuroscience": ("神経科学", "neuroscience"),
    "optics-photonics": ("光・フォトニクス", "optics and photonics"),
    "quantum": ("量子技術", "quantum technology"),
    "quantum-beams": ("量子ビーム", "quantum beams"),
    "researcher-exchange": ("若手研究者交流", "young researcher exchange"),
    "sdgs": ("SDGs", "the SDGs"),
    "science-policy": ("科学技術政策", "S&T policy"),
    "space": ("宇宙", "space"),
    "sustainability": ("持続可能性", "sustainability"),
}
JAPAN_ORGS = ("MEXT", "JST", "JSPS", "AMED", "RIKEN", "KEK", "JAEA", "NIMS", "QST")
PARTNER_ORGS = (
    "NSF",
    "DOE",
    "NIST",
    "UKRI",
    "British Council",
    "BMBF",
    "DFG",
    "ANR",
    "CEA",
    "Vinnova",
    "STINT",
    "ERC",
    "European Commission",
    "MOST",
    "NRF",
    "DST",
    "CSIRO",
    "NSERC",
    "A*STAR",
    "NSTDA",
)
PEOPLE = (
    "Carlos Moedas",
    "France Córdova",
    "Helene Hellmark Knutsson",
    "林芳正",
    "柴山昌彦",
    "濵口道成",
    "Anja Karliczek",
    "Frédérique Vidal",
    "Chris Skidmore",
    "王志剛",
)
PLACES = (
    "Tokyo",
    "Brussels, Belgium",
    "Washington DC",
    "London",
    "Berlin",
    "Paris, France",
    "Stockholm",
    "Lund, Sweden",
    "Beijing",
    "Seoul",
    "New Delhi",
    "Singapore",
    "Kyoto",
    "Tsukuba",
    "Geneva",
)
NOTES = (
    "先方より次回会合の日程案の提示あり",
    "JST confirmed the call opens in May",
    "公募要領を調整中。採択は年度内の見込み",
    "Counterpart asked for a list of candidate themes",
    "大臣会談の際に進捗を説明予定",
    "Budget request submitted for the next fiscal year",
    "ワークショップ報告書を共有済み",
    "Agreed to hold a follow-up videoconference",
)


def _id(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def _pick_countries(rng: random.Random) -> list[str]:
    codes = list(COUNTRIES)
    weights = [COUNTRY_WEIGHTS.get(code, 1) for code in codes]
    chosen: list[str] = []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        code = rng.choices(codes, weights)[0]
        if code not in chosen:
            chosen.append(code)
    return chosen


def _date(rng: random.Random, year: int) -> tuple[str, str | None]:
    """A stored partial date (day, month, year or fiscal year) and, for some, the end of a range."""
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    shape = rng.random()
    if shape < 0.55:
        end = f"{year:04d}-{month:02d}-{min(day + rng.randint(1, 3), 28):02d}" if rng.random() < 0.15 else None
        return f"{year:04d}-{month:02d}-{day:02d}", end
    if shape < 0.85:
        return f"{year:04d}-{month:02d}", None
    if shape < 0.93:
        return f"{year:04d}", None
    return f"FY{year:04d}", None


def _stamp(year: int, rng: random.Random) -> str:
    return f"{min(year, 2019):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T0{rng.randint(0, 9)}:15:00Z"


def _status(rng: random.Random, year: int) -> tuple[str, list[str]]:
    """The current status and the statuses it went through, oldest first."""
    if year > 2019:
        path = rng.choice((["exploring"], ["exploring", "coordinating"], ["coordinating", "scheduled"]))
    elif year == 2019:
        path = rng.choice((["coordinating"], ["coordinating", "scheduled"], ["scheduled", "ongoing"], ["done"]))
    else:
        path = rng.choice(
            (["done"], ["scheduled", "done"], ["coordinating", "done"], ["ongoing"], ["exploring", "dropped"], ["done"])
        )
    return path[-1], path


def _meeting(rng: random.Random, number: int) -> tuple[dict, int]:
    countries = _pick_countries(rng)[:1]
    ja, en = COUNTRIES[countries[0]]
    year = rng.randint(2008, 2020)
    date, _ = _date(rng, year)
    if rng.random() < 0.5:
        title = f"文部科学大臣と{ja}科学技術担当大臣の会談"
        title_en = f"Minister meets {en}'s science minister"
    else:
        title = f"第{number % 40 + 1}回日{ja}科学技術協力合同委員会"
        title_en = f"Japan–{en} joint committee on S&T cooperation ({number % 40 + 1})"
    record = {
        "kind": "meeting",
        "title": title,
        "title_en": title_en,
        "date": date,
        "end": None,
        "countries": countries,
        "fields": ["science-policy"],
        "status": "done" if year <= 2019 else "scheduled",
        "place": rng.choice(PLACES),
        "people": rng.sample(PEOPLE, rng.randint(0, 2)),
        "organizations": ["MEXT", *rng.sample(PARTNER_ORGS, 1)],
    }
    return record, year


FOLLOWUPS = {
    "agreement": (
        "{org}と{partner}の{field}分野の実施取極に署名",
        "{org} and {partner} sign an arrangement on {field_en}",
    ),
    "joint-call": ("{org}・{partner}共同公募（{field}）", "{org}–{partner} joint call on {field_en}"),
    "event": ("日{country}{field}ワークショップ", "Japan–{country_en} workshop on {field_en}"),
    "visit": ("{partner}の{field}専門家の来訪", "{partner} {field_en} experts visit Japan"),
    "office": ("{org}{country}事務所の開設", "{org} opens an office in {country_en}"),
    "program": ("{field}分野の若手研究者交流プログラム", "Researcher exchange programme on {field_en}"),
}


def _followup(rng: random.Random, meeting_id: str | None, meeting: dict | None, meeting_year: int) -> tuple[dict, int]:
    kind = rng.choice(list(FOLLOWUPS))
    countries = list(meeting["countries"]) if meeting else []
    for code in _pick_countries(rng):
        if len(countries) < 3 and code not in countries:
            countries.append(code)
    fields = rng.sample(list(FIELDS), rng.randint(1, 2))
    ja, en = COUNTRIES[countries[0]]
    field_ja, field_en = FIELDS[fields[0]]
    org, partner = rng.choice(JAPAN_ORGS), rng.choice(PARTNER_ORGS)
    words = {"org": org, "partner": partner, "field": field_ja, "field_en": field_en, "country": ja, "country_en": en}
    title, title_en = (text.format(**words) for text in FOLLOWUPS[kind])
    year = min(meeting_year + rng.randint(0, 3), 2023)
    date, end = _date(rng, year)
    record = {
        "kind": kind,
        "title": title,
        "title_en": title_en if rng.random() < 0.85 else None,
        "date": date,
        "end": end,
        "countries": countries,
        "fields": fields,
        "follows": [meeting_id] if meeting_id else [],
        "organizations": [org, partner],
        "people": [],
        "place": rng.choice(PLACES) if kind == "event" else None,
        "participants": f"{rng.randint(20, 200)} from {rng.randint(2, 25)} countries" if kind == "event" else None,
        "amount": {"value": rng.choice((18, 30, 54)) * 1_000_000, "currency": "JPY", "detail": "per project, max"}
        if kind == "joint-call"
        else None,
    }
    return record, year


def items(count: int, seed: int = SEED) -> dict[str, dict]:
    """`count` stored records by id: one meeting in eight, the rest mostly following one."""
    rng = random.Random(seed * 1_000_003 + count)
    records: dict[str, dict] = {}
    meetings: list[tuple[str, dict, int]] = []
    for number in range(count):
        if number % 8 == 0:
            record, year = _meeting(rng, number)
        else:
            meeting_id, meeting, meeting_year = rng.choice(meetings) if rng.random() < 0.85 else (None, None, 2016)
            record, year = _followup(rng, meeting_id, meeting, meeting_year)
        status, path = _status(rng, year) if record["kind"] != "meeting" else (record["status"], [record["status"]])
        created = _stamp(year - 1, rng)
        record.update(
            status=status,
            history=[{"at": created, "status": step} for step in path],
            notes=[{"at": _stamp(year, rng), "text": rng.choice(NOTES)} for _ in range(rng.choice((0, 0, 1, 2)))],
            sources=[{"document": f"https://www.mext.go.jp/b_menu/houdou/{year}/{rng.randint(1000, 9999)}.htm"}]
            if rng.random() < 0.4
            else [],
            related=[],
            created=created,
            updated=_stamp(year, rng),
        )
        for key in ("amount", "end", "participants", "place", "title_en"):
            record.setdefault(key, None)
        record.setdefault("follows", [])
        item_id = _id(rng)
        records[item_id] = record
        if record["kind"] == "meeting":
            meetings.append((item_id, record, year))
    return records


def write_tracker(path: Path, records: dict[str, dict]) -> int:
    """Write a tracker file holding `records`; returns its size in bytes."""
    data = {"items": records, "meta": {"stidiplo": {"as_of": AS_OF, "schema_version": 2}}}
    payload = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    path.write_text(payload, encoding="utf-8")
    return path.stat().st_size


def write_import_file(path: Path, records: dict[str, dict]) -> None:
    """The records as `stidiplo export --format json` writes them: an array of objects with ids."""
    rows = [{"id": item_id, **record} for item_id, record in records.items()]
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
