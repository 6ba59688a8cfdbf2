"""The HTML briefing and timeline lanes as a reader's browser shows and prints them (headless Chromium).

Each page is laid out at the width of its printed A4 page with its print rules applied, and no
element may reach past that width; the page logs no error; printed, it gives A4 pages in a
sensible number, set in a Japanese font, with every follow-up on them. A strip of 日本語 is
screenshot beside a strip of characters no font has, so tofu cannot pass for Japanese.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from stidiplo import vocab
from tests.helpers import fixture_items, write_tracker
from tests.test_documents import BIG, many_followups

pypdf = pytest.importorskip("pypdf")
CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium fonts-noto-cjk)"),
    pytest.mark.slow,
]
PX_PER_MM = 96 / 25.4
PORTRAIT_PX = round((210 - 2 * 14) * PX_PER_MM)
"""CSS pixels across an A4 portrait page inside the briefing's 14 mm side margins."""
LANDSCAPE_PX = round((297 - 2 * 12) * PX_PER_MM)
"""CSS pixels across an A4 landscape page inside the lanes' 12 mm margins."""
A4_POINTS = (595, 842)

WATCH = """<script>window.__errors = [];
addEventListener("error", e => __errors.push(String(e.message || e.type)));
const __error = console.error; console.error = (...a) => { __errors.push(a.join(" ")); __error(...a); };</script>"""
MEASURE = """<script>addEventListener("load", () => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > width + 0.5)
    .map(e => `${e.tagName.toLowerCase()}.${e.className} reaches ${Math.round(e.getBoundingClientRect().right)}px`);
  const out = document.createElement("pre"); out.id = "probe";
  out.textContent = JSON.stringify({width, wide: wide.slice(0, 5), errors: __errors});
  document.body.appendChild(out);
});</script>"""


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "chromium-profile"
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


def print_rules(page: str) -> str:
    """The body of the page's `@media print { … }` block, to apply on screen as the printer would."""
    start = page.index("@media print {") + len("@media print {")
    depth, at = 1, start
    while depth:
        depth += {"{": 1, "}": -1}.get(page[at], 0)
        at += 1
    return page[start : at - 1]


def measured(tmp_path: Path, page: Path, width: int) -> dict:
    """The page laid out `width` CSS pixels wide under its print rules: what reaches past, what errors it logged."""
    html = page.read_text(encoding="utf-8")
    html = html.replace("<head>", "<head>" + WATCH, 1)
    html = html.replace("</head>", f"<style>{print_rules(html)}</style></head>", 1)
    probed = tmp_path / f"probed-{page.name}"
    probed.write_text(html.replace("</body>", MEASURE + "</body>", 1), encoding="utf-8")
    done = chromium(
        tmp_path, f"--window-size={width},1000", "--virtual-time-budget=3000", "--dump-dom", probed.as_uri()
    )
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stdout[-300:]
    report = json.loads(found.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
    report["console"] = [line for line in done.stderr.splitlines() if ":CONSOLE(" in line]
    return report


def printed(tmp_path: Path, page: Path) -> pypdf.PdfReader:
    target = tmp_path / f"{page.stem}.pdf"
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={target}", page.as_uri())
    return pypdf.PdfReader(str(target))


def font_names(reader: pypdf.PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            names.add(str(font["/FontDescriptor"].get_object()["/FontName"]).split("+")[-1])
    return names


def squeeze(text: str) -> str:
    """Text as a reader reads it: compatibility forms folded (⽂ → 文, ‧ → ・), no blank space.

    The CJK font's own character map names some glyphs by look-alikes; a reader sees the same mark.
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).replace("\u2027", "・"))


@pytest.fixture
def big(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list:
    items = many_followups()
    monkeypatch.setenv("STIDIPLO_DB", str(write_tracker(tmp_path / "big.json", [*fixture_items(), *items])))
    return items


def test_briefing_page_fits_a4_logs_nothing_and_prints_every_followup_in_a_japanese_font(
    run, big, tmp_path: Path
) -> None:
    page = tmp_path / "briefing.html"
    assert run("--lang", "ja", "brief", BIG[:8], "-o", str(page)).exit_code == 0
    report = measured(tmp_path, page, PORTRAIT_PX)
    assert report["width"] <= PORTRAIT_PX and report["wide"] == []
    assert report["errors"] == [] and report["console"] == []
    reader = printed(tmp_path, page)
    followups = big[1:]
    assert 2 <= len(reader.pages) <= len(followups) // 4 + 2
    assert all([round(float(v)) for v in p.mediabox.upper_right] == list(A4_POINTS) for p in reader.pages)
    text = squeeze("".join(p.extract_text() for p in reader.pages))
    for f in followups:
        assert squeeze(f.title) in text, f.title
    assert squeeze(vocab.status_label("coordinating", "ja")) in text
    assert any(re.search(r"CJK|JP|Gothic|Mincho|Hiragino|Meiryo", name) for name in font_names(reader))


@pytest.mark.parametrize("by", ["country", "field"])
def test_lanes_print_on_landscape_a4_without_overflow(run, tmp_path: Path, monkeypatch, by: str) -> None:
    from tests.helpers import SHIPPED

    monkeypatch.setenv("STIDIPLO_DB", str(shutil.copy(SHIPPED, tmp_path / "db.json")))
    page = tmp_path / f"lanes-{by}.html"
    assert run("--lang", "ja", "timeline", "--by", by, "-o", str(page)).exit_code == 0
    report = measured(tmp_path, page, LANDSCAPE_PX)
    assert report["wide"] == [] and report["errors"] == [] and report["console"] == []
    reader = printed(tmp_path, page)
    assert 1 <= len(reader.pages) <= 3
    assert all([round(float(v)) for v in p.mediabox.upper_right] == list(reversed(A4_POINTS)) for p in reader.pages)
    assert squeeze(vocab.header("timeline", "ja")) in squeeze(reader.pages[0].extract_text())


STRIPS = """<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><style>
body { margin: 0; background: #fff; font: 40px %s; }
div { position: absolute; top: 10px; width: 200px; height: 60px; white-space: nowrap; }
</style></head><body><div style="left:0">日本語</div><div style="left:220px">\ue000\ue001\ue002</div>
<div style="left:440px"></div></body></html>"""


def test_japanese_glyphs_are_drawn_not_tofu(tmp_path: Path) -> None:
    from PIL import Image, ImageChops

    from stidiplo.formats.html import FONTS

    page = tmp_path / "strips.html"
    page.write_text(STRIPS % FONTS, encoding="utf-8")
    shot = tmp_path / "strips.png"
    chromium(tmp_path, "--window-size=660,80", "--hide-scrollbars", f"--screenshot={shot}", page.as_uri())
    image = Image.open(shot).convert("L")
    japanese, tofu, blank = (image.crop((x, 10, x + 200, 70)) for x in (0, 220, 440))

    def inked(strip: Image.Image) -> int:
        return sum(1 for value in strip.tobytes() if value < 128)

    assert inked(blank) == 0
    assert inked(japanese) > 300
    assert ImageChops.difference(japanese, tofu).getbbox() is not None
