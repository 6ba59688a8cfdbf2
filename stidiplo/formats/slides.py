"""Briefings as a 16:9 PowerPoint deck, laid out like the MEXT briefing of spring 2019.

One slide per meeting titled "…後の状況" / "Status since …", its follow-ups as bullets under
■ field headings, each with its date, title and status in the status's colour (an overdue one
says so in red). A slide that would overflow continues on the next, titled (続き) / (cont.);
a field heading is repeated there, never left alone at the foot of a slide. A country's deck
opens with a cover slide; every deck closes with the tally of its follow-ups.

Japanese runs name an East Asian typeface (Meiryo) with the Japanese character set, which
PowerPoint honours and LibreOffice resolves to an installed Japanese font, so nothing shows as tofu.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from stidiplo import vocab
from stidiplo.followups import Briefing, CountryBriefing, Section
from stidiplo.formats import documents
from stidiplo.formats.documents import GREY, clean, counted, missing, rgb, status_colour, status_tag
from stidiplo.formats.html import COLOURS, OVERDUE_COLOUR
from stidiplo.formats.xlsx import display_width
from stidiplo.labels import as_of, briefing_title, section_name
from stidiplo.model import STATUSES, Item
from stidiplo.tally import Tally, tally

if TYPE_CHECKING:
    from pptx.presentation import Presentation
    from pptx.slide import Slide
    from pptx.text.text import _Paragraph
    from pptx.util import Length

INK, RULE = "1A1A1A", "1F3864"
WIDE, HIGH = 13.333, 7.5
"""Slide size in inches (16:9)."""
BODY_TOP, BODY_HEIGHT = 1.55, 5.35
ITEM_PT, HEADING_PT = 14, 16
ITEM_LINE, ITEM_GAP, HEADING_LINE, HEADING_GAP = 17, 4, 20, 8
"""Exact line heights and the space after a bullet and before a heading, in points: set outright,
not left to each font's own line gap (Meiryo's is tall), so `paginate` measures what is drawn."""
ITEM_COLUMNS = 100
"""Half-width columns one line of a bullet holds at ITEM_PT across the body."""
BODY_POINTS = 355
"""Points of the body a slide fills before it continues on the next (a little under its height)."""


@dataclass(frozen=True, slots=True)
class Part:
    """Follow-ups of one field heading shown on one slide; `continued` when the heading began earlier."""

    name: str
    items: list[Item]
    continued: bool


def item_text(item: Item, lang: str, overdue: Sequence[Item]) -> tuple[str, str, str]:
    """A bullet's date, title and status tag."""
    return item.when(lang), clean(item.title_in(lang)), status_tag(item, overdue, lang)


