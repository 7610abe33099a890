"""PDFs that look like real ones, for the format eval and the tests (reportlab, BSD).

A report: justified paragraphs with first-line indents and no blank lines, long words
hyphenated across line ends, fi/fl ligature glyphs, bold headings, a running header and a
"Page N" footer on every page. A datasheet: a title, a paragraph, "label: value" lines, a
table and footnotes over two pages. Nothing here is read by the answerer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
MARGIN_X = 22  # mm, left and right
SOFT_HYPHEN = "\u00ad"
_VOWELS = set("aeiouyAEIOUY")
_NOT_SPLIT = {"th", "ch", "sh", "ph", "ck", "gh", "wh", "qu"}
CLOSING = re.compile(  # closing punctuation: a sentence ends here
    r"[.!?…:;\"'”’)\]]$"
)


def looks_like_heading(paragraph: str) -> bool:
    """A short line without closing punctuation: a title or section heading."""
    return len(paragraph) < 80 and not CLOSING.search(paragraph)


def soft_hyphenate(text: str, min_len: int = 8) -> str:
    """Soft hyphens at plausible syllable breaks of long words, so that the typesetter breaks
    them across lines the way books and reports do."""
    return re.sub(r"[A-Za-z]+", lambda m: _hyphenate_word(m.group(), min_len), text)


def _hyphenate_word(word: str, min_len: int, keep: int = 3) -> str:
    if len(word) < min_len:
        return word
    cuts = []
    for i in range(keep, len(word) - keep + 1):
        a, b, nxt = word[i - 1], word[i], word[i + 1] if i + 1 < len(word) else ""
        vowel_consonant_vowel = a in _VOWELS and b not in _VOWELS and nxt in _VOWELS
        two_consonants = (
            a not in _VOWELS
            and b not in _VOWELS
            and word[i - 2] in _VOWELS
            and nxt in _VOWELS
            and (a + b).lower() not in _NOT_SPLIT
        )
        if nxt and (vowel_consonant_vowel or two_consonants):
            cuts.append(i)
    parts, last = [], 0
    for cut in cuts:
        parts.append(word[last:cut])
        last = cut
    parts.append(word[last:])
    return SOFT_HYPHEN.join(parts)


def _with_ligatures(text: str) -> str:
    """fi and fl as the ligature characters many PDF producers emit."""
    return text.replace("fi", "\ufb01").replace("fl", "\ufb02")


@dataclass(frozen=True)
class _Fonts:
    regular: str
    bold: str
    italic: str
    unicode: bool


def _fonts() -> _Fonts:
    """DejaVu Sans (Unicode, with the fi/fl ligature glyphs) where Debian installs it, else
    the built-in Helvetica (latin-1 only)."""
    files = {
        "DejaVuSans": "DejaVuSans.ttf",
        "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
        "DejaVuSans-Oblique": "DejaVuSans-Oblique.ttf",
    }
    if not all((FONT_DIR / f).exists() for f in files.values()):
        return _Fonts("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", unicode=False)
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, file in files.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    return _Fonts("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", unicode=True)


def _document(path: Path, header: str, title: str, fonts: _Fonts) -> Any:
    """An A4 document whose pages carry the running header and a "Page N" footer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    width, height = A4
    margin_x, margin_top, margin_bottom = MARGIN_X * mm, 24 * mm, 22 * mm
    text = header if fonts.unicode else _latin1(header)

    def furniture(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(fonts.italic, 9)
        canvas.drawString(margin_x, height - 13.5 * mm, text)
        canvas.setFont(fonts.regular, 9)
        canvas.drawCentredString(width / 2, 11.5 * mm, f"Page {canvas.getPageNumber()}")
        canvas.restoreState()

    frame = Frame(
        margin_x,
        margin_bottom,
        width - 2 * margin_x,
        height - margin_top - margin_bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    return BaseDocTemplate(
        str(path),
        pagesize=A4,
        pageTemplates=[PageTemplate(id="page", frames=[frame], onPage=furniture)],
        leftMargin=margin_x,
        rightMargin=margin_x,
        topMargin=margin_top,
        bottomMargin=margin_bottom,
        title=title,
    )


def _latin1(text: str) -> str:
    return text.replace("…", "...").encode("latin-1", "replace").decode("latin-1")


def _markup(text: str) -> str:
    """Plain text as a reportlab Paragraph's markup."""
    return escape(text)


def report_pdf(
    paragraphs: Sequence[str],
    path: Path,
    title: str = "Report",
    header: str = "Quarterly report",
    is_heading: Callable[[str], bool] | None = None,
) -> None:
    """Typeset paragraphs as a multi-page report (see the module docstring)."""
    from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, Paragraph

    heading = is_heading or looks_like_heading
    fonts = _fonts()

    def prepare(text: str) -> str:
        """Soft hyphens (the typesetter breaks long words there and prints a hyphen), and
        the ligature characters where the font has them."""
        text = soft_hyphenate(text if fonts.unicode else _latin1(text))
        return _markup(_with_ligatures(text) if fonts.unicode else text)

    def plain(text: str) -> str:
        return _markup(_with_ligatures(text) if fonts.unicode else _latin1(text))

    size = 10.5
    leading = size * 1.35
    title_style = ParagraphStyle(
        "title", fontName=fonts.bold, fontSize=16, leading=8 * mm, spaceAfter=4 * mm
    )
    heading_style = ParagraphStyle(
        "heading",
        fontName=fonts.bold,
        fontSize=12,
        leading=leading * 1.2,
        spaceBefore=3 * mm,
        spaceAfter=1 * mm,
        alignment=TA_LEFT,
    )
    body = ParagraphStyle(
        "body",
        fontName=fonts.regular,
        fontSize=size,
        leading=leading,
        alignment=TA_JUSTIFY,
        firstLineIndent=6 * mm,
    )
    body_after_heading = ParagraphStyle("body-after-heading", parent=body, firstLineIndent=0)

    story: list[Any] = [Paragraph(prepare(title), title_style)]
    after_heading = True
    for paragraph in paragraphs:
        if heading(paragraph):
            # keep a heading with the first lines of its paragraph
            story.append(CondPageBreak(heading_style.spaceBefore + leading * 1.2 + 3 * leading))
            story.append(Paragraph(plain(paragraph), heading_style))
            after_heading = True
            continue
        style = body_after_heading if after_heading else body
        story.append(Paragraph(prepare(paragraph), style))
        after_heading = False
    _document(path, header, title, fonts).build(story)


def datasheet_pdf(
    path: Path,
    title: str,
    intro: str,
    sections: Sequence[tuple[str, Sequence[tuple[str, str]]]],
    table: Sequence[Sequence[str]],
    notes: Sequence[str] = (),
    header: str = "Product datasheet",
) -> None:
    """A datasheet: "label: value" lines under section headings, then a table, over as many
    pages as they take (a page break before the table)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle

    fonts = _fonts()

    def text(value: str) -> str:
        return _markup(value if fonts.unicode else _latin1(value))

    title_style = ParagraphStyle(
        "title", fontName=fonts.bold, fontSize=16, leading=8 * mm, spaceAfter=2 * mm
    )
    intro_style = ParagraphStyle(
        "intro", fontName=fonts.regular, fontSize=10, leading=5 * mm, alignment=TA_JUSTIFY
    )
    heading_style = ParagraphStyle(
        "heading",
        fontName=fonts.bold,
        fontSize=12,
        leading=7 * mm,
        spaceBefore=4 * mm,
        keepWithNext=1,
    )
    line_style = ParagraphStyle("line", fontName=fonts.regular, fontSize=10, leading=5.5 * mm)
    cell_style = ParagraphStyle("cell", fontName=fonts.regular, fontSize=10, leading=5 * mm)
    note_style = ParagraphStyle("note", fontName=fonts.regular, fontSize=8, leading=4 * mm)

    story: list[Any] = [Paragraph(text(title), title_style), Paragraph(text(intro), intro_style)]
    for name, rows in sections:
        story.append(Paragraph(text(name), heading_style))
        story.extend(Paragraph(text(f"{label}: {value}"), line_style) for label, value in rows)
    story.append(PageBreak())
    if table:
        from reportlab.lib.pagesizes import A4

        columns = max(len(row) for row in table)
        width = (A4[0] - 2 * MARGIN_X * mm) / columns  # the full text width, in equal columns
        grid = Table(
            [[Paragraph(text(cell), cell_style) for cell in row] for row in table],
            colWidths=[width] * columns,
        )
        grid.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 1 * mm),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 1 * mm),
                ]
            )
        )
        story.append(grid)
    story.append(Spacer(0, 3 * mm))
    story.extend(Paragraph(text(note), note_style) for note in notes)
    _document(path, header, title, fonts).build(story)
