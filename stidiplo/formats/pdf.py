"""Briefings and the timeline as printable A4 PDF, drawn with reportlab.

Japanese is set in the standard CID fonts HeiseiKakuGo-W5 (gothic) and HeiseiMin-W3 (mincho),
which every PDF reader supplies, so nothing is embedded and a briefing stays a few kilobytes;
those fonts space Latin letters badly, so each run of text a Latin font can show (accents
included) is set in Helvetica and the rest in the CID font. reportlab was chosen over printing
the HTML with a headless browser: it is a pip package that loads in about 0.1 s, where the
browser is a system program that takes a second or more to start and is not on every machine.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from html import escape
from typing import TYPE_CHECKING, Any

from stidiplo import vocab
from stidiplo.followups import Briefing, CountryBriefing, Section
from stidiplo.formats.documents import clean, counted, language_tag, missing, status_colour, status_tag
from stidiplo.formats.records import history_entries, timeline_facts
from stidiplo.labels import as_of, briefing_title, joined, meeting_facts, organizations, section_name, year_of
from stidiplo.model import Item

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

GOTHIC = "HeiseiKakuGo-W5"
LATIN, LATIN_BOLD = "Helvetica", "Helvetica-Bold"
INK, GREY, RULE = "#1a1a1a", "#555555", "#1f3864"
MARGIN_MM = 16


def briefing_pdf(report: Briefing | CountryBriefing, lang: str) -> bytes:
    """A meeting's or a country's briefing as a PDF file's bytes, each meeting from a new page."""
    _styles()
    story: list[Flowable] = []
    if isinstance(report, Briefing):
        story += _briefing(report, lang, "h1")
    else:
        story += _country(report, lang)
    return _build(story, briefing_title(report, lang) if isinstance(report, Briefing) else "", lang, report.today)


def timeline_pdf(items: Sequence[Item], lang: str, today: date) -> bytes:
    """The timeline on A4: items by year, each with its date, title, status, countries and kind."""
    styles = _styles()
    story: list[Flowable] = [_para(vocab.header("timeline", lang), styles["h1"])]
    year = None
    for item in items:
        if year_of(item, lang) != year:
            year = year_of(item, lang)
            story.append(_para(year, styles["h2"]))
        story.append(_item(item, lang, [], timeline_facts(item, lang)))
    return _build(story, vocab.header("timeline", lang), lang, today)


def _country(report: CountryBriefing, lang: str) -> list[Flowable]:
    from reportlab.platypus import PageBreak

    styles = _styles()
    name = vocab.country_name(report.country, lang)
    story: list[Flowable] = [_para(vocab.header("briefing_country", lang).format(country=name), styles["h1"])]
    for at, briefing in enumerate(report.briefings):
        story += [PageBreak()] if at else []
        story += _briefing(briefing, lang, "h2")
    if report.others:
        story += [PageBreak()] if report.briefings else []
        story.append(_para(vocab.header("others_with", lang).format(country=name), styles["h2"]))
        story += _sections(report.others, [], lang, report.history)
    if not report.briefings and not report.others:
        story.append(_para(vocab.header("nothing_with", lang).format(country=name), styles["body"]))
    return story


def _briefing(briefing: Briefing, lang: str, level: str) -> list[Flowable]:
    from reportlab.platypus import Spacer

    styles = _styles()
    story: list[Flowable] = [_para(briefing_title(briefing, lang), styles[level]), _facts(briefing.meeting, lang)]
    story.append(Spacer(1, 4))
    if not briefing.sections:
        story.append(_para(vocab.header("no_followups", lang), styles["body"]))
    story += _sections(briefing.sections, briefing.overdue, lang, briefing.history)
    for key, items in (("pending", briefing.pending), ("overdue", briefing.overdue)):
        story.append(_para(counted(key, len(items), lang), styles["h3"]))
        story += [_item(i, lang, briefing.overdue) for i in items] or [_para("—", styles["body"])]
    return story


def _sections(sections: Sequence[Section], overdue: Sequence[Item], lang: str, history: bool) -> list[Flowable]:
    styles = _styles()
    story: list[Flowable] = []
    for section in sections:
        story.append(_para(f"■ {section_name(section, lang)}", styles["h3"]))
        for item in section.items:
            story.append(_item(item, lang, overdue, _meta(item, lang)))
            for at, change in history_entries(item, lang, marks=False) if history else ():
                line = f"{at}: {change}" if at else change
                story.append(_para(line, styles["history"]))
    return story


def _meta(item: Item, lang: str) -> str:
    return " · ".join(
        [
            vocab.kind_label(item.kind, lang),
            *([joined(organizations(item, lang), lang)] if item.organizations or item.programmes else []),
        ]
    )


