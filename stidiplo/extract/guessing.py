"""What a dated sentence says happened: kind, status, countries, fields and organisations.

Each guess carries how sure it is and why, so a person reviewing it knows what to check. The
words come from cues.json beside this module (kinds, statuses, the 日X country pairs, foreign
organisations) and from the project's vocabulary (countries in both languages, fields).

Japanese puts the verb last, so the happening a date belongs to is found after it first: the
last kind word before the clause closes ("2018年1月に…公募を開始" is a joint call); English puts
it first, so there the words before the date are read first ("the call opened in January
2018"). A date in brackets after a name ("日・デンマーク量子技術セミナー（平成30年4月）") takes the
nearest word before it. A generic verb (開催, 実施, held) takes the kind of the nearest noun it
could be holding, or of the noun it names after it (開催された…会議).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Generic, TypeVar

from stidiplo import vocab
from stidiplo.extract.finding import Mention, is_latin

HIGH, MEDIUM, LOW = "high", "medium", "low"
_BLOC_CODES = frozenset({"EU", "ASEAN"})
"""Codes written as names in prose; other codes (IT, IN, AND) are ordinary words there."""
_UNRELIABLE = frozenset({"国際", "International"})
"""Names too common in prose to mean a country or bloc ("国際共同研究" is not multilateral)."""
GENERIC = "generic"
MANY_COUNTRIES = 3
"""Happenings among this many countries or more are multilateral; two are a pair (両国, both countries)."""
_MODIFIES = re.compile(r"(?:た|した|された|される)(?=[\u4e00-\u9fff\u30a1-\u30fa])")
"""After a verb, the ending of a clause that names the noun after it (開催された|会議)."""
_RELATIVE = re.compile(r"(?<!と)(?:した|された|している)(?=[\u4e00-\u9fff\u30a1-\u30fa])")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Guess(Generic[T]):
    """A proposed value, how sure the extractor is of it, and why."""

    value: T
    confidence: str
    reason: str


@dataclass(frozen=True, slots=True)
class Cue:
    """A word that says something (a kind, a status) found at a place in a text."""

    start: int
    word: str
    meaning: str


@cache
def cues() -> dict:
    with open(os.path.join(os.path.dirname(__file__), "cues.json"), encoding="utf-8") as file:
        return json.load(file)


_KANA = r"\u30a1-\u30fa\u30fc"  # katakana letters and ー, not the ・ between names


def word_pattern(words: Sequence[str], *, whole_katakana: bool = False) -> str:
    """Longer words first; Latin words only as whole words, and with `whole_katakana` katakana names too."""
    parts = []
    for word in sorted(words, key=len, reverse=True):
        escaped = re.escape(word)
        if word.isascii():
            parts.append(rf"(?<![A-Za-z]){escaped}(?![A-Za-z])")
        elif whole_katakana and re.fullmatch(rf"[{_KANA}・]+", word):
            parts.append(rf"(?<![{_KANA}]){escaped}(?![{_KANA}])")
        else:
            parts.append(escaped)
    return "|".join(parts)


@cache
def matcher(group: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex over every word of a cue group, and each word's meaning (its kind or status)."""
    table = cues()[group]
    meaning = {word.casefold(): name for name, words in table.items() for word in words}
    if group == "kinds":
        meaning |= {word.casefold(): GENERIC for word in cues()["generic"]}
    return re.compile(word_pattern(list(meaning)), re.IGNORECASE), meaning


def find_cues(text: str, group: str) -> list[Cue]:
    pattern, meaning = matcher(group)
    return [Cue(m.start(), m.group(), meaning[m.group().casefold()]) for m in pattern.finditer(text)]


def _kind_nouns(text: str) -> list[Cue]:
    """The words of `text` that name a kind themselves (not a generic verb such as 開催 or held)."""
    return [c for c in find_cues(text, "kinds") if c.meaning != GENERIC]


# -- kind -----------------------------------------------------------------------------------------


