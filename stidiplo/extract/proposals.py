"""Draft items proposed from a document: one per dated happening, merged when the document repeats one.

A proposal is not an item: every field is a guess with its confidence and reason, and its
source (file, line, the quoted sentence) says where to check it. Under a status page ("…会談
(2018年1月)後の状況") each later happening follows the meeting the heading names, found in the
tracker or proposed from the heading itself. A proposal that the tracker already holds (same date
and kind, a shared country or a similar title) is marked as its duplicate and is never added.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from datetime import date as Day
from typing import TYPE_CHECKING

from stidiplo.extract import guessing, titles
from stidiplo.extract.finding import BULLET, HEADING, RECORD, Block, Mention, Sentence, blocks
from stidiplo.extract.guessing import HIGH, LOW, MEDIUM, Guess

if TYPE_CHECKING:
    from stidiplo.dates import PartialDate
    from stidiplo.extract.reading import Document
    from stidiplo.model import Item

SIGNING_LABELS = frozenset({"署名日", "署名地", "署名者", "signed"})
RANK = {LOW: 0, MEDIUM: 1, HIGH: 2}
QUOTE_LENGTH = 400
"""A sentence longer than this (a PDF without full stops) is quoted in part, well within an item's limits."""
SIMILAR = 0.5
"""Titles sharing this share of their two-character pieces name the same happening."""
SIMILAR_WHEN_NESTED = 0.3
"""Enough alike for a month and a day within it to be one happening written twice."""
NEARBY_BLOCKS = 3
NEAR_HEADINGS = 3
"""How many of the headings above a block are looked in for what the block does not name."""
HOLDERS = frozenset({"meeting", "event"})
"""The kinds of happening that adopt outcome documents (a joint statement, principles)."""
PENDING = frozenset({"coordinating", "exploring", "scheduled"})


@dataclass(slots=True)
class Proposal:
    """A draft item: each field a guess, with where in which document it was read."""

    id: str
    date: PartialDate
    end: PartialDate | None
    when: Guess[str]
    kind: Guess[str]
    status: Guess[str]
    countries: Guess[list[str]]
    fields: Guess[list[str]]
    title: Guess[str]
    organizations: list[str]
    source: str
    quote: str
    block: int
    listed: bool
    """Whether it was read from a list item (a bullet): two list items name two happenings."""
    follows: Guess[str] | None = None
    duplicate_of: str | None = None
    refers_back: bool = False
    """Whether its date leaves out what the text wrote before (a year, a whole date): it may name a
    happening already named."""
    also_at: list[str] = field(default_factory=list)

    @property
    def span(self) -> tuple[Day, Day]:
        return self.date.first, (self.end or self.date).last


def propose(document: Document, items: Sequence[Item], today: date) -> list[Proposal]:
    """Every happening `document` dates, merged, linked to the meetings it follows, checked against `items`."""
    found = _merged(list(_proposals(document, today)))
    for proposal in found:
        proposal.duplicate_of = _in_tracker(proposal, items)
    meetings = {p.id: p.duplicate_of for p in found if p.kind.value == "meeting"}
    for proposal in found:
        held = meetings.get(proposal.follows.value) if proposal.follows else None
        if proposal.follows and held:
            proposal.follows = replace(
                proposal.follows, value=held, reason=proposal.follows.reason + ", in the tracker"
            )
    return found


def _proposals(document: Document, today: date) -> Iterator[Proposal]:
    """Proposals in document order, before merging; each follow-up points at its status page's meeting."""
    page: Proposal | None = None
    section: list[str] = []  # the countries the latest title or heading named
    previous: list[Proposal] = []
    held: Proposal | None = None  # the meeting or event the latest dated block named
    for ordinal, block in enumerate(blocks(document)):
        aside = previous[-1].kind if previous and block.text.startswith("(") else None
        made = [p for s in block.sentences for p in _from_sentence(document, block, ordinal, s, today, aside)]
        if not made and previous and re.fullmatch(r"~.+~", block.text):
            made = _from_subtitle(document, block, ordinal, previous[-1], today)
        if any(s.mentions for s in block.sentences):
            held = next((p for p in reversed(made) if p.kind.value in HOLDERS), None)
        elif not made and held is not None and held.status.value == "done":
            made = _outcome(document, block, ordinal, held, today)
        named = guessing.countries_in(block.text) if block.standalone else []
        if any(marker in block.text.casefold() for marker in guessing.cues()["status_pages"]):
            page = next((p for p in made if p.kind.value == "meeting"), page)
            made = [p for p in made if p is page] if page in made else made
        elif page is not None and named and not set(named) & set(page.countries.value):
            page = None
        section = named or section
        for proposal in made:
            _place(proposal, page, section)
            yield proposal
        previous = made or previous


