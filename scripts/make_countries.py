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
    """Every ISO 3166-1 alpha-2 code (plus CLDR_BLOCS): its CLDR names and its alpha-3 code as alias."""
    en, ja = Locale("en").territories, Locale("ja").territories
    alpha3 = {country.alpha_2: country.alpha_3 for country in pycountry.countries}
    return {
        code: {"aliases": [alpha3[code]] if code in alpha3 else [], "en": en[code], "ja": ja[code]}
        for code in sorted([*alpha3, *CLDR_BLOCS])
    }


def render(data: dict[str, dict]) -> str:
    """The file's text, byte-for-byte stable so that regenerating without changes is a no-op."""
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main() -> None:
    OUT.write_text(render(generate()), encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