def _item(item: Item, lang: str, overdue: Sequence[Item], meta: str = "") -> Flowable:
    """One follow-up as a bullet: its date in bold, its title, its status in the status's colour."""
    colour = status_colour(item, overdue)
    status = f"【{status_tag(item, overdue, lang)}】" if lang == "ja" else f"[{status_tag(item, overdue, lang)}]"
    markup = (
        f"{_runs(item.when(lang), bold=True)}&nbsp;&nbsp;{_runs(clean(item.title_in(lang)))}&nbsp;&nbsp;"
        f'<font color="{colour}">{_runs(status, bold=True)}</font>'
    )
    if meta:
        markup += f'&nbsp;&nbsp;<font color="{GREY}" size="8">{_runs(clean(meta))}</font>'
    return _paragraph(markup, _styles()["item"], bullet=True)


def _facts(meeting: Item, lang: str) -> Flowable:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Table, TableStyle

    styles = _styles()
    rows = [
        [_para(label, styles["label"]), _para(value, styles["body"])] for label, value in meeting_facts(meeting, lang)
    ]
    table = Table(rows, colWidths=[32 * mm, None])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#bbbbbb")),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eef1f6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _runs(text: str, *, bold: bool = False) -> str:
    """Paragraph markup for `text`: what Helvetica can show in Helvetica, the rest in the Japanese CID font."""
    out, run, latin = [], "", None
    for char in text:
        is_latin = _latin(char)
        if run and is_latin != latin:
            out.append(_font(run, latin, bold))
            run = ""
        run, latin = run + char, is_latin
    if run:
        out.append(_font(run, latin, bold))
    return "".join(out)


def _latin(char: str) -> bool:
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _font(run: str, latin: bool | None, bold: bool) -> str:
    face = (LATIN_BOLD if bold else LATIN) if latin else GOTHIC
    return f'<font face="{face}">{escape(run, quote=False)}</font>'


def _para(text: str, style: Any) -> Flowable:
    return _paragraph(_runs(clean(text)), style)


def _paragraph(markup: str, style: Any, *, bullet: bool = False) -> Flowable:
    from reportlab.platypus import Paragraph

    return Paragraph(markup, style, bulletText="•" if bullet else None)


_STYLES: dict[str, Any] = {}


def _styles() -> dict[str, Any]:
    """The page's paragraph styles, made once the fonts are registered."""
    try:
        from reportlab.lib import colors
        from reportlab.lib.enums import TA_RIGHT
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    except ImportError:
        raise missing(".pdf", "reportlab") from None
    if _STYLES:
        return _STYLES
    pdfmetrics.registerFont(UnicodeCIDFont(GOTHIC))
    base = ParagraphStyle("body", fontName=LATIN, fontSize=9.5, leading=14, textColor=colors.HexColor(INK))
    sizes = {"h1": (16, 10), "h2": (14, 8), "h3": (11.5, 4)}
    for name, (size, after) in sizes.items():
        _STYLES[name] = ParagraphStyle(
            name, base, fontSize=size, leading=size * 1.4, spaceBefore=after, spaceAfter=after / 2, keepWithNext=True
        )
    _STYLES["h1"].textColor = colors.HexColor(RULE)
    _STYLES["body"] = base
    _STYLES["label"] = ParagraphStyle("label", base, fontName=LATIN_BOLD)
    _STYLES["item"] = ParagraphStyle("item", base, leftIndent=12, bulletIndent=2, spaceAfter=2)
    _STYLES["history"] = ParagraphStyle("history", base, fontSize=8, leading=11, leftIndent=24, textColor=GREY)
    _STYLES["margin"] = ParagraphStyle("margin", base, fontSize=8, leading=10, textColor=GREY, alignment=TA_RIGHT)
    return _STYLES


def _build(story: list[Flowable], title: str, lang: str, today: date) -> bytes:
    """The story laid out on A4 pages, the as-of date at the top right and the page number below."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    dated = _para(as_of(today, lang), _styles()["margin"])

    def margins(canvas: Any, doc: Any) -> None:
        width, height = A4
        _, tall = dated.wrapOn(canvas, width / 2, 20)
        dated.drawOn(canvas, width / 2 - MARGIN_MM * mm, height - 10 * mm - tall)
        canvas.setFont(LATIN, 8)
        canvas.setFillColor(GREY)
        canvas.drawCentredString(width / 2, 9 * mm, str(doc.page))

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN_MM * mm,
        rightMargin=MARGIN_MM * mm,
        topMargin=18 * mm,
        bottomMargin=16 * mm,
        title=clean(title),
        author="stidiplo",
        lang=language_tag(lang),
    )
    doc.build(story, onFirstPage=margins, onLaterPages=margins)
    return out.getvalue()
