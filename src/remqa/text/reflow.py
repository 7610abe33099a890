"""Reading text the way people wrote it, while keeping exact offsets into the source.

Plain-text files and e-mails are hard-wrapped at 40-80 columns, Markdown paragraphs span
several lines, and PDF text comes one printed line at a time with words hyphenated across
line ends. `reflow` turns such text into *clean* text with one unit per line: a paragraph,
a heading, a list item, a "label: value" or table-row line. Inside a unit a soft line break
is a space, a word hyphenated across a line break is joined, ligature glyphs are spelled out
and runs of white space are one space. Sentences, chunks, BM25 and embeddings work on the
clean text; `Reflowed.source_span` maps any clean span back to the exact source slice that
citations quote.

A line break is soft (a wrap) when the next line's first word would not have fitted on the
line: that is why the writer's tool broke it there. The width is measured per document, so
the same rule holds for 40-column e-mails and 80-column READMEs, and a document written
one paragraph per line (no wrapping at all) is left as it is.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Presentation forms of Latin ligatures, spelled out so that "ﬁnd" matches "find".
LIGATURES = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st", "\u0132": "IJ", "\u0133": "ij",
}  # fmt: skip
_INVISIBLE = {"\u00ad", "\u200b", "\u200c", "\u200d", "\ufeff"}  # soft hyphen, zero widths
_SPACE = re.compile(r"[^\S\n]+")
# Lines that start a unit of their own: list items, headings, quotes, table rows, fences.
_BLOCK_START = re.compile(r"^\s*(?:[-*+•▪◦‣–]\s|\d{1,3}[.)]\s|[a-zA-Z][.)]\s|#{1,6}\s|>|\||```)")
# "Label: value" / "Label .... value" lines: a short label, then a value.
_LABEL_LINE = re.compile(r"^\s*[^\W\d_][^:\n]{0,48}:\s+\S")
MIN_WRAP_WIDTH = 24  # narrower "wraps" are lists of short lines, not wrapped prose
MAX_WRAP_WIDTH = 160  # nobody wraps prose wider: longer lines are paragraphs of their own
WIDTH_SLACK = 0.12  # proportional fonts and justified text make line lengths uneven


@dataclass(frozen=True)
class Reflowed:
    """Clean text and the map from its characters back to source offsets.

    The map is piecewise: from clean offset `starts[k]` on, source = clean + `deltas[k]`.
    """

    text: str
    starts: tuple[int, ...]
    deltas: tuple[int, ...]
    source_length: int

    def to_source(self, i: int) -> int:
        """Source offset of clean character i (i == len(text): the end of the source)."""
        if i >= len(self.text):
            return self.source_length if not self.text else self.to_source(len(self.text) - 1) + 1
        k = bisect_right(self.starts, i) - 1
        return i + self.deltas[k] if k >= 0 else i

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source slice that clean text[start:end] was read from."""
        if end <= start:
            at = self.to_source(start)
            return at, at
        return self.to_source(start), self.to_source(end - 1) + 1

    def breakpoints(self, start: int, end: int) -> list[tuple[int, int]]:
        """The map restricted to clean [start, end), relative to start and to its source start:
        [(clean offset, source offset), ...] at every change; [] when it is the identity."""
        base = self.to_source(start)
        k = max(0, bisect_right(self.starts, start) - 1)
        points = [(0, 0)]
        for s in self.starts[k + 1 :]:
            if s >= end:
                break
            points.append((s - start, self.to_source(s) - base))
        return [] if all(c == s for c, s in points) else points


