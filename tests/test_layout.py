"""Where a quote is, piece by piece: headings of each format, the offsets-to-pages mapping a
chunk keeps, the place people read, and a PDF's character map (the Assistant end to end:
tests/test_pages.py)."""

from __future__ import annotations

import io
from array import array
from pathlib import Path

import pytest

from remqa import Citation
from remqa.ingest.docx_text import docx_blocks_and_headings
from remqa.ingest.html_text import html_blocks_and_headings
from remqa.ingest.layout import CharMap, Layout, chunk_places, markdown_headings
from remqa.ingest.pdf_text import read_pdf
from remqa.ingest.pdf_units import BodyText, Line, is_heading
from remqa.models import Chunk
from tests.paged_pdf import HEADINGS, SPANNING, paged_report


def test_pdf_headings_are_the_lines_set_apart_in_a_larger_or_bold_font(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    paged_report(path)
    pdf = read_pdf(path.read_bytes())
    assert [pdf.text[h : pdf.text.index("\n", h)] for h in pdf.headings] == HEADINGS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Title\n\nBody.\n", [(0, "Title")]),
        ("Intro\n\n## Costs ##\nBody\n", [(7, "Costs")]),
        ("Intro.\n\nSetext title\n============\n\nBody\n", [(8, "Setext title")]),
        ("Para\n---\n", [(0, "Para")]),  # setext level 2
        ("Para\n\n---\n", []),  # a rule after a blank line, not a heading
        ("```\n# not a heading\n```\n# Real\n", [(24, "Real")]),
        ("#hashtag is not a heading\n", []),
        ("    # indented code\n", []),
        ("- item\n---\n", []),
    ],
)
def test_markdown_headings(text: str, expected: list[tuple[int, str]]) -> None:
    found = markdown_headings(text)
    assert found == expected
    for offset, heading in found:
        assert text[offset:].lstrip("# ").startswith(heading)


def test_html_headings_are_h1_to_h6_blocks() -> None:
    blocks, headings = html_blocks_and_headings(
        "<h1>Report</h1><p>Intro.</p><section><h3>Costs <b>2024</b></h3><p>Cost.</p></section>"
    )
    assert [blocks[i] for i in sorted(headings)] == ["Report", "Costs 2024"]


def test_word_headings_are_the_title_and_heading_styles() -> None:
    import docx

    document = docx.Document()
    document.add_heading("Annual report", level=0)
    document.add_paragraph("Intro.")
    document.add_heading("Costs", level=2)
    document.add_paragraph("It cost 4 euros.")
    out = io.BytesIO()
    document.save(out)
    blocks, headings = docx_blocks_and_headings(out.getvalue())
    assert [blocks[i] for i in sorted(headings)] == ["Annual report", "Costs"]


LAYOUT = Layout(pages=((0, 1), (100, 2), (250, 4)), headings=((0, "A"), (120, "B"), (300, "C")))


@pytest.mark.parametrize(
    ("chunk", "span", "expected"),
    [
        ((0, 90), (10, 20), (1, 1, "A")),
        ((90, 200), (95, 110), (1, 2, "A")),  # across the break at 100
        ((90, 200), (100, 110), (2, 2, "A")),  # a page's first character
        ((90, 200), (99, 100), (1, 1, "A")),  # a page's last character
        ((90, 200), (130, 140), (2, 2, "B")),  # after a heading inside the chunk
        ((240, 320), (260, 310), (4, 4, "B")),  # page 3 has no text; C begins inside
        ((240, 320), (300, 310), (4, 4, "C")),
        ((240, 320), (240, 310), (2, 4, "B")),
    ],
)
def test_offsets_map_to_pages_and_headings(
    chunk: tuple[int, int], span: tuple[int, int], expected: tuple[object, ...]
) -> None:
    """What a chunk keeps of its file's layout is enough to place any span inside it."""
    import json

    places = chunk_places(LAYOUT, *chunk)
    made = Chunk(
        id="x", source="a.pdf", start=chunk[0], end=chunk[1], text="",
        pages=tuple(tuple(p) for p in json.loads(places["pages"])),  # type: ignore[misc]
        headings=tuple(tuple(h) for h in json.loads(places.get("headings", "[]"))),  # type: ignore[misc]
    )  # fmt: skip
    assert made.place(*span) == expected


