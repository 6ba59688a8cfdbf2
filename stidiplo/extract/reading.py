"""Documents as numbered lines of text: plain text, Markdown, Word (.docx) and PDF.

Word and PDF readers (python-docx, pypdf) are optional: they are imported only here, only for
such a file, and a missing one is named with the command that installs it. Anything that is not
text a person wrote (a binary file, an empty file, a scanned PDF with no text layer, bytes in no
encoding we know) is refused with one sentence saying which.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from stidiplo.errors import DOCUMENTS_EXTRA, StidiploError

TEXT_ENCODINGS = ("utf-8", "cp932", "euc_jp")
"""Tried in this order after any byte-order mark: Japanese offices still save Shift_JIS and EUC-JP."""

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|`)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")


class UnreadableDocument(StidiploError):
    """A file that holds no text to read, said in one sentence."""


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a document: where it is ("line 12", "page 2, line 5") and its text."""

    where: str
    text: str


@dataclass(frozen=True, slots=True)
class Document:
    """A document's name as the user gave it, and its lines."""

    name: str
    lines: list[Line]


def read_document(path: Path) -> Document:
    """The lines of `path`, whatever its format; UnreadableDocument when it has no text."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise UnreadableDocument(f"{path}: cannot read ({err.strerror})") from None
    if not raw.strip():
        raise UnreadableDocument(f"{path}: the file is empty")
    suffix = path.suffix.lower()
    if raw.startswith(b"%PDF"):
        texts = _pdf_pages(path, raw)
        lines = [Line(f"page {p}, line {n}", t) for p, page in enumerate(texts, 1) for n, t in _numbered(page)]
    elif raw.startswith(b"PK\x03\x04") and suffix in (".docx", ".docm"):
        lines = [Line(f"paragraph {n}", t) for n, t in enumerate(_docx_paragraphs(path, raw), 1)]
    else:
        text = _decode(path, raw)
        if suffix in (".md", ".markdown"):
            text = _plain_markdown(text)
        lines = [Line(f"line {n}", t) for n, t in _numbered(text)]
    if not any(line.text.strip() for line in lines):
        raise UnreadableDocument(f"{path}: no text found in the document")
    return Document(str(path), lines)


def _numbered(text: str) -> list[tuple[int, str]]:
    return list(enumerate(text.splitlines(), 1))


def _decode(path: Path, raw: bytes) -> str:
    """Text in the first encoding that reads it whole; binary content is refused, never guessed at."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates: tuple[str, ...] = ("utf-16",)
    elif raw.startswith(b"\xef\xbb\xbf"):
        candidates = ("utf-8-sig",)
    else:
        if b"\x00" in raw:
            raise UnreadableDocument(f"{path}: a binary file, not text, Word (.docx) or PDF")
        candidates = TEXT_ENCODINGS
    for encoding in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if len(_CONTROL.findall(text)) > max(2, len(text) // 200):
            raise UnreadableDocument(f"{path}: a binary file, not text, Word (.docx) or PDF")
        return text
    tried = ", ".join(candidates)
    raise UnreadableDocument(f"{path}: cannot read the text in any known encoding ({tried}); save it as UTF-8")


def _plain_markdown(text: str) -> str:
    """Markdown as the words a reader sees: headings keep a ■ mark, links their text, no emphasis marks."""
    lines = []
    for line in text.splitlines():
        if _MD_HEADING.match(line):
            line = "■ " + _MD_HEADING.sub("", line)
        line = _MD_LINK.sub(r"\1", line)
        lines.append(_MD_EMPHASIS.sub("", line))
    return "\n".join(lines)


def _missing(module: str) -> UnreadableDocument:
    return UnreadableDocument(f"reading this file needs {module}: {DOCUMENTS_EXTRA}")


def _docx_paragraphs(path: Path, raw: bytes) -> list[str]:
    """Every paragraph of the body and of its tables, in order."""
    try:
        import docx  # python-docx
    except ImportError:
        raise _missing("python-docx") from None
    import io

    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as err:  # python-docx raises many kinds for a damaged file
        raise UnreadableDocument(f"{path}: not a readable Word document ({type(err).__name__})") from None
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            paragraphs.extend(cell.text for cell in row.cells)
    return paragraphs


def _pdf_pages(path: Path, raw: bytes) -> list[str]:
    """The text of each page; a PDF of scanned images has none, and is refused as such."""
    try:
        import pypdf
    except ImportError:
        raise _missing("pypdf") from None
    import io
    import logging
    import warnings

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its complaints about a damaged file would add lines
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = pypdf.PdfReader(io.BytesIO(raw))
            pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as err:  # pypdf raises many kinds for a damaged or encrypted file
        raise UnreadableDocument(f"{path}: not a readable PDF ({type(err).__name__})") from None
    if not any(unicodedata.normalize("NFKC", page).strip() for page in pages):
        raise UnreadableDocument(f"{path}: the PDF has no text layer (a scan?); run it through OCR first")
    return pages