def item_points(item: Item, lang: str, overdue: Sequence[Item]) -> int:
    """Points of height a follow-up's bullet takes: its wrapped lines and the space after it."""
    date, title, status = item_text(item, lang, overdue)
    columns = display_width(f"{date}  {title}  [{status}]")
    lines = -(-columns // ITEM_COLUMNS)
    return lines * ITEM_LINE + ITEM_GAP


HEADING_POINTS = HEADING_LINE + HEADING_GAP


def paginate(
    sections: Sequence[Section], lang: str, overdue: Sequence[Item], first: int, rest: int
) -> list[list[Part]]:
    """The sections cut into slides, the first holding `first` points of bullets, the others `rest`.

    Every follow-up lands on exactly one slide. A heading goes on a slide only with at least its
    first follow-up; a follow-up taller than a whole slide gets a slide of its own.
    """
    pages: list[list[Part]] = [[]]
    used, budget = 0, first
    for section in sections:
        name, part, placed = section_name(section, lang), None, False
        for item in section.items:
            need = item_points(item, lang, overdue) + (HEADING_POINTS if part is None else 0)
            if used + need > budget and pages[-1]:
                pages.append([])
                used, budget = 0, rest
                need += HEADING_POINTS if part is not None else 0
                part = None
            if part is None:
                part = Part(name, [], continued=placed)
                pages[-1].append(part)
            part.items.append(item)
            used += need
            placed = True
    return pages


def deck(report: Briefing | CountryBriefing, lang: str) -> bytes:
    """A meeting's or a country's briefing as a .pptx file's bytes."""
    return briefing_deck(report, lang) if isinstance(report, Briefing) else country_deck(report, lang)


def briefing_deck(briefing: Briefing, lang: str) -> bytes:
    """One meeting's briefing: its slides, then the tally of its follow-ups."""
    deck = _new_deck()
    _briefing_slides(deck, briefing, lang)
    _tally_slides(deck, [_tally_row(briefing, lang)], None, lang)
    return _saved(deck, lang, as_of(briefing.today, lang))


def country_deck(report: CountryBriefing, lang: str) -> bytes:
    """A country's briefing: a cover, each meeting's slides newest first, its other items, the tally."""
    deck = _new_deck()
    name = vocab.country_name(report.country, lang)
    cover = _slide(deck, "", lang)
    box = cover.shapes.add_textbox(*_inches(0.8, 2.4, WIDE - 1.6, 2.6)).text_frame
    box.word_wrap = True
    _run(box.paragraphs[0], vocab.header("briefing_country", lang).format(country=name), lang, 36, bold=True)
    count = sum(len(b.followups) for b in report.briefings)
    summary = f"{counted('meeting', len(report.briefings), lang)} · {counted('followups', count, lang)}"
    _run(box.add_paragraph(), summary, lang, 20, colour=GREY)
    _run(box.add_paragraph(), as_of(report.today, lang), lang, 16, colour=GREY)
    for briefing in report.briefings:
        _briefing_slides(deck, briefing, lang)
    if report.others:
        title = vocab.header("others_with", lang).format(country=name)
        _section_slides(deck, title, report.others, [], lang)
    if not report.briefings and not report.others:
        _run(box.add_paragraph(), vocab.header("nothing_with", lang).format(country=name), lang, 16)
    rows = [_tally_row(b, lang) for b in report.briefings]
    total = tally("total", (i for b in report.briefings for i in b.followups))
    _tally_slides(deck, rows, total if len(rows) > 1 else None, lang)
    return _saved(deck, lang, as_of(report.today, lang))


def _new_deck() -> Presentation:
    try:
        from pptx import Presentation
        from pptx.util import Inches
    except ImportError:
        raise missing(".pptx", "python-pptx") from None
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(WIDE), Inches(HIGH)
    return deck


def _saved(deck: Presentation, lang: str, footer: str) -> bytes:
    """The deck as bytes, each slide footed with the as-of date and its number."""
    from pptx.enum.text import PP_ALIGN

    slides = list(deck.slides)
    for number, slide in enumerate(slides, start=1):
        left = slide.shapes.add_textbox(*_inches(0.5, HIGH - 0.45, 7, 0.35)).text_frame
        left.word_wrap = True
        _run(left.paragraphs[0], footer, lang, 10, colour=GREY)
        right = slide.shapes.add_textbox(*_inches(WIDE - 2.5, HIGH - 0.45, 2, 0.35)).text_frame
        right.word_wrap = True
        right.paragraphs[0].alignment = PP_ALIGN.RIGHT
        _run(right.paragraphs[0], f"{number} / {len(slides)}", lang, 10, colour=GREY)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _inches(*values: float) -> list[Length]:
    from pptx.util import Inches

    return [Inches(v) for v in values]


def _points(value: float) -> Length:
    from pptx.util import Pt

    return Pt(value)


def _slide(deck: Presentation, title: str, lang: str) -> Slide:
    """A blank slide with `title` across its top above a rule (no title for a cover)."""
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import MSO_ANCHOR

    slide = deck.slides.add_slide(deck.slide_layouts[6])
    if title:
        frame = slide.shapes.add_textbox(*_inches(0.5, 0.25, WIDE - 1, 1.1)).text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.BOTTOM
        _run(frame.paragraphs[0], title, lang, 24 if display_width(title) <= 80 else 20, bold=True)
        rule = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, *_inches(0.5, 1.38, WIDE - 1, 0.04))
        rule.fill.solid()
        rule.fill.fore_color.rgb = RGBColor.from_string(RULE)
        rule.line.fill.background()
    return slide


def _body(slide: Slide) -> Any:
    frame = slide.shapes.add_textbox(*_inches(0.5, BODY_TOP, WIDE - 1, BODY_HEIGHT)).text_frame
    frame.word_wrap = True
    return frame


def _run(paragraph: _Paragraph, text: str, lang: str, size: int, *, bold: bool = False, colour: str = INK) -> None:
    """Text added to `paragraph` in the deck's typefaces, East Asian one included."""
    from pptx.dml.color import RGBColor
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = RGBColor.from_string(colour)
    run.font.name = documents.LATIN_FONTS[lang]
    props = run._r.get_or_add_rPr()
    props.set("lang", documents.language_tag(lang))
    east = props.makeelement(qn("a:ea"), {"typeface": documents.EAST_ASIAN_FONT, "charset": "-128"})
    props.find(qn("a:latin")).addnext(east)


def _bullet(paragraph: _Paragraph) -> None:
    """A hanging bullet, so a wrapped follow-up lines up under its first word."""
    from pptx.oxml.ns import qn

    props = paragraph._p.get_or_add_pPr()
    props.set("marL", "285750")
    props.set("indent", "-228600")
    props.append(props.makeelement(qn("a:buFont"), {"typeface": "Arial"}))
    props.append(props.makeelement(qn("a:buChar"), {"char": "•"}))


CONTINUED = {"ja": "（続き）", "en": " (cont.)"}
SUMMARY_POINTS = 30


def _briefing_slides(deck: Presentation, briefing: Briefing, lang: str) -> None:
    """A meeting's slides: a line counting its follow-ups, what is pending and overdue, then the bullets."""
    late = len(briefing.overdue)
    summary = [
        (counted("followups", len(briefing.followups), lang), GREY),
        (counted("pending", len(briefing.pending), lang), rgb(COLOURS["scheduled"]) if briefing.pending else GREY),
        (counted("overdue", late, lang), rgb(OVERDUE_COLOUR) if late else GREY),
    ]
    _section_slides(deck, briefing_title(briefing, lang), briefing.sections, briefing.overdue, lang, summary)


