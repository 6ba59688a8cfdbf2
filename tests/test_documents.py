"""Briefings as PowerPoint, Word and PDF, the timeline as PDF, the scorecard as a workbook with a chart.

Every document is read back with its own library (python-pptx, python-docx, pypdf, openpyxl), as
a reader's program would open it, and must hold the meeting, every follow-up and every status in
the language asked for; a meeting with many follow-ups must lose none at a slide or page break.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from stidiplo import vocab
from stidiplo.model import STATUSES, Item, StatusChange
from tests.helpers import fixed_id, fixture_items, item, write_tracker

pptx = pytest.importorskip("pptx")
docx = pytest.importorskip("docx")
pypdf = pytest.importorskip("pypdf")
pytest.importorskip("reportlab")

EU = fixed_id("eu-meeting")
BIG = fixed_id("big-meeting")
FIELDS = ("quantum", "arctic", "ai", "health", "space")
STATUS_CYCLE = ("done", "ongoing", "coordinating", "scheduled", "done", "exploring", "dropped")


def many_followups() -> list[Item]:
    """A meeting with 42 follow-ups over five fields, some long enough to wrap, several overdue."""
    items = [
        item(
            "big-meeting",
            kind="meeting",
            title="文部科学大臣と欧州委員の定期会談",
            title_en="Minister meets the European Commissioner",
            date="2018-03",
            countries=["EU"],
            fields=["science-policy"],
            place="Brussels, Belgium",
            people=["林芳正", "Carlos Moedas"],
            organizations=["MEXT", "European Commission"],
        )
    ]
    for n in range(42):
        status = STATUS_CYCLE[n % len(STATUS_CYCLE)]
        long = "（研究者交流・共同公募・ワークショップを含む包括的な協力の枠組み）" if n % 5 == 0 else ""
        items.append(
            item(
                f"followup-{n}",
                kind=("event", "agreement", "joint-call", "visit")[n % 4],
                title=f"第{n + 1}号案件 {vocab.field_name(FIELDS[n % 5], 'ja')}の協力{long}",
                title_en=f"Follow-up no. {n + 1} in {vocab.field_name(FIELDS[n % 5], 'en')}"
                + (" (a comprehensive framework of exchange, joint calls and workshops)" if long else ""),
                date=f"2018-{n % 12 + 1:02d}-{n % 27 + 1:02d}",
                countries=["EU"],
                fields=[FIELDS[n % 5]],
                follows=[BIG],
                status=status,
                history=[StatusChange("2018-04", status)],
                organizations=["JST"] if n % 2 else [],
            )
        )
    return items


@pytest.fixture
def big(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Item]:
    items = many_followups()
    monkeypatch.setenv("STIDIPLO_DB", str(write_tracker(tmp_path / "big.json", [*fixture_items(), *items])))
    return items


def squeeze(text: str) -> str:
    """Text without any blank space, so a title wrapped over two lines still matches; compatibility
    forms a font's character map may give (⽂ for 文) folded."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pptx_slides(path: Path) -> list[list[str]]:
    """Each slide's paragraphs, text boxes and table cells alike."""
    deck = pptx.Presentation(str(path))
    slides = []
    for slide in deck.slides:
        lines = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                lines += [p.text for p in shape.text_frame.paragraphs if p.text]
            if shape.has_table:
                lines += [cell.text for row in shape.table.rows for cell in row.cells]
        slides.append(lines)
    return slides


def docx_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """A Word document's paragraphs, and the cells of every table row."""
    doc = docx.Document(str(path))
    return [p.text for p in doc.paragraphs], [[c.text for c in row.cells] for t in doc.tables for row in t.rows]


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(str(path)).pages]


def brief_to(run, lang: str, meeting: str, target: Path) -> None:
    result = run("--lang", lang, "brief", meeting[:8], "-o", str(target))
    assert result.exit_code == 0, result
    assert result.stdout == f"wrote {target}\n"


