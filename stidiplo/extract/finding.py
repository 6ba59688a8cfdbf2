"""Where a document names dates: its lines grouped into blocks and sentences, each date with its context.

A block is a bullet (・ - • ○ …), a paragraph, a heading, or a record of labelled lines
(日時：…, 場所：…, Date: …). Lines a PDF or a slide broke in mid-sentence are joined again: a line
that ends without closing its sentence (in a particle, a comma, or long and unfinished) runs on
into the next. Each block remembers the short standalone lines above it (titles and headings,
nearest first), which name the happening when the block itself does not.

Dates are found by a few patterns and read by the project's date parser, so eras, 年度 and
ranges mean here what they mean everywhere; a date without its year (9月3～4日, 同年10月,
on 3 September) takes the year last written before it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from stidiplo.dateparse import parse_span
from stidiplo.dates import PartialDate
from stidiplo.errors import UsageError
from stidiplo.extract.reading import Document, Line

HEADING, BULLET, PARAGRAPH, RECORD = "heading", "bullet", "paragraph", "record"
STANDALONE_LENGTH = 100
"""A block this short, with no full stop, reads as a title or heading rather than prose."""
CONTEXT_HEADINGS = 6

_HEADING_MARK = re.compile(r"^(?:[■□◆◇▼【]|#{1,6}\s)")
_BULLET_MARK = re.compile(r"^(?:[・•\-*○◎●➢▪◦※]|\d{1,2}[.)．]\s|\(\d{1,2}\)\s)")
_CIRCLED = re.compile("[\u2460-\u2473]")  # ① to ⑳
_LABELS = frozenset(
    "日時 日付 期日 開催日 会期 署名日 場所 会場 署名地 開催地 共催 主催 参加国等 参加国 参加者 出席者 署名者 於 "
    "date dates when venue place where location signed host hosts participants".split()
)
_LABEL = re.compile(r"^\s*([^\s:：]{1,5}(?:\s[^\s:：]{1,3})?)\s*[:：]")
_SENTENCE_END = re.compile(r"(?<=[。!?！？])|(?<=[.!?])\s+(?=[A-Z\"“(])")
_URL = re.compile(r"https?://\S+")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")  # bullet glyphs of PDF and slide fonts
_ERA_ASIDE = re.compile(r"(?<=\d)年\s?\((?:明治|大正|昭和|平成|令和)\s?(?:\d{1,2}|元)年\)")
"""The era year a white paper adds in brackets: 2003年(平成15年)4月 reads as 2003年4月."""
_PARTICLE_FIRST = re.compile(r"^[をにがはでへ](?![\u3040-\u309f\s])")
"""A line opening with a case particle and then a word (に初締結, を紹介し) goes on with the one above."""
_TITLE_ENDINGS = ("について", "のお知らせ")
"""How a Japanese title ends (…の決定について): the line closes, though it ends in kana."""
OPENERS, CLOSERS = "(「『[“", ")」』]”"
"""The brackets that open and close an aside; a comma inside one does not end a clause."""
_WEEKDAY = r"(?:\s?\([月火水木金土日]\))?"

_ERA = r"(?:明治|大正|昭和|平成|令和)"
_JA_YEAR = rf"(?:(?P<era>{_ERA})\s?(?:\d{{1,2}}|元)|\d{{4}}|(?P<same_year>同))\s?年"
_JA_DAY = r"(?:\s?\d{1,2}\s?(?:日|(?=[~〜\-–])))?"
_JA_DATE = re.compile(
    rf"(?:{_JA_YEAR}(?:\s?度|\s?(?:\d{{1,2}}\s?月{_JA_DAY})?)|(?P<same_month>同月)\s?\d{{1,2}}\s?日"
    rf"|(?<![\d.])\d{{1,2}}\s?月{_JA_DAY})"
)
_JA_TAIL = re.compile(
    rf"{_WEEKDAY}\s?(?:(?:[~〜\-–―]|から)\s?(?:\d{{4}}\s?年\s?度?)?(?:\d{{1,2}}\s?月)?(?:\d{{1,2}}\s?日)?"
    rf"|[、,]\s?\d{{1,2}}\s?日(?=\s?\(|\s|$))"
)
_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_YEAR_BEFORE = r"(?:in|from|by|during|of|early|late|mid|spring|summer|autumn|fall|winter)"
"""Words after which a lone four-digit number is a year ("in 2020"), not a count."""
_EN_PATTERNS = (
    (re.compile(rf"\b(\d{{1,2}})(?:\s?[-–]\s?(\d{{1,2}}))?\s({_MONTHS})\.?,?\s(\d{{4}})\b"), "dmy"),
    (re.compile(rf"\b({_MONTHS})\.?\s(\d{{1,2}})(?:\s?[-–]\s?(\d{{1,2}}))?(?:st|nd|rd|th)?,?\s(\d{{4}})\b"), "mdy"),
    (re.compile(rf"\b({_MONTHS})\.?,?\s(\d{{4}})\b"), "my"),
    (re.compile(rf"\b(\d{{1,2}})\s({_MONTHS})\b(?!\.?,?\s\d)"), "dm"),
    (re.compile(r"\b(?:FY\s?|fiscal year\s)(\d{4})\b"), "fy"),
    (re.compile(r"\b(\d{4}-\d{2}-\d{2})\b"), "iso"),
    (re.compile(rf"(?:\b{_YEAR_BEFORE}\s|\(|,\s(?=\d{{4}}\)))((?:19|20)\d{{2}})\b(?![-/]\d)"), "y"),
)
_BOUND_AFTER = re.compile(r"^\s?(?:まで|以降|以来|以前|現在|時点|[~〜\-–]\s?\))")
_BOUND_BEFORE = re.compile(r"(?:\buntil|\bsince|\bas of|\bbefore)\s$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Mention:
    """A date named in a sentence: where (character offsets), what it reads as, and how sure the year is."""

    start: int
    stop: int
    text: str
    date: PartialDate
    end: PartialDate | None
    year_lent: bool


@dataclass(slots=True)
class Sentence:
    """A sentence of a block, with the dates it names."""

    text: str
    mentions: list[Mention]


@dataclass(slots=True)
class Block:
    """A bullet, paragraph, heading or record, as normalised text, with the titles and headings above it."""

    kind: str
    where: str
    text: str
    headings: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    label: str = ""

    @property
    def standalone(self) -> bool:
        return len(self.text) <= STANDALONE_LENGTH and "。" not in self.text


def normalise(text: str) -> str:
    """NFKC (full-width digits and brackets to ASCII, half-width kana to full), single spaces, no URLs;
    a circled number (①) becomes "1. ", so it still marks an item of a list."""
    text = _CIRCLED.sub(lambda m: f"{ord(m.group()) - 0x245F}. ", text)
    text = _PRIVATE_USE.sub(" ", unicodedata.normalize("NFKC", text))
    text = _ERA_ASIDE.sub("年", text)
    return " ".join(_URL.sub(" ", text).split())


def _label(text: str) -> str:
    match = _LABEL.match(text)
    if match is None:
        return ""
    name = match.group(1).replace(" ", "").casefold()
    return name if name in _LABELS else ""


def is_latin(text: str) -> bool:
    """Whether `text` is written mostly in Latin letters (English), not Japanese."""
    return sum(c.isascii() for c in text) > 0.7 * len(text)


def _runs_on(text: str) -> str:
    """How a line leaves its sentence: "open" (a particle, a comma or an open bracket: the next line
    goes on with it even past a blank line), "long" (a long unfinished line: the next line goes on
    with it when no blank line comes between) or "" (closed)."""
    if sum(text.count(c) for c in OPENERS) > sum(text.count(c) for c in CLOSERS):
        return "open"
    last = text[-1]
    if last in "。.!?！？」』)" or text.endswith(_TITLE_ENDINGS):
        return ""
    if last in "、,，" or "\u3040" <= last <= "\u309f":
        return "open"
    return "long" if len(text) >= 30 else ""


def blocks(document: Document) -> list[Block]:
    """The document's blocks in order, each with its sentences and their dates."""
    found = list(_grouped(document.lines))
    headings: list[str] = []
    year = _Context()
    for block in found:
        block.headings = list(headings)
        block.sentences = [Sentence(s, list(_mentions(s, year))) for s in _sentences(block)]
        if block.kind == HEADING or (block.standalone and block.kind != RECORD):
            headings = [block.text, *headings][:CONTEXT_HEADINGS]
    return found


