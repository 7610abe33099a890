"""A PDF's lines put back into units and paragraphs (see `pdf_text`), each character keeping
where it was printed, and the units that are headings."""

from __future__ import annotations

import re
import statistics
from array import array
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from remqa.text.reflow import LIGATURES, drops_hyphen, vocabulary

_CLOSING = re.compile(r"[.!?…:;,\"'”’)\]]$")
_LABEL_FIGURE = re.compile(r"^[^:]{1,60}:\s+\S*\d")  # "Weight: 21.4 kg", a datasheet line


def _refs() -> array[int]:
    return array("i")


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
    # per character of text: its PDFium index counted across the document (the page's
    # `page_starts` entry plus its index on the page); -1 for a space or line break put in
    refs: array[int] = field(default_factory=_refs)
    bold: bool = False
    cells: tuple[tuple[float, float, str], ...] = ()  # runs drawn apart: (x0, x1, raw text)
    cell_refs: tuple[array[int], ...] = ()  # per cell, per character of its raw text, as refs
    table_row: bool = False  # a table row with its headers (`pdf_tables`): a unit of its own


def assemble(lines: list[Line]) -> tuple[str, array[int], list[int]]:
    """Lines back into units (one per line) and paragraphs (a blank line between): the text,
    each character's reference, and the offsets of the units that are headings."""
    left = statistics.median(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    gaps = [
        b.top - a.bottom
        for a, b in zip(lines, lines[1:], strict=False)
        if a.page == b.page and b.top > a.bottom - 1
    ]
    usual_gap = statistics.median(gaps) if gaps else 0.0
    words = vocabulary(line.text for line in lines)
    body = _body_size(lines)
    # each unit: its pieces of text (a line each; joined once, at the end, so a page-long
    # paragraph costs no more than its length), references, first line, whether it is one
    # line, whether it starts a paragraph
    units: list[list[Any]] = [[[lines[0].text], array("i", lines[0].refs), lines[0], True, False]]
    for prev, line in zip(lines, lines[1:], strict=False):
        kind = _break_between(prev, line, left, right, usual_gap)
        if kind == "soft":
            unit = units[-1]
            _join(unit[0], unit[1], line.text, line.refs, words)
            unit[3] = False
        else:
            units.append([[line.text], array("i", line.refs), line, True, kind == "paragraph"])
    parts: list[str] = []
    refs = array("i")
    headings: list[int] = []
    offset = 0
    for pieces, unit_refs, first, single, paragraph in units:
        if paragraph:
            parts.append("\n")
            refs.append(-1)
            offset += 1
        if single and is_heading(first, body):
            headings.append(offset)
        text = "".join(pieces)
        parts.append(text + "\n")
        refs.extend(unit_refs)
        refs.append(-1)
        offset += len(text) + 1
    return "".join(parts), refs, headings


@dataclass(frozen=True)
class BodyText:
    """How most of a document's text is set: its font size, and whether it is bold."""

    size: float
    bold: bool


def _body_size(lines: list[Line]) -> BodyText:
    sizes: Counter[float] = Counter()
    bold = 0
    for line in lines:
        sizes[line.size] += len(line.text)
        bold += len(line.text) if line.bold else 0
    return BodyText(sizes.most_common(1)[0][0], bold > sum(sizes.values()) / 2)


def is_heading(line: Line, body: BodyText) -> bool:
    """A line on its own, larger than the body text or bold (when the body is not), short,
    ending without a sentence's or a label's punctuation, and no "label: figure" line."""
    text = line.text
    if len(text) > 100 or _CLOSING.search(text) or not any(c.isalpha() for c in text):
        return False
    if _LABEL_FIGURE.match(text):
        return False
    return line.size > body.size + 0.5 or (line.bold and not body.bold)


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


def _join(
    pieces: list[str], refs: array[int], nxt: str, nxt_refs: array[int], words: set[str]
) -> None:
    """Join a line onto its paragraph (`pieces`, `refs`, in place), undoing line-end
    hyphenation: a typeset PDF breaks words ("signif-" + "icant") unless the document writes
    them hyphenated elsewhere."""
    drop = drops_hyphen(pieces[-1], nxt, words, default_drop=True, hyphens="-\u00ad\u2010")
    if drop is None:
        pieces.append(" ")
        refs.append(-1)
    elif drop:
        pieces[-1] = pieces[-1][:-1]
        refs.pop()
    pieces.append(nxt)
    refs.extend(nxt_refs)


def normalized(text: str, refs: array[int]) -> tuple[str, array[int]]:
    """Ligatures spelled out and white space collapsed to single spaces, as
    `" ".join(spelled.split())`, each character keeping its reference."""
    parts: list[str] = []
    out = array("i")
    space: int | None = None
    for char, ref in zip(text, refs, strict=True):
        if char.isspace():
            if parts and space is None:
                space = ref
            continue
        if space is not None:
            parts.append(" ")
            out.append(space)
            space = None
        letters = LIGATURES.get(char, char)
        parts.append(letters)
        out.extend([ref] * len(letters))
    return "".join(parts), out
