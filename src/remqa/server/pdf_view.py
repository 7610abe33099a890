"""A PDF page rendered by PDFium, and a quote's own characters on it as rectangles.

The quote's extracted-text offsets go to PDFium character indices through the character map
the ingest kept (`ingest.layout.CharMap`), never by searching for the text. Each character's
box (FPDFText_GetCharBox) is mapped to the rendered image (FPDF_PageToDevice) and boxes on
one line are merged. Open documents, rendered pages, content hashes and character maps are
cached, keyed by the file's path, size and modification time, so a page of a 2,000-page PDF
is one page's work, not the document's. PDFium is not thread-safe: one lock (shared with
the PDF reader) serialises it.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import hashlib
import io
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from remqa.errors import RemqaError
from remqa.ingest.layout import CharMap, char_map_path, save_char_map
from remqa.ingest.pdf_text import PDFIUM_LOCK as _PDFIUM
from remqa.ingest.pdf_text import read_pdf

SCALE = 2.0  # image pixels per PDF point: sharp on phones and high-density screens
# A PDF without a kept character map (indexed by an older version) is read on demand only up
# to this size; reading takes about 0.05-0.1 s a page, too long for one request beyond it.
ON_DEMAND_PAGES = 50


class NoCharMap(RemqaError):
    """The index keeps no character map for this PDF, and it is too long to read now."""


Rect = tuple[float, float, float, float]  # left, top, right, bottom: fractions of the page


@dataclass(frozen=True)
class FileKey:
    """A file as it is now: a change to it is a new key, so no cache serves a stale page."""

    path: str
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> FileKey:
        stat = path.stat()
        return cls(str(path), stat.st_size, stat.st_mtime_ns)


@dataclass(frozen=True)
class RenderedPage:
    png: bytes
    width: int  # pixels
    height: int


def page_count(key: FileKey) -> int:
    with _PDFIUM:
        return len(_document(key))


def render_page(key: FileKey, page: int) -> RenderedPage:
    """The 1-based `page` as a PNG (cached: the last 64 pages asked for)."""
    return _render(key, page)


@lru_cache(maxsize=64)
def _render(key: FileKey, page: int) -> RenderedPage:
    with _PDFIUM:
        handle = _document(key)[page - 1]
        try:
            image = handle.render(scale=SCALE).to_pil()
        finally:
            handle.close()
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)  # fast: the pixels are mostly white
    return RenderedPage(out.getvalue(), image.width, image.height)


def quote_pages(key: FileKey, index_dir: Path, start: int, end: int) -> dict[int, list[int]]:
    """{1-based page: PDFium character indices} of the extracted text [start, end)."""
    return char_map(key, index_dir).chars(start, end)


def highlight(key: FileKey, page: int, chars: list[int]) -> list[Rect]:
    """The boxes of `chars` (PDFium indices on the 1-based `page`), merged line by line, as
    fractions of the rendered page (left, top, right, bottom). White space has no box."""
    import pypdfium2.raw as raw

    size = _render(key, page)
    boxes: list[Rect] = []
    with _PDFIUM:
        handle = _document(key)[page - 1]
        textpage = handle.get_textpage()
        try:
            sides = [ctypes.c_double() for _ in range(4)]
            x, y = ctypes.c_int(), ctypes.c_int()
            count = textpage.count_chars()
            for index in chars:
                code = raw.FPDFText_GetUnicode(textpage.raw, index) if index < count else 0
                if not code or chr(code).isspace():
                    continue
                if not raw.FPDFText_GetCharBox(textpage.raw, index, *sides):
                    continue
                left, right, bottom, top = (s.value for s in sides)
                corners = []
                for px, py in ((left, top), (right, bottom)):
                    raw.FPDF_PageToDevice(
                        handle.raw, 0, 0, size.width, size.height, 0, px, py, x, y
                    )
                    corners.append((x.value / size.width, y.value / size.height))
                (x0, y0), (x1, y1) = corners
                boxes.append((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
        finally:
            textpage.close()
            handle.close()
    return merge_lines(boxes)


def merge_lines(boxes: list[Rect]) -> list[Rect]:
    """Character boxes in reading order as one rectangle per run on a line: the next box
    joins the current one when it sits on the same line, close after it."""
    merged: list[list[float]] = []
    for left, top, right, bottom in boxes:
        if merged:
            m = merged[-1]
            middle = (top + bottom) / 2
            height = max(bottom - top, m[3] - m[1])
            if m[1] <= middle <= m[3] and m[0] - 0.01 <= left <= m[2] + 1.5 * height:
                m[:] = [min(m[0], left), min(m[1], top), max(m[2], right), max(m[3], bottom)]
                continue
        merged.append([left, top, right, bottom])
    return [(a, b, c, d) for a, b, c, d in merged]


_OPEN: OrderedDict[FileKey, Any] = OrderedDict()  # the last few documents opened
MAX_OPEN = 8


def _document(key: FileKey) -> Any:
    """The open document (PDFium reads pages on demand, so opening is cheap); call with the
    PDFium lock held."""
    import pypdfium2 as pdfium

    if not _OPEN:  # registered after pypdfium2's own exit hook, so it runs before it
        atexit.unregister(close_documents)
        atexit.register(close_documents)
    document = _OPEN.pop(key, None) or pdfium.PdfDocument(key.path)
    _OPEN[key] = document
    while len(_OPEN) > MAX_OPEN:
        _OPEN.popitem(last=False)[1].close()
    return document


def close_documents() -> None:
    with _PDFIUM:
        while _OPEN:
            _OPEN.popitem()[1].close()


@lru_cache(maxsize=256)
def content_hash(key: FileKey) -> str:
    return hashlib.sha256(Path(key.path).read_bytes()).hexdigest()


def char_map(key: FileKey, index_dir: Path) -> CharMap:
    return _char_map(key, str(index_dir))


@lru_cache(maxsize=8)
def _char_map(key: FileKey, index_dir: str) -> CharMap:
    """The map the ingest kept for this content; for a file indexed by an older version (or
    by another machine) made once and kept, when it is short enough to read now."""
    digest = content_hash(key)
    path = char_map_path(Path(index_dir), digest)
    try:
        return CharMap.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError):
        pass
    if page_count(key) > ON_DEMAND_PAGES:
        raise NoCharMap(
            "The index does not yet know where this PDF's characters are, so the quote is "
            "not marked; run `remqa ingest` (it adds them without re-embedding)."
        )
    pdf = read_pdf(Path(key.path).read_bytes())
    made = CharMap.from_refs(pdf.refs, pdf.page_starts)
    with contextlib.suppress(OSError):  # a read-only index folder: made again next time
        save_char_map(Path(index_dir), digest, made)
    return made