def _section_slides(
    deck: Presentation,
    title: str,
    sections: Sequence[Section],
    overdue: Sequence[Item],
    lang: str,
    summary: Sequence[tuple[str, str]] = (),
) -> None:
    """Slides titled `title` holding the sections' follow-ups, continued on as many slides as they need."""
    pages = paginate(sections, lang, overdue, BODY_POINTS - (SUMMARY_POINTS if summary else 0), BODY_POINTS)
    for number, parts in enumerate(pages):
        frame = _body(_slide(deck, title if number == 0 else title + CONTINUED[lang], lang))
        paragraphs = _Paragraphs(frame)
        if number == 0 and summary:
            line = paragraphs.next()
            for at, (text, colour) in enumerate(summary):
                if at:
                    _run(line, "   ·   ", lang, 13, colour=GREY)
                _run(line, text, lang, 13, bold=colour != GREY, colour=colour)
            line.space_after = _points(8)
        if not sections:
            _run(paragraphs.next(), vocab.header("no_followups", lang), lang, ITEM_PT, colour=GREY)
        for part in parts:
            heading = paragraphs.next()
            heading.space_before = _points(HEADING_GAP)
            heading.line_spacing = _points(HEADING_LINE)
            _run(heading, f"■ {part.name}" + (CONTINUED[lang] if part.continued else ""), lang, HEADING_PT, bold=True)
            for item in part.items:
                _item(paragraphs.next(), item, lang, overdue)


class _Paragraphs:
    """Hands out a text frame's paragraphs in turn, starting with the empty one it was made with."""

    def __init__(self, frame: Any) -> None:
        self.frame, self.used = frame, False

    def next(self) -> _Paragraph:
        if not self.used:
            self.used = True
            return self.frame.paragraphs[0]
        return self.frame.add_paragraph()


def _item(paragraph: _Paragraph, item: Item, lang: str, overdue: Sequence[Item]) -> None:
    date, title, status = item_text(item, lang, overdue)
    _bullet(paragraph)
    paragraph.space_after = _points(ITEM_GAP)
    paragraph.line_spacing = _points(ITEM_LINE)
    _run(paragraph, f"{date}　" if lang == "ja" else f"{date} – ", lang, ITEM_PT, bold=True)
    _run(paragraph, title, lang, ITEM_PT)
    colour = rgb(status_colour(item, overdue))
    _run(paragraph, f"　【{status}】" if lang == "ja" else f"  [{status}]", lang, ITEM_PT, bold=True, colour=colour)


def _tally_row(briefing: Briefing, lang: str) -> tuple[str, Tally]:
    meeting = briefing.meeting
    return f"{meeting.when(lang)} {clean(meeting.title_in(lang))}", tally(meeting.id, briefing.followups)


TALLY_ROWS = 10


def _tally_slides(deck: Presentation, rows: Sequence[tuple[str, Tally]], total: Tally | None, lang: str) -> None:
    """The follow-ups counted by status, one row per meeting (and the total), ten rows a slide."""
    named = [*rows, *([(vocab.header("total", lang), total)] if total else [])]
    title = (
        f"{vocab.header('followups', lang)}の{vocab.header('status', lang)}"
        if lang == "ja"
        else f"{vocab.header('followups', lang)} by {vocab.header('status', lang).lower()}"
    )
    header = [vocab.header("meeting", lang), *(vocab.status_label(s, lang) for s in STATUSES)]
    header += [vocab.header("total", lang), vocab.header("completed", lang)]
    for start in range(0, max(len(named), 1), TALLY_ROWS):
        chunk = named[start : start + TALLY_ROWS]
        slide = _slide(deck, title if start == 0 else title + CONTINUED[lang], lang)
        shape = slide.shapes.add_table(len(chunk) + 1, len(header), *_inches(0.5, BODY_TOP + 0.1, WIDE - 1, 0.4))
        table = shape.table
        table.columns[0].width = _inches(3.6)[0]
        for column in range(1, len(header)):
            table.columns[column].width = _inches((WIDE - 1 - 3.6) / (len(header) - 1))[0]
        for column, text in enumerate(header):
            _cell(table.cell(0, column), text, lang, bold=True, colour="FFFFFF", size=9)
        for row, (name, counts) in enumerate(chunk, start=1):
            share = "—" if counts.completed is None else f"{counts.completed:.0%}"
            values = [name, *(str(counts.counts[s]) for s in STATUSES), str(counts.total), share]
            for column, text in enumerate(values):
                _cell(table.cell(row, column), text, lang, bold=name == vocab.header("total", lang))


def _cell(cell: Any, text: str, lang: str, *, bold: bool = False, colour: str = INK, size: int = 12) -> None:
    cell.text_frame.word_wrap = True
    _run(cell.text_frame.paragraphs[0], text, lang, size, bold=bold, colour=colour)