def kind_of(sentence: str, at: int, mentions: Sequence[Mention], wider: Sequence[str]) -> Guess[str] | None:
    """The kind of the happening the `at`-th date of `sentence` belongs to; None when no word names one.

    Japanese puts the verb after the date (2018年1月に公募を開始), English before it (the call
    opened in January 2018): the words on the verb's side are read first, then the other side.
    `wider` holds the texts to look in when a generic verb needs its noun: the block, then headings.
    """
    mention = mentions[at]
    found = find_cues(sentence, "kinds")
    after_stop = mentions[at + 1].start if at + 1 < len(mentions) else len(sentence)
    after = [c for c in found if mention.stop <= c.start < _clause_stop(sentence, mention.stop, after_stop)]
    if after:
        closes = re.search(r"[、,。]", sentence[after[0].start : after_stop])
        if closes:
            after = [c for c in after if c.start < after[0].start + closes.start()]
    before_start = _clause_start(sentence, mentions[at - 1].stop if at else 0, mention.start, at > 0)
    before = [c for c in found if before_start <= c.start < mention.start]
    sides = [(after[-1:], "after the date"), (before[-1:], "before the date")]
    for side, where in sides[::-1] if is_latin(sentence) else sides:
        if side:
            return _named(side[0], sentence, wider, where)
    return None


def _clause_stop(sentence: str, start: int, stop: int) -> int:
    """Where the words a date belongs to end: at a semicolon, or before a relative clause's noun
    (2016年に稼働開始した施設)."""
    ends = [
        m.start()
        for m in (_RELATIVE.search(sentence, start, stop), re.compile("[;；]").search(sentence, start, stop))
        if m
    ]
    return min(ends, default=stop)


def _clause_start(sentence: str, start: int, stop: int, after_another: bool) -> int:
    """Where the words before a date begin: after a closed clause (訪問し、) or a semicolon, or any
    comma after another date."""
    pattern = r"[、,;；]" if after_another else r"し[、,]|[;；]"
    ends = list(re.finditer(pattern, sentence[start:stop]))
    return start + ends[-1].end() if ends else start


def _named(cue: Cue, sentence: str, wider: Sequence[str], where: str) -> Guess[str]:
    """The kind `cue` gives; a generic verb takes the nearest noun of the sentence, else the first one nearby."""
    if cue.meaning != GENERIC:
        return Guess(cue.meaning, HIGH, f"'{cue.word}' {where}")
    nouns = _kind_nouns(sentence)
    if _MODIFIES.match(sentence, cue.start + len(cue.word)):  # 開催された国際会議: what follows is held
        following = [c for c in nouns if c.start > cue.start]
        if not following:
            return Guess("event", LOW, f"'{cue.word}' names what follows it, a gathering; an event assumed")
        nouns = following[:1]
    if nouns:
        noun = min(nouns, key=lambda c: (c.start > cue.start, abs(cue.start - c.start)))
        return Guess(noun.meaning, MEDIUM, f"'{cue.word}' of '{noun.word}'")
    nearby = _first_kind_noun(wider)
    if nearby is not None:
        noun, text = nearby
        return Guess(noun.meaning, LOW, f"'{cue.word}' of '{noun.word}' nearby: {text[:30]}")
    return Guess("event", LOW, f"'{cue.word}' names nothing held; an event assumed")


def kind_nearby(texts: Sequence[str]) -> Guess[str] | None:
    """The first kind word in the texts around a sentence that names none (a title above a record)."""
    nearby = _first_kind_noun(texts)
    if nearby is None:
        return None
    noun, text = nearby
    return Guess(noun.meaning, MEDIUM, f"'{noun.word}' in '{text[:40]}'")


def _first_kind_noun(texts: Sequence[str]) -> tuple[Cue, str] | None:
    """The first word naming a kind in the first of `texts` that has one, and that text."""
    for text in texts:
        nouns = _kind_nouns(text)
        if nouns:
            return nouns[0], text
    return None


# -- status ---------------------------------------------------------------------------------------


def status_of(sentence: str, mention: Mention, kind: str, today: date) -> Guess[str]:
    """The status the wording gives, read after the date first; else done for a past date, scheduled for one to come."""
    for text, where in ((sentence[mention.stop :], "after the date"), (sentence, "in the sentence")):
        found = find_cues(text, "statuses")
        if found:
            cue = found[0]
            status = cue.meaning
            if cue.word.startswith("公募") and kind != "joint-call":
                status = "done"
            if status in ("scheduled", "done") and _passed(mention, today) != (status == "done"):
                continue
            return Guess(status, HIGH if where == "after the date" else MEDIUM, f"'{cue.word}' {where}")
    if _passed(mention, today):
        return Guess("done", LOW, "no status word; the date has passed")
    return Guess("scheduled", LOW, "no status word; the date is to come")


def _passed(mention: Mention, today: date) -> bool:
    return (mention.end or mention.date).last < today


# -- countries, fields, organisations ------------------------------------------------------------