def test_a_chunk_without_layout_places_nothing() -> None:
    assert Chunk(id="x", source="a.txt", start=0, end=9, text="").place(2, 5) == (None, None, None)


@pytest.mark.parametrize(
    ("page", "page_end", "section", "shown"),
    [
        (3, 3, "Results", "p. 3 · Results"),
        (3, 4, None, "pp. 3–4"),
        (None, None, "Costs", "Costs"),
        (None, None, None, ""),
    ],
)
def test_the_place_people_read(
    page: int | None, page_end: int | None, section: str | None, shown: str
) -> None:
    c = Citation(id=1, source="a", quote="q", start=0, end=1, score=1.0, page=page,
                 page_end=page_end, section=section)  # fmt: skip
    assert c.place == shown


def test_the_character_map_gives_each_characters_page_and_pdfium_index() -> None:
    # text "ab cd\nef": a,b on page 1 (indices 4,5), "cd" page 1 (7,8), "ef" page 2 (0,1)
    page_starts = (0, 10)
    refs = array("i", [4, 5, -1, 7, 8, -1, 10, 11])
    char_map = CharMap.from_refs(refs, page_starts)
    assert char_map.runs == ((0, 4, 2), (3, 7, 2), (6, 10, 2))
    assert char_map.text_pages() == ((0, 1), (6, 2))
    assert char_map.chars(1, 7) == {1: [5, 7, 8], 2: [0]}
    assert CharMap.from_json(char_map.to_json()) == char_map


def test_a_pdf_character_map_points_at_the_characters_pdfium_printed(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    path = tmp_path / "report.pdf"
    paged_report(path)
    pdf = read_pdf(path.read_bytes())
    char_map = CharMap.from_refs(pdf.refs, pdf.page_starts)
    document = pdfium.PdfDocument(str(path))
    start = pdf.text.index(SPANNING[1])
    chars = char_map.chars(start, start + len(SPANNING[1]))
    assert sorted(chars) == [4, 5]
    printed = "".join(
        document[page - 1].get_textpage().get_text_range(i, 1)
        for page in sorted(chars)
        for i in chars[page]
    )
    # every printed character of the sentence, in order (a line break read as a space is put
    # in by remqa, so it has no PDFium character)
    assert "".join(printed.split()) == "".join(SPANNING[1].split())


def _line(text: str, size: float = 10.0, bold: bool = False) -> Line:
    return Line(page=0, x0=0, x1=100, top=0, bottom=10, size=size, text=text,
                first_word_width=10, bold=bold)  # fmt: skip


@pytest.mark.parametrize(
    ("line", "body", "heading"),
    [
        (_line("Results", size=14), BodyText(10, False), True),
        (_line("Results", bold=True), BodyText(10, False), True),
        (_line("Results"), BodyText(10, False), False),  # body text's size and weight
        (_line("Results", bold=True), BodyText(10, True), False),  # the whole text is bold
        (_line("The plant opened in 1998.", size=14), BodyText(10, False), False),  # a sentence
        (_line("Weight: 21.4 kg", bold=True), BodyText(10, False), False),  # not a heading
        (_line("Capacity:", bold=True), BodyText(10, False), False),  # a label
        (_line("Chapter 3: Results", size=14), BodyText(10, False), True),
        (_line("2024", size=14), BodyText(10, False), False),  # no words
        (_line("A" * 101, size=14), BodyText(10, False), False),  # too long
    ],
)
def test_pdf_heading_detection(line: Line, body: BodyText, heading: bool) -> None:
    assert is_heading(line, body) is heading
