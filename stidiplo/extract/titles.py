"""What a proposal is called: the clause of its sentence that names the happening, trimmed to a line.

A title leaves out what the other fields hold (the date, the bullet, a status word, an emptied
bracket); one that says too little to name anything ("公募開始") is named by the heading above it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from stidiplo.extract.finding import CLOSERS, OPENERS, Mention, is_latin
from stidiplo.extract.guessing import cues, find_cues, matcher, word_pattern

TITLE_LENGTH = 60
SHORT_TITLE = 5
"""A title with fewer meaningful characters than this ("公募開始") takes the heading above as its name."""
LATIN_TITLE = 20
"""A title in Latin letters needs this many meaningful characters to name something."""

_LEADING = re.compile(r"^(?:[・•\-*○◎●➢▪◦※■□◆◇▼]\s*|\d{1,2}[.)]\s+)+")
_EMPTY_BRACKETS = re.compile(r"\(\s*[、,]?\s*(?:於\s*[:：]\s*)?\s*\)|\(\s*[、,]\s*|\([月火水木金土日]\)")
_AFTER_DATE = re.compile(r"^(?:にかけて|中の|中に|中|には|から|より|に|の|は|、|,)")
_ENDING = re.compile(r"(?<=[\u4e00-\u9fff])(?:し|した|された|され)$|(?:である|であった)$")
_PLACE_ASIDE = re.compile(r"\s*於\s*[:：][^)]*(?=\)|$)")
_CLOSING_ASIDE = re.compile(r"\s*\([^()]*\)$")
_PARTICLES = re.compile(r"^[\s、,。にのでをはがと:—–\-]+|[\s、,。:.;—–\-]+$")
_DANGLING = re.compile(r"\s(?:on|in|of|from|by|during|for|early|late|mid|since|until)(?=\s*[.,;—–]|\s*$)")


def clean_title(sentence: str, mentions: Sequence[Mention]) -> str:
    """The sentence as a title: bullets, dates (with the particle after them) and emptied brackets
    taken out, a closing aside in brackets dropped, trimmed to a line."""
    text = sentence
    for mention in sorted(mentions, key=lambda m: m.start, reverse=True):
        rest = _AFTER_DATE.sub("", text[mention.stop :], count=1)
        text = text[: mention.start] + rest
    text = _PLACE_ASIDE.sub("", _LEADING.sub("", text))
    for _ in range(2):
        text = _EMPTY_BRACKETS.sub("", text)
    for marker in cues()["status_pages"]:
        text = text.replace(marker, "")
    text = _PARTICLES.sub("", " ".join(text.split()))
    text = _PARTICLES.sub("", _ENDING.sub("", _PARTICLES.sub("", _DANGLING.sub("", text))))
    trimmed = _CLOSING_ASIDE.sub("", text)
    text = trimmed if names_enough(trimmed) else text
    if len(text) > TITLE_LENGTH:
        text = text[: TITLE_LENGTH - 1].rstrip() + "…"
    return text


def title_clause(sentence: str, mentions: Sequence[Mention], at: int) -> str:
    """The clause of `sentence` that names the happening its `at`-th date belongs to, as a title.

    The sentence is cut at its commas (outside brackets); the piece holding the date grows
    towards the nearest kind word until it says enough to name something.
    """
    pieces = _top_level_pieces(sentence)
    mention = mentions[at]
    index = next(i for i, (start, stop) in enumerate(pieces) if start <= mention.start < stop)
    words = [c.start for c in find_cues(sentence, "kinds")]
    forward = not words or min(words, key=lambda w: abs(w - mention.start)) >= mention.start
    first = last = index
    while True:
        start, stop = pieces[first][0], pieces[last][1]
        inside = [m for m in mentions if start <= m.start < stop]
        shifted = [Mention(m.start - start, m.stop - start, m.text, m.date, m.end, m.year_lent) for m in inside]
        title = clean_title(sentence[start:stop], shifted)
        if names_enough(title) or (first == 0 and last == len(pieces) - 1):
            return title
        if (forward and last + 1 < len(pieces)) or first == 0:
            last += 1
        else:
            first -= 1


def _top_level_pieces(sentence: str) -> list[tuple[int, int]]:
    """Where the sentence's comma-separated pieces start and stop, commas inside brackets ignored."""
    pieces, depth, start = [], 0, 0
    for at, char in enumerate(sentence):
        depth += (char in OPENERS) - (char in CLOSERS)
        if char in "、," and depth <= 0:
            pieces.append((start, at + 1))
            start = at + 1
    pieces.append((start, len(sentence)))
    return [(a, b) for a, b in pieces if a < b]


def names_enough(title: str) -> bool:
    """Whether a title says enough to name a happening on its own."""
    return meaningful(title) >= (LATIN_TITLE if is_latin(title) else SHORT_TITLE)


def meaningful(text: str) -> int:
    """How many characters of `text` are words, not dates, marks, status words or generic verbs."""
    pattern, _ = matcher("statuses")
    generic = re.compile(word_pattern(cues()["generic"]), re.IGNORECASE)
    stripped = generic.sub("", pattern.sub("", text))
    return len(re.sub(r"[\d年月日度()「」『』【】\[\]、。・:：\s~\-]", "", stripped))
