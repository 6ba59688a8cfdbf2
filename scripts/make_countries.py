"""Generate stidiplo/vocab/countries.json: country names in English and Japanese from CLDR.

The tracker must not import babel or pycountry at run time (start-up is measured), so their data
is frozen into a committed file. Run this script again after upgrading either library:

    python scripts/make_countries.py
"""

from __future__ import annotations

import json
from pathlib import Path

import pycountry
from babel import Locale

OUT = Path(__file__).resolve().parents[1] / "stidiplo" / "vocab" / "countries.json"

CLDR_BLOCS = ("EU",)
"""Codes the tracker uses that CLDR names but ISO 3166-1 only reserves."""


def generate() -> dict[str, dict]:
    """Every ISO 3166-1 alpha-2 code (plus CLDR_BLOCS): its CLDR names, and as aliases its alpha-3 code
    and the ISO 3166 names that differ from CLDR's ("Korea, Republic of", "Czech Republic", "South Korea")."""
    en, ja = Locale("en").territories, Locale("ja").territories
    iso = {country.alpha_2: country for country in pycountry.countries}
    return {
        code: {"aliases": iso_aliases(iso[code], en[code]) if code in iso else [], "en": en[code], "ja": ja[code]}
        for code in sorted([*iso, *CLDR_BLOCS])
    }


def iso_aliases(country: object, cldr_name: str) -> list[str]:
    """The alpha-3 code, then ISO 3166's name, official name and common name where they differ from CLDR's."""
    names = [getattr(country, key, None) for key in ("name", "official_name", "common_name")]
    return [country.alpha_3, *dict.fromkeys(n for n in names if n and n != cldr_name)]  # type: ignore[attr-defined]


def render(data: dict[str, dict]) -> str:
    """The file's text, byte-for-byte stable so that regenerating without changes is a no-op."""
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main() -> None:
    OUT.write_text(render(generate()), encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
