"""Briefings as an A4 Word document: what an official edits before handing it round.

A heading per meeting, its facts table (date, place, countries, people, organisations), then a
heading per field (■ …) over a table of its follow-ups with date, title, kind and status, each
follow-up's history beneath its title unless `--no-history`; what is pending and what is overdue
close each meeting. The header carries the as-of date, the footer the page number. Every style
names an East Asian font (Meiryo, Japanese language), so Word and LibreOffice set 日本語 in a
Japanese face.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from stidiplo import vocab
from stidiplo.followups import Briefing, CountryBriefing, Section
from stidiplo.formats import documents
from stidiplo.formats.documents import GREY, clean, counted, missing, rgb, status_colour, status_tag
from stidiplo.formats.records import history_entries
from stidiplo.labels import as_of, briefing_title, meeting_facts, section_name
from stidiplo.model import Item

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet")


def document(report: Briefing | CountryBriefing, lang: str) -> bytes:
    """A meeting's or a country's briefing as a .docx file's bytes."""
    doc = _new_document(lang, as_of(report.today, lang))
    if isinstance(report, Briefing):
        _briefing(doc, report, lang, 1)
    else:
        _country(doc, report, lang)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _country(doc: Document, report: CountryBriefing, lang: str) -> None:
    name = vocab.country_name(report.country, lang)
    doc.add_heading(vocab.header("briefing_country", lang).format(country=name), 0)
    for at, briefing in enumerate(report.briefings):
        _briefing(doc, briefing, lang, 1, new_page=at > 0)
    if report.others:
        doc.add_heading(
            vocab.header("others_with", lang).format(country=name), 1
        ).paragraph_format.page_break_before = bool(report.briefings)
        _sections(doc, report.others, [], lang, 2, report.history)
    if not report.briefings and not report.others:
        doc.add_paragraph(vocab.header("nothing_with", lang).format(country=name))


def _briefing(doc: Document, briefing: Briefing, lang: str, level: int, *, new_page: bool = False) -> None:
    heading = doc.add_heading(briefing_title(briefing, lang), level)
    heading.paragraph_format.page_break_before = new_page
    facts = doc.add_table(rows=0, cols=2)
    facts.style = "Table Grid"
    for label, value in meeting_facts(briefing.meeting, lang):
        cells = facts.add_row().cells
        _text(cells[0].paragraphs[0], label, bold=True)
        _text(cells[1].paragraphs[0], clean(value))
    _widths(facts, (3.5, 12.5))
    if not briefing.sections:
        doc.add_paragraph(vocab.header("no_followups", lang))
    _sections(doc, briefing.sections, briefing.overdue, lang, level + 1, briefing.history)
    for key, items in (("pending", briefing.pending), ("overdue", briefing.overdue)):
        doc.add_heading(counted(key, len(items), lang), level + 1)
        for item in items:
            line = doc.add_paragraph(style="List Bullet")
            _text(line, f"{item.when(lang)}  ", bold=True)
            _text(line, clean(item.title_in(lang)) + "  ")
            _status(line, item, briefing.overdue, lang)
        if not items:
            doc.add_paragraph("—")


def _sections(
    doc: Document, sections: Sequence[Section], overdue: Sequence[Item], lang: str, level: int, history: bool
) -> None:
    """A heading per field and a table of its follow-ups, the header row repeated on every page."""
    header = [vocab.header(key, lang) for key in ("date", "title", "kind", "status")]
    for section in sections:
        doc.add_heading(f"■ {section_name(section, lang)}", level).paragraph_format.keep_with_next = True
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            _text(cell.paragraphs[0], text, bold=True)
        _repeat_header(table.rows[0])
        for item in section.items:
            cells = table.add_row().cells
            _text(cells[0].paragraphs[0], item.when(lang))
            _text(cells[1].paragraphs[0], clean(item.title_in(lang)))
            for at, change in history_entries(item, lang) if history else ():
                line = f"{at}: {clean(change)}" if at else clean(change)
                _text(cells[1].add_paragraph(), line, size=8, colour=GREY)
            _text(cells[2].paragraphs[0], vocab.kind_label(item.kind, lang))
            _status(cells[3].paragraphs[0], item, overdue, lang)
        _widths(table, (3.2, 8.0, 2.6, 3.2))


def _status(paragraph: Paragraph, item: Item, overdue: Sequence[Item], lang: str) -> None:
    _text(paragraph, status_tag(item, overdue, lang), bold=True, colour=rgb(status_colour(item, overdue)))


def _text(paragraph: Paragraph, text: str, *, bold: bool = False, size: float | None = None, colour: str = "") -> None:
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(text)
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)


def _new_document(lang: str, dated: str) -> Document:
    """An empty A4 document in the briefing's fonts, the as-of date in its header, page numbers below."""
    try:
        from docx import Document as new
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm
    except ImportError:
        raise missing(".docx", "python-docx") from None
    doc = new()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)
    for name in STYLES:
        _fonts(doc.styles[name], lang)
    top = section.header.paragraphs[0]
    top.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _text(top, dated, size=9, colour=GREY)
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(foot, "PAGE")
    foot.add_run(" / ")
    _field(foot, "NUMPAGES")
    return doc


def _fonts(style: Any, lang: str) -> None:
    """Give a style the Latin and East Asian faces outright, dropping the theme fonts that would win."""
    from docx.oxml.ns import qn

    style.font.name = documents.LATIN_FONTS[lang]
    props = style.element.get_or_add_rPr()
    fonts = props.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:eastAsia"), documents.EAST_ASIAN_FONT)
    language = props.find(qn("w:lang"))
    if language is None:
        language = props.makeelement(qn("w:lang"), {})
        props.append(language)
    language.set(qn("w:val"), documents.language_tag(lang))
    language.set(qn("w:eastAsia"), "ja-JP")


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A field Word and LibreOffice fill in when they lay out the page (PAGE, NUMPAGES)."""
    from docx.oxml.ns import qn

    field = paragraph._p.makeelement(qn("w:fldSimple"), {qn("w:instr"): instruction})
    run = field.makeelement(qn("w:r"), {})
    text = run.makeelement(qn("w:t"), {})
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _repeat_header(row: Any) -> None:
    """Mark a table's first row to repeat at the top of each page the table runs onto."""
    from docx.oxml.ns import qn

    props = row._tr.get_or_add_trPr()
    props.append(props.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))


def _widths(table: Any, centimetres: Sequence[float]) -> None:
    from docx.shared import Cm

    table.autofit = False
    for column, width in zip(table.columns, centimetres, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, centimetres, strict=True):
            cell.width = Cm(width)