@cache
def _country_matcher() -> tuple[re.Pattern[str], dict[str, str]]:
    """Every English and Japanese country name and alias of two letters or more; codes are left out of prose."""
    names: dict[str, str] = {}
    for code, entry in vocab.country_entries().items():
        for name in (entry["en"], entry["ja"], *entry.get("aliases", ()), *([code] if code in _BLOC_CODES else [])):
            if (
                len(name) >= 2
                and name not in _UNRELIABLE
                and not (name.isascii() and name.isupper() and len(name) <= 3 and name not in ("UK", "EU", "US"))
            ):
                names[name.casefold()] = code
    for word, code in [*cues()["organizations"].items(), *cues()["country_words"].items()]:
        if code:
            names[word.casefold()] = code
    singles = "".join(k for k in cues()["pairs"] if len(k) == 1)
    pairs = rf"(?<=日)・?[{singles}]+|[{singles}](?=国|側|[A-Z・、])"
    return re.compile(word_pattern(list(names), whole_katakana=True) + "|" + pairs, re.IGNORECASE), names


@cache
def _multilateralword_pattern() -> re.Pattern[str]:
    """An international gathering (国際…フォーラム, International … Conference) or a count of three
    countries or more (45の国, 11カ国, twenty countries): words that make a happening multilateral."""
    words = cues()["multilateral"]
    international = "|".join(map(re.escape, words["international"]))
    gatherings = "|".join(map(re.escape, words["gatherings"]))
    japanese = "|".join(re.escape(w) for w in words["nations"] if not w.isascii())
    english = "|".join(re.escape(w) for w in words["nations"] if w.isascii())
    several = "|".join(map(re.escape, words["several"]))
    return re.compile(
        rf"(?:{international})(?:[^\s、。,()「」『』]{{0,12}}?|(?:\s+[\w-]+){{0,5}}?\s+)(?:{gatherings})"
        rf"|(?P<count>\d+)\s?(?:{japanese})|\b(?P<counted>\d+|{several})\s+(?:{english})\b",
        re.IGNORECASE,
    )


def _multilateral(match: re.Match[str]) -> bool:
    number = match.group("count") or match.group("counted") or ""
    return not number.isdigit() or int(number) >= MANY_COUNTRIES


def countries_in(text: str) -> list[str]:
    """The partner countries and blocs `text` names, in order (Japan, the home country, left out);
    a multilateral happening adds the vocabulary's code for multilateral (INTL)."""
    pattern, names = _country_matcher()
    pairs = cues()["pairs"]
    found: list[tuple[int, str]] = []
    for match in pattern.finditer(text):
        word = match.group().casefold()
        if word in names:
            found.append((match.start(), names[word]))
        else:
            found.extend((match.start(), pairs[ch]) for ch in word.strip("・") if ch in pairs)
    found.extend(
        (m.start(), _multilateral_code()) for m in _multilateralword_pattern().finditer(text) if _multilateral(m)
    )
    home = set(cues()["home"])
    return [code for code in dict.fromkeys(code for _, code in sorted(found)) if code not in home]


@cache
def _multilateral_code() -> str:
    return vocab.resolve_country("Multilateral")


@cache
def _field_matcher() -> tuple[re.Pattern[str], dict[str, str]]:
    names = {}
    for slug, entry in vocab.field_entries().items():
        for name in (entry["en"], entry["ja"], *entry["aliases"]):
            if len(name) >= 2:
                names[name.casefold()] = slug
    return re.compile(word_pattern(list(names)), re.IGNORECASE), names


def fields_in(text: str) -> list[str]:
    """The fields whose names or theme words `text` uses."""
    pattern, names = _field_matcher()
    return list(dict.fromkeys(names[m.group().casefold()] for m in pattern.finditer(text)))


@cache
def _organizationword_pattern() -> re.Pattern[str]:
    return re.compile(word_pattern(list(cues()["organizations"])))


def organizations_in(text: str) -> list[str]:
    """The organisations the document names that stidiplo knows (JST, NSF, 理化学研究所 …)."""
    return list(dict.fromkeys(m.group() for m in _organizationword_pattern().finditer(text)))


def first_found(finder: Callable[[str], list[str]], texts: Sequence[tuple[str, str]]) -> Guess[list[str]]:
    """The values `finder` sees in the first of `texts` (labelled by where it is) that has any."""
    for text, where in texts:
        values = finder(text)
        if values:
            confidence = HIGH if where == "the sentence" else MEDIUM if where == "the paragraph" else LOW
            return Guess(values, confidence, f"named in {where}")
    return Guess([], LOW, "none named nearby")
