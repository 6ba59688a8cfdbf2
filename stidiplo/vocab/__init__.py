"""Names of countries, blocs, fields, kinds and statuses, headings and sentences, in English and Japanese.

The vocabulary is data in the JSON files beside this module, so adding a field or an alias is an
edit, not a code change. countries.json is generated from CLDR by scripts/make_countries.py and
committed, so the tracker never imports the libraries that made it; aliases.json adds by hand
only what CLDR lacks (the blocs, and short names such as UK or 米国).
"""

from __future__ import annotations

import os
import unicodedata
from functools import cache

import orjson

from stidiplo.errors import UsageError

_HERE = os.path.dirname(__file__)


@cache
def _load(name: str) -> dict:
    """One data file beside this module, read once per process (orjson: the store has loaded it already,
    where the standard library's json would cost every command its import)."""
    with open(os.path.join(_HERE, name), "rb") as file:
        return orjson.loads(file.read())


def fold(text: str) -> str:
    """Text as matching compares it, the one folding of the package: NFKC (full-width ＵＫ is UK,
    ㍻ is 平成) and case-folded. Search folds with it alone, so line breaks between fields stay."""
    return unicodedata.normalize("NFKC", text).casefold()


def normalize(text: str) -> str:
    """Text folded for matching names and reading dates: `fold`, whitespace collapsed to single spaces."""
    return " ".join(fold(text).split())


@cache
def _countries() -> dict[str, dict]:
    """Code → {"en", "ja", "aliases"}: CLDR's countries with the hand-kept blocs and aliases merged in."""
    merged = dict(_load("countries.json"))
    for code, extra in _load("aliases.json").items():
        entry = merged.get(code, {})
        merged[code] = {**entry, **extra, "aliases": [*entry.get("aliases", ()), *extra["aliases"]]}
    return merged


def _index(entries: dict[str, dict]) -> dict[str, str]:
    """Normalised key (code, either name, any alias) → code."""
    return {
        normalize(key): code
        for code, entry in entries.items()
        for key in (code, entry["en"], entry["ja"], *entry["aliases"])
    }


@cache
def _country_index() -> dict[str, str]:
    return _index(_countries())


@cache
def _field_index() -> dict[str, str]:
    return _index(_load("fields.json"))


def _resolve(text: str, index: dict[str, str], entries: dict[str, dict], what: str, hint: str) -> str:
    """The code `text` names, else a UsageError suggesting up to three close names in the input's language."""
    key = normalize(text)
    if key in index:
        return index[key]
    import difflib  # only on a miss: a correct lookup should not pay for it

    lang = "en" if text.isascii() else "ja"
    codes = dict.fromkeys(index[match] for match in difflib.get_close_matches(key, index, n=12))
    suggestions = [f"{entries[code][lang]} ({code})" for code in list(codes)[:3]]
    guess = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
    raise UsageError(f"unknown {what} {text!r}{guess} ({hint})")


def resolve_country(text: str) -> str:
    """The country or bloc code for a code (se, SWE), an English or Japanese name, or an alias."""
    hint = "a name, an ISO 3166 code, or EU, ASEAN, AFRICA, INTL"
    return _resolve(text, _country_index(), _countries(), "country", hint)


def country_name(code: str, lang: str) -> str:
    """The name of a country or bloc in `lang` ('en' or 'ja'); an unknown code names itself."""
    entry = _countries().get(code)
    return entry[lang] if entry else code


def is_country_code(code: str) -> bool:
    """Whether `code` is exactly a known country or bloc code (SE, EU), as stored in items."""
    return code in _countries()


def resolve_field(text: str) -> str:
    """The field slug for a slug, an English or Japanese name, or an alias."""
    hint = "fields are listed by `stidiplo fields`"
    return _resolve(text, _field_index(), _load("fields.json"), "field", hint)


def field_name(slug: str, lang: str) -> str:
    """The name of a field in `lang`; an unknown slug names itself."""
    entry = _load("fields.json").get(slug)
    return entry[lang] if entry else slug


def known_fields() -> tuple[str, ...]:
    """Every field slug, in the order of fields.json."""
    return tuple(_load("fields.json"))


@cache
def _choice_index(group: str) -> dict[str, str]:
    """Every way to write a kind or status (its code, English or Japanese label), normalised, to its code."""
    return {
        normalize(name): code
        for code, entry in _load("labels.json")[group].items()
        for name in (code, code.replace("-", " "), entry["en"], entry["ja"])
    }


def _resolve_choice(text: str, group: str, what: str) -> str:
    """The code of a kind or status written as its code or as either language's label, else a UsageError
    listing the accepted words in the input's language."""
    code = _choice_index(group).get(normalize(text))
    if code is not None:
        return code
    import difflib

    lang = "en" if text.isascii() else "ja"
    words = [entry[lang] if lang == "ja" else code for code, entry in _load("labels.json")[group].items()]
    near = difflib.get_close_matches(normalize(text), words, n=1)
    hint = f" (did you mean {near[0]}?)" if near else ""
    raise UsageError(f"unknown {what} {text!r}{hint}; use one of: {', '.join(words)}")


def resolve_kind(text: str) -> str:
    """The kind a code (joint-call) or a label in either language (joint call, 共同公募) names, any case."""
    return _resolve_choice(text, "kinds", "kind")


def resolve_status(text: str) -> str:
    """The status a code (done) or a label in either language (済, 調整中) names, any case."""
    return _resolve_choice(text, "statuses", "status")


def vocabulary(name: str) -> dict[str, dict]:
    """Every code of a vocabulary ('kind', 'status', 'field', 'country') with its names ('en', 'ja') and aliases."""
    if name == "country":
        return _countries()
    if name == "field":
        return _load("fields.json")
    return _load("labels.json")["kinds" if name == "kind" else "statuses"]


def _label(group: str, key: str, lang: str) -> str:
    entry = _load("labels.json")[group].get(key)
    return entry[lang] if entry else key


def kind_label(kind: str, lang: str) -> str:
    """How a kind (meeting, joint-call, …) reads in `lang`."""
    return _label("kinds", kind, lang)


def status_label(status: str, lang: str) -> str:
    """How a status (scheduled, done, …) reads in `lang`."""
    return _label("statuses", status, lang)


def header(column: str, lang: str) -> str:
    """A table column's heading in `lang`."""
    return _label("headers", column, lang)


def phrase(key: str, lang: str, **values: object) -> str:
    """A sentence or phrase shown to users, in `lang`, with `values` filled in ('{n} mo ago')."""
    return _label("phrases", key, lang).format(**values)


def organization_name(name: str, lang: str) -> str:
    """An organisation as a reader of `lang` names it: organizations.json gives the Japanese of the
    names not written as an acronym; any other name is shown as recorded."""
    return _load("organizations.json").get(name, name) if lang == "ja" else name


def country_entries() -> dict[str, dict]:
    """Every country and bloc code with its names, {"en", "ja", "aliases"}: for finding them in prose."""
    return _countries()


def field_entries() -> dict[str, dict]:
    """Every field slug with its names, {"en", "ja", "aliases"}, in the order of fields.json."""
    return _load("fields.json")
