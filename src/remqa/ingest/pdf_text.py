"""Text of a PDF, read the way its pages are laid out.

PDFium (pypdfium2, BSD/Apache) gives each printed character with its position and font size.
Chosen by measurement (`bench/bench_pdf_extract.py`, results in `bench/results/pdf_extract.json`)
over pypdf and pdfplumber, plain and layout modes, and PDFium's own page text, each followed by
the same reflow: on typeset PDFs of an article, a report and a datasheet, only this reading
gives every paragraph, heading, label line and table row whole, in order, without the running
headers and page numbers (pypdf's layout mode comes closest: whole units but the page furniture
kept, at half the time; pdfplumber takes 5-6 times as long). Lines are put back into paragraphs:

- a line runs on into the next when the next line's first word would not have fitted at its
  end (the typesetter broke it there), the next line is not indented, the gap between them is
  an ordinary line gap and the font size is the same;
- otherwise the line ends a unit: a heading, a "label: value" line, a table row, the last line
  of a paragraph (a wider gap or an indented next line starts a new paragraph);
- words hyphenated across a line end are joined (unless the document writes them with a
  hyphen elsewhere); ligature glyphs are spelled out, and glyphs the PDF left without
  Unicode (lost ligatures) are repaired against a word list;
- running headers and footers (the same text, digits aside, at the top or bottom of most
  pages) and bare page numbers are dropped.

The result has one unit per line and a blank line between paragraphs; citations are offsets
into it.
"""

from __future__ import annotations

import ctypes
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from remqa.ingest.errors import UnreadableFile
from remqa.ingest.pdf_tables import tables_as_rows
from remqa.text.reflow import LIGATURES, drops_hyphen, vocabulary