def _grouped(lines: list[Line]) -> Iterator[Block]:
    """Lines joined into blocks: broken sentences mended, labelled lines gathered into records."""
    current: Block | None = None
    open_line = ""  # how the last line left its sentence
    blank_since = False
    for line in lines:
        text = normalise(line.text)
        if not text:
            blank_since = True
            continue
        label = _label(text)
        starts_new = bool(_HEADING_MARK.match(text) or _BULLET_MARK.match(text))
        if current is not None and current.kind == RECORD and (label or not blank_since) and not starts_new:
            current.text += "\n" + text
        elif current is not None and not starts_new and not label and _continues(current, text, open_line, blank_since):
            current.text += ("" if not is_latin(text) or not is_latin(current.text) else " ") + text
        else:
            if current is not None:
                yield current
            kind = RECORD if label else HEADING if _HEADING_MARK.match(text) else BULLET if starts_new else PARAGRAPH
            current = Block(kind, line.where, text, label=label)
        open_line = "" if current.kind == HEADING else _runs_on(text)
        blank_since = False
    if current is not None:
        yield current


def _continues(current: Block, text: str, open_line: str, blank_since: bool) -> bool:
    """Whether `text` goes on with the current block: its sentence was left open, it begins with a
    particle (no Japanese sentence does: "に初締結。" ends the line above), or it is a bracketed aside."""
    if current.kind == HEADING:
        return False
    if _PARTICLE_FIRST.match(text) and not current.text.endswith(("。", ".", "!", "?", "！", "？")):
        return True
    if open_line == "open" and (not blank_since or not is_latin(text)):
        return True
    if open_line == "long" and not blank_since:
        return True
    return not blank_since and text[0] in "(~" and len(text) <= 30 and current.standalone