def _place(proposal: Proposal, page: Proposal | None, section: list[str]) -> None:
    """Countries from the section when the text names none; a follow-up concerns its meeting's countries too."""
    if not proposal.countries.value and section:
        proposal.countries = Guess(section, LOW, "named in the section's heading")
    if page is None or proposal is page or proposal.date.first < page.date.first or proposal.follows:
        return
    proposal.follows = Guess(page.id, MEDIUM, f"under the status page of '{page.title.value[:40]}'")
    more = [c for c in page.countries.value if c not in proposal.countries.value]
    if more:
        proposal.countries = Guess(
            [*proposal.countries.value, *more], MEDIUM, proposal.countries.reason + ", and the meeting it follows"
        )


def _from_sentence(
    document: Document, block: Block, ordinal: int, sentence: Sentence, today: date, aside: Guess[str] | None
) -> Iterator[Proposal]:
    """A proposal for each date of the sentence that belongs to a happening; `aside` is the kind of the
    line above, for a bracketed aside that gives its details ("(…9月3～4日、パリ、120名が参加)")."""
    for at, mention in enumerate(sentence.mentions):
        title = titles.title_clause(sentence.text, sentence.mentions, at)
        alone = len(sentence.mentions) == 1 and not titles.names_enough(title)
        kind = _kind(block, sentence, at, block.kind == RECORD or alone)
        if kind is None and aside is not None:
            kind = Guess(aside.value, LOW, "an aside to the line above, which names the happening")
        if kind is None:
            continue
        yield _build(
            document, block, ordinal, sentence.text, mention, kind, "" if block.kind == RECORD else title, today
        )


def _kind(block: Block, sentence: Sentence, at: int, bare: bool) -> Guess[str] | None:
    """The kind the sentence gives; a sentence that is little more than its date takes it from its label or title."""
    wider = [block.text, *block.headings[:NEAR_HEADINGS]]
    kind = guessing.kind_of(sentence.text, at, sentence.mentions, wider)
    if kind is not None:
        return kind
    if block.kind == RECORD and block.label in SIGNING_LABELS:
        return Guess("agreement", HIGH, f"the date is labelled '{block.label}'")
    if block.kind == RECORD:
        return guessing.kind_nearby([*block.headings[:NEAR_HEADINGS], block.text])
    if bare:
        return guessing.kind_nearby([block.text, *block.headings[:NEAR_HEADINGS]])
    return None


def _from_subtitle(document: Document, block: Block, ordinal: int, above: Proposal, today: date) -> list[Proposal]:
    """A ～subtitle～ under a dated title names a second happening of that day (a signing at a summit)."""
    kind = guessing.kind_nearby([block.text])
    if kind is None or kind.value == above.kind.value:
        return []
    mention = Mention(0, 0, "", above.date, above.end, False)
    title = block.text.strip("~ ")
    proposal = _build(document, block, ordinal, block.text, mention, kind, title, today)
    proposal.when = Guess(above.date.text, MEDIUM, f"the date of the title above ({above.source})")
    proposal.refers_back = True
    return [proposal]


