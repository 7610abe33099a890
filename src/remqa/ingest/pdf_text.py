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
into it. `read_pdf` also says where each of its characters was printed (its PDFium character
index, so its page) and which units are headings (a line on its own in a larger or bold font).
"""

from __future__ import annotations

import ctypes
import re
import threading
from array import array
from collections import Counter
from dataclasses import dataclass
from typing import Any

from remqa.ingest.errors import UnreadableFile
from remqa.ingest.ligatures import (
    LIGATURE_GUESSES,
    UNMAPPED,
    known_words,
    repair_unmapped,
    repair_with_refs,
)
from remqa.ingest.pdf_tables import tables_as_rows
from remqa.ingest.pdf_units import Line, assemble, normalized

__all__ = ["LIGATURE_GUESSES", "PdfText", "known_words", "pdf_text", "read_pdf", "repair_unmapped"]

# PDFium may not be called from two threads at once, even on different documents; every
# use in remqa (reading here, the viewer rendering) holds this lock.
PDFIUM_LOCK = threading.RLock()
_PAGE_NUMBER = re.compile(r"^(?:page|p\.)?\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
EDGE_LINES = 2  # header/footer candidates: the first and last lines of a page
CELL_GAP = 0.8  # a gap this wide (in font sizes), not typed as spaces, parts table cells
_UNMAPPED = UNMAPPED  # a glyph without Unicode (an unmapped ligature, mostly): repaired later
BOLD_WEIGHT = 600


@dataclass(frozen=True)
class PdfText:
    """A PDF's text, where each character of it was printed, and its headings."""

    text: str
    refs: array[int]  # per character of text, as Line.refs
    page_starts: tuple[int, ...]  # document-wide index of each page's first PDFium character
    headings: tuple[int, ...]  # text offsets of the units that are headings


def pdf_text(data: bytes) -> str:
    return read_pdf(data).text


def read_pdf(data: bytes) -> PdfText:
    lines, page_starts = _read_lines(data)
    if not lines:
        raise UnreadableFile("PDF has no text layer (scanned image?); run OCR on it first")
    lines = tables_as_rows(drop_running_lines(lines, len(page_starts)))
    text, refs, headings = assemble(lines)
    if _UNMAPPED in text:
        repaired, refs = repair_with_refs(text, refs, known_words())
        headings = _shifted(text, repaired, headings)
        text = repaired
    return PdfText(text, refs, tuple(page_starts), tuple(headings))


def _shifted(before: str, after: str, offsets: list[int]) -> list[int]:
    """Line starts `offsets` of `before`, as offsets into `after` (the repair changes the
    lengths of lines, never their number)."""
    line_of = {start: n for n, start in enumerate(_line_starts(before))}
    starts = _line_starts(after)
    return [starts[line_of[offset]] for offset in offsets]


def _line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer("\n", text))]


def _read_lines(data: bytes) -> tuple[list[Line], list[int]]:
    """Every printed line, in reading order (top to bottom, then left to right), whatever
    order the producer drew them in; and where each page's characters start, counted across
    the document."""
    with PDFIUM_LOCK:
        return _read_lines_locked(data)


def _read_lines_locked(data: bytes) -> tuple[list[Line], list[int]]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise UnreadableFile(f"corrupt or unreadable PDF ({exc})") from None
    lines: list[Line] = []
    page_starts: list[int] = []
    base = 0
    try:
        for number in range(len(document)):
            page = document[number]
            page_starts.append(base)
            try:
                fragments, count = _fragments(page, base)
                lines.extend(_merge(fragments, number))
                base += count
            finally:
                page.close()
        return lines, page_starts
    except pdfium.PdfiumError as exc:
        raise UnreadableFile(f"corrupt or unreadable PDF ({exc})") from None
    finally:
        document.close()


# x0 x1 top bottom size text first-word-x1 refs bold
_Fragment = tuple[float, float, float, float, float, str, float | None, "array[int]", bool]


def _fragments(page: Any, base: int = 0) -> tuple[list[_Fragment], int]:
    """Runs of characters on one baseline, from PDFium's per-character API (its text-range
    string drops glyphs that have no Unicode, which would put offsets out of step), and the
    page's character count. Each character keeps its index (plus `base`)."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    height = page.get_height()
    x, y = ctypes.c_double(), ctypes.c_double()
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    out: list[_Fragment] = []
    current: list[Any] | None = None  # as _Fragment
    spaces: list[int] = []  # the space characters since the last printed one
    count = textpage.count_chars()
    try:
        for i in range(count):
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
                    current[7].append(base + i)
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
                # it keeps the run's boldness: a line's weight (so its headings) as unsplit
                current = [x.value, x1, baseline, height - bottom.value, size, char, None,
                           array("i", [base + i]), current[8]]  # fmt: skip
            elif current is None:
                bold = raw.FPDFText_GetFontWeight(textpage.raw, i) >= BOLD_WEIGHT
                current = [x.value, x1, baseline, height - bottom.value, size, char, None,
                           array("i", [base + i]), bold]  # fmt: skip
            else:
                current[1] = max(current[1], x1)
                current[3] = max(current[3], height - bottom.value)
                current[5] += char
                current[7].append(base + i)
        if current:
            out.append(tuple(current))
    finally:
        textpage.close()
    return out, count


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
        text, refs = "", array("i")
        for previous, fragment in zip([None, *row], row, strict=False):
            if previous is not None and not text.endswith(" "):
                text += " "  # a gap between separately drawn runs is a space
                refs.append(-1)
            text += fragment[5]
            refs.extend(fragment[7])
        text, refs = normalized(text, refs)
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
                text=text,
                first_word_width=first_word_end - first[0],
                refs=refs,
                bold=all(f[8] for f in row),
                cells=tuple((f[0], f[1], f[5]) for f in row),  # spelled out if in a table
                cell_refs=tuple(f[7] for f in row),
            )
        )
    lines.sort(key=lambda line: (line.top, line.x0))
    return lines


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