_PAGE_NUMBER = re.compile(r"^(?:page|p\.)?\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
EDGE_LINES = 2  # header/footer candidates: the first and last lines of a page
CELL_GAP = 0.8  # a gap this wide (in font sizes), not typed as spaces, parts table cells
_UNMAPPED = "\ufffd"  # a glyph without Unicode (an unmapped ligature, mostly): repaired later


@dataclass
class Line:
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str
    first_word_width: float
    cells: tuple[tuple[float, float, str], ...] = ()  # runs drawn apart: (x0, x1, raw text)
    table_row: bool = False  # a table row with its headers (`pdf_tables`): a unit of its own


def pdf_text(data: bytes) -> str:
    lines, page_count = _read_lines(data)
    if not lines:
        raise UnreadableFile("PDF has no text layer (scanned image?); run OCR on it first")
    lines = tables_as_rows(drop_running_lines(lines, page_count))
    text = assemble(lines)
    return repair_unmapped(text, known_words()) if _UNMAPPED in text else text


LIGATURE_GUESSES = ("fi", "fl", "ff", "ffi", "ffl")
_WITH_UNMAPPED = re.compile(rf"[^\W\d_]*(?:{_UNMAPPED}[^\W\d_]*)+")


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """Whole English words of the embedding model's WordPiece vocabulary (30k, offline):
    enough to tell "find" from "flnd" when a PDF lost its ligatures' Unicode."""
    from remqa.index.onnx_export import model_dir

    vocab = (model_dir() / "vocab.txt").read_text(encoding="utf-8").split()
    return frozenset(w for w in vocab if w.isalpha())


def repair_unmapped(text: str, known: frozenset[str]) -> str:
    """Glyphs a PDF left without Unicode are nearly always ligatures (fi, fl, ff, ffi, ffl):
    each affected word takes the spelling that makes it a known word; where none does, the
    spelling that does so most often in this document."""
    words = [m.group() for m in _WITH_UNMAPPED.finditer(text)]

    def spelled(word: str, guess: str) -> str:
        return word.replace(_UNMAPPED, guess)

    wins = Counter(g for w in words for g in LIGATURE_GUESSES if spelled(w, g).lower() in known)
    fallback = wins.most_common(1)[0][0] if wins else ""

    def fix(match: re.Match[str]) -> str:
        word = match.group()
        for guess in sorted(LIGATURE_GUESSES, key=lambda g: -wins[g]):
            if spelled(word, guess).lower() in known:
                return spelled(word, guess)
        return spelled(word, fallback)

    return _WITH_UNMAPPED.sub(fix, text)


def _read_lines(data: bytes) -> tuple[list[Line], int]:
    """Every printed line, in reading order (top to bottom, then left to right), whatever
    order the producer drew them in."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise UnreadableFile(f"corrupt or unreadable PDF ({exc})") from None
    lines: list[Line] = []
    try:
        for number in range(len(document)):
            page = document[number]
            try:
                lines.extend(_merge(_fragments(page), number))
            finally:
                page.close()
        return lines, len(document)
    except pdfium.PdfiumError as exc:
        raise UnreadableFile(f"corrupt or unreadable PDF ({exc})") from None
    finally:
        document.close()


_Fragment = tuple[float, float, float, float, float, str, float | None]  # x0 x1 top bottom size


def _fragments(page: Any) -> list[_Fragment]:
    """Runs of characters on one baseline, from PDFium's per-character API (its text-range
    string drops glyphs that have no Unicode, which would put offsets out of step)."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    height = page.get_height()
    x, y = ctypes.c_double(), ctypes.c_double()
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    out: list[_Fragment] = []
    current: list[Any] | None = None  # [x0, x1, top, bottom, size, text, first word's x1]
    spaces: list[int] = []  # the space characters since the last printed one
    try:
        for i in range(textpage.count_chars()):
            code = raw.FPDFText_GetUnicode(textpage.raw, i)
            char = chr(code) if code else ""
            if char in ("\r", "\n"):
                if current:
                    out.append(tuple(current))
                current = None
                continue
            raw.FPDFText_GetCharOrigin(textpage.raw, i, x, y)
            size = float(raw.FPDFText_GetFontSize(textpage.raw, i)) or 10.0
            baseline = height - y.value
            if raw.FPDFText_IsHyphen(textpage.raw, i):
                char = "-"  # a hyphen PDFium saw at a line end
            elif not char or raw.FPDFText_HasUnicodeMapError(textpage.raw, i):
                char = _UNMAPPED
            if current is not None and abs(baseline - current[2]) > 0.35 * size:
                out.append(tuple(current))
                current = None
            if char.isspace():
                if current is not None:
                    current[6] = current[1] if current[6] is None else current[6]
                    current[5] += " "
                spaces.append(i)
                continue
            gap_before, spaces = spaces, []
            raw.FPDFText_GetCharBox(textpage.raw, i, left, right, bottom, top)
            x1 = max(right.value, x.value)
            if (
                current is not None
                and x.value - current[1] > CELL_GAP * size
                # drawn apart, not spaced out with typed spaces (code, plain-text layouts)
                and all(raw.FPDFText_IsGenerated(textpage.raw, j) for j in gap_before)
            ):
                out.append(tuple(current))  # the next cell of a table row
                current = None
            if current is None:
                current = [x.value, x1, baseline, height - bottom.value, size, char, None]
            else:
                current[1] = max(current[1], x1)
                current[3] = max(current[3], height - bottom.value)
                current[5] += char
        if current:
            out.append(tuple(current))
    finally:
        textpage.close()
    return out


def _merge(fragments: list[_Fragment], page: int) -> list[Line]:
    """Fragments on one baseline (table cells, label and value drawn apart) as one line."""
    rows: list[list[_Fragment]] = []
    for fragment in sorted((f for f in fragments if f[5].strip()), key=lambda f: f[2]):
        for row in rows:
            if abs(row[0][2] - fragment[2]) <= 0.35 * max(fragment[4], 1.0):
                row.append(fragment)
                break
        else:
            rows.append([fragment])
    lines = []
    for row in rows:
        row.sort(key=lambda f: f[0])
        text = ""
        for previous, fragment in zip([None, *row], row, strict=False):
            if previous is not None and not text.endswith(" "):
                text += " "  # a gap between separately drawn runs is a space
            text += fragment[5]
        sizes = Counter(round(f[4], 1) for f in row)
        first = row[0]
        first_word_end = first[6] if first[6] is not None else first[1]
        lines.append(
            Line(
                page=page,
                x0=first[0],
                x1=max(f[1] for f in row),
                top=min(f[2] - f[4] * 0.8 for f in row),  # from the baseline up an ascent
                bottom=max(f[3] for f in row),
                size=sizes.most_common(1)[0][0],
                text=" ".join(_spell_ligatures(text).split()),
                first_word_width=first_word_end - first[0],
                cells=tuple((f[0], f[1], f[5]) for f in row),  # spelled out if in a table
            )
        )
    lines.sort(key=lambda line: (line.top, line.x0))
    return lines