def _outcome(document: Document, block: Block, ordinal: int, held: Proposal, today: date) -> list[Proposal]:
    """A listed or headed outcome document (共同声明, 原則, 規約, joint statement, charter) that gives no
    date of its own, under a meeting or event just dated, was adopted there: an agreement of that day,
    following it when it is a meeting. Not when the wording says it is still to come (署名に向けて調整中), nor from a
    note (※), which comments on the line above."""
    if block.kind not in (BULLET, HEADING) or block.text.startswith("※"):
        return []
    found = guessing.find_cues(block.text, "outcomes")
    if not found or {c.meaning for c in guessing.find_cues(block.text, "statuses")} & PENDING:
        return []
    kind = Guess("agreement", MEDIUM, f"'{found[0].word}' names an outcome of '{held.title.value[:30]}'")
    mention = Mention(0, 0, "", held.date, held.end, False)
    title = titles.clean_title(block.text, [])
    proposal = _build(document, block, ordinal, block.text, mention, kind, title, today)
    named = title if titles.names_enough(title) else f"{held.title.value} {title}"
    proposal.title = Guess(named[: titles.TITLE_LENGTH], MEDIUM, "the outcome as listed, named by its meeting if short")
    proposal.when = Guess(held.date.text, MEDIUM, f"the date of the {held.kind.value} it came out of ({held.source})")
    if held.kind.value == "meeting":  # only a meeting is followed
        proposal.follows = Guess(held.id, MEDIUM, f"an outcome of '{held.title.value[:40]}'")
    if proposal.countries.confidence != HIGH and held.countries.value:
        proposal.countries = Guess(held.countries.value, MEDIUM, f"those of the {held.kind.value} it came out of")
    return [proposal]


def _build(
    document: Document,
    block: Block,
    ordinal: int,
    sentence: str,
    mention: Mention,
    kind: Guess[str],
    title: str,
    today: date,
) -> Proposal:
    headings = block.headings[:NEAR_HEADINGS]
    named = _title(title, block)
    own = sentence if named.confidence == HIGH else f"{named.value} {sentence}"
    where = [(own, "the sentence"), (block.text, "the paragraph"), *((h, f"the heading '{h[:30]}'") for h in headings)]
    when = (
        Guess(mention.date.text, MEDIUM, f"'{mention.text}' with the year written before it")
        if mention.year_lent
        else Guess(mention.date.text, HIGH, f"'{mention.text}'")
    )
    quote = " ".join(sentence.split())
    if len(quote) > QUOTE_LENGTH:
        quote = quote[: QUOTE_LENGTH - 1] + "…"
    # stable across runs on the same file, and distinct for one sentence written at two places
    key = f"{os.path.basename(document.name)}|{block.where}|{quote}|{mention.date.text}|{kind.value}".encode()
    return Proposal(
        id=hashlib.md5(key, usedforsecurity=False).hexdigest(),
        date=mention.date,
        end=mention.end,
        when=when,
        kind=kind,
        status=guessing.status_of(sentence, mention, kind.value, today),
        countries=guessing.first_found(guessing.countries_in, where),
        fields=guessing.first_found(
            guessing.fields_in,
            [(sentence, "the sentence"), (block.text, "the paragraph"), *((h, "a heading") for h in headings)],
        ),
        title=named,
        organizations=guessing.organizations_in(f"{sentence} {block.text}"),
        source=f"{document.name}, {block.where}",
        quote=quote,
        block=ordinal,
        listed=block.kind == BULLET,
        refers_back=mention.year_lent,
    )


def _title(title: str, block: Block) -> Guess[str]:
    """The sentence's own words, named by the nearest heading when they are too few to name anything."""
    if titles.names_enough(title):
        return Guess(title, HIGH, "the sentence")
    for heading in block.headings:
        name = titles.clean_title(heading, [])
        if titles.names_enough(name):
            joined = f"{name} {title}".strip() if title and title not in name else name
            return Guess(joined[: titles.TITLE_LENGTH], MEDIUM, f"the heading above: {name[:30]}")
    return Guess(title or "?", LOW, "the sentence names little; give a title")


# -- the same happening ---------------------------------------------------------------------------


def similarity(a: str, b: str) -> float:
    """The share of two-character pieces two titles have in common (digits and spaces ignored)."""
    pieces = [_bigrams(re.sub(r"[\d\s]", "", t.casefold())) for t in (a, b)]
    union = pieces[0] | pieces[1]
    return len(pieces[0] & pieces[1]) / len(union) if union else 0.0


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _nested(a: Proposal, b: Proposal) -> bool:
    (a1, a2), (b1, b2) = a.span, b.span
    return (a1 <= b1 and b2 <= a2) or (b1 <= a1 and a2 <= b2)