def bullet(f: Item, lang: str) -> str:
    """A follow-up's bullet as the slide must show it: date, title, status (scheduled in the past is overdue)."""
    tag = vocab.status_label(f.status, lang)
    if f.status == "scheduled":
        tag += "・期限超過" if lang == "ja" else ", Overdue"
    return (
        f"{f.when(lang)}　{f.title_in(lang)}　【{tag}】" if lang == "ja" else f"{f.when(lang)} – {f.title_en}  [{tag}]"
    )


# -- PowerPoint -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_deck_puts_every_followup_on_exactly_one_slide_with_its_status(run, big, tmp_path: Path, lang: str) -> None:
    target = tmp_path / f"big-{lang}.pptx"
    brief_to(run, lang, BIG, target)
    deck = pptx.Presentation(str(target))
    assert (deck.slide_width, deck.slide_height) == (pptx.util.Inches(13.333), pptx.util.Inches(7.5))
    slides = pptx_slides(target)
    meeting, followups = big[0], big[1:]
    title = vocab.header("briefing_title", lang).format(meeting=meeting.title_in(lang), date=meeting.when(lang))
    assert slides[0][0] == title
    continued = "（続き）" if lang == "ja" else " (cont.)"
    body = slides[:-1]
    assert len(body) >= 3 and all(s[0] == title + continued for s in body[1:])
    bullets = Counter(line for s in body for line in s[1:])
    for f in followups:
        assert bullets[bullet(f, lang)] == 1, bullet(f, lang)
    assert sum(1 for s in body for line in s if line.startswith("■ ")) >= len(FIELDS)


def test_deck_marks_overdue_followups_and_ends_with_the_tally(run, big, tmp_path: Path) -> None:
    target = tmp_path / "big.pptx"
    brief_to(run, "en", BIG, target)
    slides = pptx_slides(target)
    overdue = [f for f in big[1:] if f.status == "scheduled"]
    for f in overdue:
        assert any(line.endswith(f"{f.title_en}  [scheduled, Overdue]") for s in slides for line in s)
    tally = slides[-1]
    assert tally[0] == "Follow-ups by status"
    counts = Counter(f.status for f in big[1:])
    done_share = f"{counts['done'] / (42 - counts['dropped']):.0%}"
    row = tally[tally.index("Completed") + 1 :][:9]
    assert row[1:] == [*(str(counts[s]) for s in STATUSES), "42", done_share]
    assert all(s[-1] == f"{n} / {len(slides)}" for n, s in enumerate(slides, start=1))


def test_deck_names_an_east_asian_font_for_japanese_runs(run, db: Path, tmp_path: Path) -> None:
    target = tmp_path / "eu.pptx"
    brief_to(run, "ja", EU, target)
    first = pptx.Presentation(str(target)).slides[0]
    xml = first.shapes[0].text_frame.paragraphs[0].runs[0]._r.xml
    assert re.search(r'<a:ea typeface="Meiryo" charset="-128"/>', xml)
    assert 'lang="ja-JP"' in xml


def test_country_deck_has_a_cover_each_meeting_and_the_tally(run, db: Path, tmp_path: Path) -> None:
    target = tmp_path / "eu.pptx"
    assert run("brief", "--country", "EU", "-o", str(target)).exit_code == 0
    slides = pptx_slides(target)
    assert slides[0][0] == "Briefing: European Union" and slides[0][1] == "Meeting: 1 · Follow-ups: 3"
    assert slides[1][0] == "Status since Minister meets Commissioner Moedas (Jan 2018)"
    assert slides[1][1] == "Follow-ups: 3   ·   Still pending: 0   ·   Overdue: 0"
    assert slides[-1][0] == "Follow-ups by status" and "Jan 2018 Minister meets Commissioner Moedas" in slides[-1]