def _spell_ligatures(text: str) -> str:
    return "".join(LIGATURES.get(c, c) for c in text)


def _running_key(text: str) -> str:
    return _DIGITS.sub("#", text.strip().lower())


def drop_running_lines(lines: list[Line], page_count: int) -> list[Line]:
    """Without the lines that repeat (digits aside) at the top or bottom of most pages, and
    bare page numbers there: they are the page furniture, not the document."""
    by_page: dict[int, list[Line]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    edges = {p: ls[:EDGE_LINES] + ls[-EDGE_LINES:] for p, ls in by_page.items()}
    seen: Counter[str] = Counter()
    for edge in edges.values():
        seen.update({_running_key(line.text) for line in edge})
    repeated = {key for key, n in seen.items() if page_count >= 2 and n >= max(2, 0.6 * page_count)}
    kept = []
    for page, page_lines in by_page.items():
        edge_ids = {id(line) for line in edges[page]}
        for line in page_lines:
            if id(line) in edge_ids and (
                _running_key(line.text) in repeated or _PAGE_NUMBER.match(line.text)
            ):
                continue
            kept.append(line)
    return kept


def assemble(lines: list[Line]) -> str:
    """Lines back into units (one per line) and paragraphs (a blank line between)."""
    left = statistics.median(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    gaps = [
        b.top - a.bottom
        for a, b in zip(lines, lines[1:], strict=False)
        if a.page == b.page and b.top > a.bottom - 1
    ]
    usual_gap = statistics.median(gaps) if gaps else 0.0
    words = vocabulary(line.text for line in lines)
    out: list[str] = [lines[0].text]
    for prev, line in zip(lines, lines[1:], strict=False):
        kind = _break_between(prev, line, left, right, usual_gap)
        if kind == "soft":
            out[-1] = _join(out[-1], line.text, words)
        else:
            out.append(("\n" if kind == "paragraph" else "") + line.text)
    return "\n".join(out) + "\n"


def _break_between(prev: Line, line: Line, left: float, right: float, usual_gap: float) -> str:
    """'soft' (a wrap inside a paragraph), 'unit' (a line of its own) or 'paragraph'."""
    size = max(prev.size, line.size)
    same_page = prev.page == line.page
    gap = line.top - prev.bottom if same_page else usual_gap
    indented = line.x0 - left > 0.8 * size and line.x0 - prev.x0 > 0.8 * size
    if prev.table_row or line.table_row:  # a table is a paragraph of rows
        return "unit" if prev.table_row and line.table_row else "paragraph"
    if gap > usual_gap + 0.5 * size or abs(prev.size - line.size) > 0.5 or indented:
        return "paragraph"
    space = 0.3 * size
    fitted = prev.x1 + space + line.first_word_width < right - 0.5 * size
    if fitted or prev.x0 - left > 0.8 * size and prev.x1 < right - 4 * size:
        return "unit"
    return "soft"


def _join(text: str, nxt: str, words: set[str]) -> str:
    """Join two lines of one paragraph, undoing line-end hyphenation: a typeset PDF breaks
    words ("signif-" + "icant") unless the document writes them hyphenated elsewhere."""
    drop = drops_hyphen(text, nxt, words, default_drop=True, hyphens="-\u00ad\u2010")
    if drop is None:
        return f"{text} {nxt}"
    return text[:-1] + nxt if drop else text + nxt