def _same(a: Proposal, b: Proposal) -> bool:
    """Whether two proposals of one document name one happening: written twice, or first by month then by day.

    A date whose year the text left out (１月の…会談) refers back to a happening named before it
    within its span, never to one named after; otherwise the two must look alike, be written close
    together (a list item and the aside giving its day, not two list items), or share a name
    (RENKEI, アイスランド).
    """
    if a.kind.value != b.kind.value or not _nested(a, b):
        return False
    shared = bool(set(a.countries.value) & set(b.countries.value)) or not (a.countries.value and b.countries.value)
    if similarity(a.title.value, b.title.value) >= SIMILAR or (shared and a.quote == b.quote and a.block == b.block):
        return True
    if not shared:
        return False
    earlier, later = sorted((a, b), key=lambda p: p.block)
    lent = later.refers_back and _within(earlier, later)
    named = bool(_names(a.title.value) & _names(b.title.value))
    if (a.date, a.end) == (b.date, b.end):
        return lent or named
    nearby = abs(a.block - b.block) <= NEARBY_BLOCKS and not (a.listed and b.listed)
    return lent or named or nearby or similarity(a.title.value, b.title.value) >= SIMILAR_WHEN_NESTED


def _within(inner: Proposal, outer: Proposal) -> bool:
    (i1, i2), (o1, o2) = inner.span, outer.span
    return o1 <= i1 and i2 <= o2


_NAME = re.compile(r"[A-Za-z][A-Za-z0-9\-]{3,}|[\u30a1-\u30fa\u30fc]{4,}")
_COMMON_NAMES = frozenset(
    "japan research science technology cooperation international collaboration ministry minister university".split()
)


def _names(title: str) -> set[str]:
    """The proper names a title holds: Latin words and katakana runs of four or more, less the kind words."""
    pattern, _ = guessing.matcher("kinds")
    words = {w.casefold() for w in _NAME.findall(pattern.sub(" ", title))}
    return words - _COMMON_NAMES


def _merged(proposals: list[Proposal]) -> list[Proposal]:
    """One proposal per happening: the most precise date kept, countries and sources gathered."""
    kept: list[Proposal] = []
    renamed: dict[str, str] = {}
    for proposal in proposals:
        twin = next((k for k in kept if _same(k, proposal)), None)
        if twin is None:
            kept.append(proposal)
            continue
        winner, loser = (proposal, twin) if _narrower(proposal, twin) else (twin, proposal)
        winner.also_at = [*twin.also_at, *proposal.also_at, loser.source]
        winner.countries = _union(winner.countries, loser.countries)
        if RANK[loser.kind.confidence] > RANK[winner.kind.confidence]:
            winner.title, winner.kind = loser.title, loser.kind  # the sentence that names the happening
        if winner.follows is None:
            winner.follows = loser.follows
        renamed[loser.id] = winner.id
        kept[kept.index(twin)] = winner
    for proposal in kept:
        if proposal.follows is not None and proposal.follows.value in renamed:
            target = renamed[proposal.follows.value]
            proposal.follows = None if target == proposal.id else replace(proposal.follows, value=target)
    return kept


def _narrower(a: Proposal, b: Proposal) -> bool:
    (a1, a2), (b1, b2) = a.span, b.span
    return (a2 - a1) < (b2 - b1)


def _union(a: Guess[list[str]], b: Guess[list[str]]) -> Guess[list[str]]:
    values = list(dict.fromkeys([*a.value, *b.value]))
    return a if values == a.value else Guess(values, a.confidence, a.reason + " and where it is written again")


def _in_tracker(proposal: Proposal, items: Sequence[Item]) -> str | None:
    """The id of the item `proposal` repeats: same date and kind, and a shared country or a similar title."""
    for item in items:
        if item.date != proposal.date.text or item.kind != proposal.kind.value:
            continue
        if (
            set(item.countries) & set(proposal.countries.value)
            or max(similarity(item.title, proposal.title.value), similarity(item.title_en or "", proposal.title.value))
            >= SIMILAR
        ):
            return item.id
    return None


def confidence_notes(proposal: Proposal) -> list[str]:
    """What a reviewer should check: each guess below high confidence, with its reason."""
    guesses: list[tuple[str, Guess]] = [
        ("date", proposal.when),
        ("kind", proposal.kind),
        ("status", proposal.status),
        ("countries", proposal.countries),
        ("fields", proposal.fields),
        ("title", proposal.title),
    ]
    if proposal.follows is not None:
        guesses.append(("follows", proposal.follows))
    return [f"{name} {g.confidence} ({g.reason})" for name, g in guesses if g.confidence != HIGH]