# -- Word -------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_word_document_has_every_followup_in_its_field_table_with_status(run, big, tmp_path: Path, lang: str) -> None:
    target = tmp_path / f"big-{lang}.docx"
    brief_to(run, lang, BIG, target)
    paragraphs, rows = docx_rows(target)
    meeting = big[0]
    assert paragraphs[0] == vocab.header("briefing_title", lang).format(
        meeting=meeting.title_in(lang), date=meeting.when(lang)
    )
    assert [vocab.header("place", lang), "Brussels, Belgium"] in rows
    header = [vocab.header(k, lang) for k in ("date", "title", "kind", "status")]
    assert rows.count(header) == len(FIELDS)
    for f in big[1:]:
        found = [r for r in rows if len(r) == 4 and r[1].split("\n")[0] == f.title_in(lang)]
        assert len(found) == 1, f.title_in(lang)
        assert found[0][0] == f.when(lang) and found[0][2] == vocab.kind_label(f.kind, lang)
        assert found[0][3].startswith(vocab.status_label(f.status, lang))
    for name in FIELDS:
        assert f"■ {vocab.field_name(name, lang)}" in paragraphs


def test_word_document_is_a4_dated_and_numbered_with_optional_history(run, db: Path, tmp_path: Path) -> None:
    with_history, without = tmp_path / "h.docx", tmp_path / "n.docx"
    assert run("note", fixed_id("erc")[:8], "Signed at the STS forum").exit_code == 0
    brief_to(run, "ja", EU, with_history)
    assert run("--lang", "ja", "brief", EU[:8], "--no-history", "-o", str(without)).exit_code == 0
    doc = docx.Document(str(with_history))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert section.header.paragraphs[0].text == "2019年4月30日現在"
    assert 'w:instr="PAGE"' in section.footer.paragraphs[0]._p.xml
    assert 'w:eastAsia="Meiryo"' in doc.styles["Normal"].element.xml
    history = ": Signed at the STS forum"
    assert any(history in r[1] for r in docx_rows(with_history)[1] if len(r) == 4)
    assert not any(history in r[1] for r in docx_rows(without)[1] if len(r) == 4)