class _Builder:
    """Appends clean text while recording where each piece came from."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.starts: list[int] = []
        self.deltas: list[int] = []

    def _mark(self, source_at: int) -> None:
        delta = source_at - self.length
        if not self.deltas or self.deltas[-1] != delta:
            self.starts.append(self.length)
            self.deltas.append(delta)

    def copy(self, text: str, start: int, end: int) -> None:
        """Copy source text[start:end], spelling out ligatures and dropping invisibles."""
        i = start
        for m in _SPECIAL.finditer(text, start, end):
            self._copy_plain(text, i, m.start())
            glyph = m.group()
            for char in LIGATURES.get(glyph, ""):
                self.put(char, m.start())
            i = m.end()
        self._copy_plain(text, i, end)

    def _copy_plain(self, text: str, start: int, end: int) -> None:
        if end > start:
            self._mark(start)
            self.parts.append(text[start:end])
            self.length += end - start

    def put(self, char: str, source_at: int) -> None:
        """Add one character standing for the source character at `source_at`."""
        self._mark(source_at)
        self.parts.append(char)
        self.length += 1
        self._mark(source_at + 1)  # what follows is back in step with the source

    def drop_last(self) -> None:
        """Forget the last character (the hyphen of a word broken across two lines)."""
        self.parts[-1] = self.parts[-1][:-1]
        self.length -= 1
        while self.starts and self.starts[-1] >= self.length and len(self.starts) > 1:
            self.starts.pop()
            self.deltas.pop()

    def result(self, source_length: int) -> Reflowed:
        return Reflowed("".join(self.parts), tuple(self.starts), tuple(self.deltas), source_length)


_SPECIAL = re.compile("[" + "".join(sorted(LIGATURES) + sorted(_INVISIBLE)) + "]")


@dataclass(frozen=True)
class _Line:
    start: int  # source offsets, without the line break
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip())


def _lines(text: str) -> list[_Line]:
    lines, offset = [], 0
    for raw in text.split("\n"):
        lines.append(_Line(offset, offset + len(raw), raw))
        offset += len(raw) + 1
    return lines


def wrap_width(lines: Sequence[_Line] | str) -> int | None:
    """The column prose was wrapped at, or None when the text is not hard-wrapped.

    Lines that are followed by another non-blank line are the candidates for wrapped lines;
    the width is a high percentile of their lengths. Wrapped text has most such lines close to
    that width; text written one paragraph per line does not.
    """
    if isinstance(lines, str):
        lines = _lines(lines)
    followed = [
        len(a.text.rstrip())
        for a, b in zip(lines, lines[1:], strict=False)
        if a.stripped and b.stripped and not _BLOCK_START.match(b.text)
    ]
    if len(followed) < 3:
        return None
    followed.sort()
    width = followed[int(0.9 * (len(followed) - 1))]
    if not MIN_WRAP_WIDTH <= width <= MAX_WRAP_WIDTH:
        return None
    near = sum(length >= (1 - 2 * WIDTH_SLACK) * width for length in followed)
    return width if near >= 0.5 * len(followed) else None


def _first_word(line: str) -> str:
    words = line.split()
    return words[0] if words else ""


def _is_soft_break(line: _Line, nxt: _Line, width: int | None) -> bool:
    """True when the break between two non-blank lines is a wrap inside one unit."""
    if width is None or _BLOCK_START.match(nxt.text) or _BLOCK_START.match(line.text):
        return False
    if nxt.indent > line.indent + 1:
        return False  # an indented first line starts a paragraph
    if _LABEL_LINE.match(line.text) and _LABEL_LINE.match(nxt.text):
        return False  # "Weight: 20 kg" / "Colour: grey": a list of label: value lines
    # Would the next word have fitted? Then the writer broke the line on purpose. The slack
    # allows for proportional fonts, where a line's length in characters varies.
    room = width * (1 - WIDTH_SLACK) - len(line.text.rstrip())
    return len(_first_word(nxt.text)) + 1 > room or (
        # a line that ends inside a word (hyphen) or a clause runs on
        line.text.rstrip().endswith("-") and nxt.stripped[:1].islower()
    )


_WORD_START = re.compile(r"^([^\W\d_]+)")
_VOCAB = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def vocabulary(texts: Iterable[str]) -> set[str]:
    """The words (hyphenated ones whole) a text writes, lower-cased: what tells a word broken
    across two lines from a hyphenated compound."""
    return {w.lower() for text in texts for w in _VOCAB.findall(text)}


def drops_hyphen(
    before: str, after: str, words: set[str], default_drop: bool, hyphens: str = "-"
) -> bool | None:
    """For "signif-" + "cant": True to drop the hyphen (a word broken across lines), False to
    keep it ("rare-" + "earth"), None when the line does not end in a hyphenated word. The
    text's own spelling decides; `default_drop` when it spells the word neither way."""
    m = re.search(rf"([^\W\d_]+)[{re.escape(hyphens)}]$", before.rstrip())
    n = _WORD_START.match(after.lstrip())
    if not m or not n or not n.group(1)[0].islower():
        return None
    head, tail = m.group(1).lower(), n.group(1).lower()
    if head + tail in words:
        return True
    if f"{head}-{tail}" in words:
        return False
    return default_drop


def reflow(text: str, hyphen_breaks_words: bool = False, may_be_wrapped: bool = True) -> Reflowed:
    """The clean text of `text` (see the module docstring). `hyphen_breaks_words`: a hyphen at
    a line end whose word the text never spells otherwise splits a word (typeset PDF text);
    otherwise it is kept, as in "rare-earth" wrapped by a text editor. `may_be_wrapped=False`
    for text a loader already laid out one unit per line (PDF, HTML, Word): its lines are
    never joined, whatever their lengths (table rows can look like wrapped lines)."""
    lines = _lines(text)
    width = wrap_width(lines) if may_be_wrapped else None
    words = vocabulary([text])
    out = _Builder()
    previous: _Line | None = None  # the line before, unless a blank line came between
    kept_end: int | None = None  # source offset where the last copied line's text ended
    for line in lines:
        if not line.stripped:
            previous = None
            continue
        start = line.start + line.indent
        if previous is not None and _is_soft_break(previous, line, width):
            drop = drops_hyphen(previous.text, line.text, words, hyphen_breaks_words)
            if drop is None:
                out.put(" ", previous.end)
            elif drop:
                out.drop_last()
        elif kept_end is not None:
            # A unit ends: keep its line breaks (and blank lines) as they are in the source.
            for offset in range(kept_end, start):
                if text[offset] == "\n":
                    out.put("\n", offset)
        _copy_collapsed(out, text, start, line.start + len(line.text.rstrip()))
        previous = line
        kept_end = line.start + len(line.text.rstrip())
    return out.result(len(text))


def _copy_collapsed(out: _Builder, text: str, start: int, end: int) -> None:
    """Copy text[start:end] with each run of white space as one space."""
    i = start
    for m in _SPACE.finditer(text, start, end):
        out.copy(text, i, m.start())
        if m.end() - m.start() == 1 and m.group() == " ":
            out.copy(text, m.start(), m.end())
        else:
            out.put(" ", m.start())
        i = m.end()
    out.copy(text, i, end)


_ANY_SPACE = re.compile(r"\s+")


def display_text(text: str) -> str:
    """A quote as people read it: each line break or run of white space shown as one space."""
    return _ANY_SPACE.sub(" ", text)