def _sentences(block: Block) -> list[str]:
    if block.kind == RECORD:
        return [line for line in block.text.split("\n") if line.strip()]
    return [s.strip() for s in _SENTENCE_END.split(block.text) if s.strip()]


@dataclass(slots=True)
class _Context:
    """The year and month last written, lent to dates that leave them out."""

    year: str | None = None
    month: int | None = None


def _mentions(sentence: str, context: _Context) -> Iterator[Mention]:
    """Every date the sentence names, in order; bounds such as 2019年4月現在 or 'until 2020' are left out."""
    spans = sorted(_candidates(sentence), key=lambda s: (s[0], -s[1]))
    last_stop = -1
    for start, stop, text, kind in spans:
        if start < last_stop:
            continue
        mention = _read_mention(sentence, start, stop, text, kind, context)
        if mention is None:
            continue
        last_stop = mention.stop
        if _BOUND_AFTER.match(sentence[mention.stop :]) or _BOUND_BEFORE.search(sentence[: mention.start]):
            continue
        yield mention


def _candidates(sentence: str) -> Iterator[tuple[int, int, str, str]]:
    for match in _JA_DATE.finditer(sentence):
        stop = match.end()
        tail = _JA_TAIL.match(sentence, stop)
        if tail and re.search(r"\d", tail.group()):
            stop = tail.end()
        yield match.start(), stop, sentence[match.start() : stop], "ja"
    for pattern, kind in _EN_PATTERNS:
        for match in pattern.finditer(sentence):
            yield match.start(), match.end(), match.group(), kind


def _read_mention(sentence: str, start: int, stop: int, text: str, kind: str, context: _Context) -> Mention | None:
    """The date `text` stands for, its missing year lent by `context`; None when it is not a date."""
    if kind == "y":
        start = stop - 4
        text = sentence[start:stop]
    readable, lent = _readable(text, kind, context)
    if readable is None:
        return None
    try:
        date, end = parse_span(readable)
    except UsageError:
        return None
    context.year = str(date.first.year) if not date.text.startswith("FY") else date.text[2:]
    context.month = date.first.month if date.precision in ("month", "day") else None
    return Mention(start, stop, text, date, end, lent)


def _readable(text: str, kind: str, context: _Context) -> tuple[str | None, bool]:
    """The text as the date parser reads it, and whether its year came from the context."""
    if kind == "ja":
        text = re.sub(r"\s?\([月火水木金土日]\)", "", text)
        text = re.sub(r"[、,]\s?(\d{1,2})\s?日$", r"~\1日", text)
        text = text.replace("〜", "~").replace("―", "~").replace("から", "~")
        if text.startswith("同月"):
            if context.year is None or context.month is None:
                return None, False
            return f"{context.year}年{context.month}月{text[2:]}", True
        if text.startswith("同"):
            return (None, False) if context.year is None else (context.year + text[1:], True)
        if "年" not in text.split("~")[0]:
            return (None, False) if context.year is None else (f"{context.year}年{text}", True)
        return text, False
    if kind == "dm":
        return (None, False) if context.year is None else (f"{text} {context.year}", True)
    if kind == "mdy":
        match = re.match(rf"({_MONTHS})\.?\s(\d{{1,2}})(?:\s?[-–]\s?(\d{{1,2}}))?\D*(\d{{4}})", text)
        if match is None:
            return None, False
        month, first, last, year = match.groups()
        days = f"{first}-{last}" if last else first
        return f"{days} {month} {year}", False
    if kind == "fy":
        return "FY" + re.sub(r"\D", "", text), False
    return text.replace("–", "-"), False