# -- PDF --------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_pdf_holds_every_followup_across_its_pages(run, big, tmp_path: Path, lang: str) -> None:
    target = tmp_path / f"big-{lang}.pdf"
    brief_to(run, lang, BIG, target)
    pages = pdf_pages(target)
    assert len(pages) >= 2
    text = squeeze("".join(pages))
    meeting = big[0]
    assert squeeze(f"{meeting.title_in(lang)}") in text
    for f in big[1:]:
        assert squeeze(f"{f.when(lang)}{f.title_in(lang)}") in text, f.title_in(lang)
    bracket = ("【", "】") if lang == "ja" else ("[", "]")
    for status in {f.status for f in big[1:]}:
        assert squeeze(f"{bracket[0]}{vocab.status_label(status, lang)}") in text
    reader = pypdf.PdfReader(str(target))
    assert [round(float(v)) for v in reader.pages[0].mediabox.upper_right] == [595, 842]
    fonts = {str(f["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert "/HeiseiKakuGo-W5" in fonts


def test_timeline_pdf_lists_the_items_by_year(run, db: Path, tmp_path: Path) -> None:
    target = tmp_path / "se.pdf"
    assert run("--lang", "ja", "timeline", "--country", "SE", "-o", str(target)).exit_code == 0
    text = squeeze("".join(pdf_pages(target)))
    assert squeeze("年表") in text and "2018年" in text
    for name in ("lund", "se-doc"):
        mine = next(i for i in fixture_items() if i.id == fixed_id(name))
        assert squeeze(mine.title) in text


# -- Excel ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_scorecard_workbook_has_the_table_and_a_bar_chart_of_the_share_completed(
    run, big, tmp_path: Path, lang: str
) -> None:
    from openpyxl import load_workbook

    target = tmp_path / f"sc-{lang}.xlsx"
    assert run("--lang", lang, "scorecard", "--by", "field", "-o", str(target)).exit_code == 0
    sheet = load_workbook(io.BytesIO(target.read_bytes()))["scorecard"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == vocab.header("field", lang) and rows[0][-1] == vocab.header("completed", lang)
    assert rows[0][1:7] == [vocab.status_label(s, lang) for s in STATUSES]
    quantum = next(r for r in rows if r[0] == vocab.field_name("quantum", lang))
    mine = [f for f in [*fixture_items(), *big] if f.follows and "quantum" in f.fields]
    assert quantum[-2] == len(mine)
    assert quantum[-1] == pytest.approx(
        sum(f.status == "done" for f in mine) / sum(f.status != "dropped" for f in mine)
    )
    assert rows[-1][0] == vocab.header("total", lang)
    (chart,) = sheet._charts
    assert chart.type == "bar" and chart.tagname == "barChart"
    values = chart.series[0].val.numRef.f
    assert values == f"'scorecard'!$I$2:$I${len(rows) - 1}"


# -- choosing the format ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "suffix"),
    [
        (["scorecard", "-o", "sc.html"], ".html"),
        (["brief", EU[:8], "-o", "b.csv"], ".csv"),
        (["timeline", "-o", "t.pptx"], ".pptx"),
        (["brief", EU[:8], "-o", "b.xlsx"], ".xlsx"),
    ],
)
def test_a_suffix_the_command_cannot_write_is_refused_in_one_line(run, db: Path, args: list[str], suffix: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"stidiplo: cannot write {suffix} files here; -o takes ")
    assert result.stderr.count("\n") == 1
    assert not Path(args[-1]).exists()


def test_an_explicit_format_goes_to_standard_output_when_it_is_not_a_terminal(run, db: Path) -> None:
    result = run("brief", EU[:8], "--format", "pdf")
    assert result.exit_code == 0 and result.stdout.startswith("%PDF-")


@pytest.mark.parametrize(
    ("suffix", "module", "package"),
    [(".pptx", "pptx", "python-pptx"), (".docx", "docx", "python-docx"), (".pdf", "reportlab", "reportlab")],
)
def test_a_missing_library_is_named_with_what_to_install(
    run, db: Path, monkeypatch: pytest.MonkeyPatch, suffix: str, module: str, package: str
) -> None:
    import sys

    for name in [m for m in sys.modules if m == module or m.startswith(module + ".")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, module, None)
    result = run("brief", EU[:8], "-o", f"eu{suffix}")
    assert result.exit_code == 1
    assert result.stderr == f"stidiplo: writing {suffix} needs {package}: pip install 'stidiplo[documents]'\n"
    assert not Path(f"eu{suffix}").exists()


@pytest.mark.slow
def test_listing_and_markdown_briefs_load_no_document_library(db: Path, tmp_path: Path) -> None:
    from tests.test_imports import loaded, modules_after

    heavy = ("pptx", "docx", "reportlab", "pypdf", "stidiplo.formats.slides", "stidiplo.formats.pdf")
    for args in (("list", "--country", "sweden"), ("brief", EU[:8], "--format", "md")):
        modules = modules_after(tmp_path, *args)
        assert [name for name in heavy if loaded(modules, name)] == []
    assert loaded(modules_after(tmp_path, "brief", EU[:8], "-o", str(tmp_path / "eu.pptx")), "pptx")


OFFICE = next((p for p in map(shutil.which, ("libreoffice", "soffice")) if p), None)


@pytest.mark.slow
@pytest.mark.skipif(OFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_deck_the_document_and_the_workbook(run, db: Path, tmp_path: Path) -> None:
    names = {
        "deck.pptx": ("brief", EU[:8]),
        "page.docx": ("brief", EU[:8]),
        "sc.xlsx": ("scorecard", "--by", "country"),
    }
    for name, args in names.items():
        assert run("--lang", "ja", *args, "-o", str(tmp_path / name)).exit_code == 0
    profile = (tmp_path / "office-profile").as_uri()
    subprocess.run(
        [
            str(OFFICE),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
        ]
        + [str(tmp_path / name) for name in names],
        capture_output=True,
        timeout=180,
        check=True,
    )
    erc = squeeze("JSTとERCの実施取極に署名")
    for drawn in ("deck.pdf", "page.pdf"):
        assert erc in squeeze("".join(pdf_pages(tmp_path / drawn))), drawn
    sheet = squeeze("".join(pdf_pages(tmp_path / "sc.pdf")))
    assert squeeze("欧州連合 (EU)") in sheet and "完了率" in sheet
