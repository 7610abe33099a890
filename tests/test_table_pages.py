"""A PDF table's rows keep where each character was printed: a row's citation names the page
its cells are on, and the viewer marks the row's own cells (tables as rows: test_tables.py;
pages and marks of prose: test_pages.py, test_viewer.py)."""

from __future__ import annotations

from array import array
from pathlib import Path

import pytest

from remqa import Assistant, Settings
from remqa.evaluation.table_docs import write
from remqa.ingest.layout import CharMap
from remqa.ingest.pdf_text import read_pdf
from tests.documents import KILN_SURVEY
from tests.paged_pdf import pages_of
from tests.viewer_fixtures import char_boxes, inside

DOC = KILN_SURVEY  # its second table is on page 2
ROW = "Inspector: Bertil Holmgren; Visits: 11; Report due: week 12."


def _printed(path: Path) -> list[str]:
    """Every PDFium character of the document, by its document-wide index."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        out: list[str] = []
        for page in document:
            text = page.get_textpage()
            out += [text.get_text_range(i, 1) for i in range(text.count_chars())]
        return out
    finally:
        document.close()


def test_each_character_of_a_row_points_at_the_character_it_was_copied_from(
    tmp_path: Path,
) -> None:
    path = write(DOC, tmp_path)
    pdf = read_pdf(path.read_bytes())
    printed = _printed(path)
    start = pdf.text.index(ROW)
    refs = pdf.refs[start : start + len(ROW)]
    for offset, (char, ref) in enumerate(zip(ROW, refs, strict=True)):
        if ref >= 0:
            assert printed[ref] == char, (ROW[: offset + 1], printed[ref])
    put_in = "".join(c for c, r in zip(ROW, refs, strict=True) if r < 0)
    assert put_in == ": ; : ; : ."  # the separators, the final period, and nothing else
    char_map = CharMap.from_refs(pdf.refs, pdf.page_starts)
    assert list(char_map.chars(start, start + len(ROW))) == [2]  # its header is on page 2 too
    pages = dict(char_map.text_pages())
    assert max(p for o, p in pages.items() if o <= start) == 2


@pytest.fixture(scope="module")
def survey(tmp_path_factory: pytest.TempPathFactory) -> tuple[Assistant, Path]:
    root = tmp_path_factory.mktemp("table_pages")
    path = write(DOC, root / "corpus")
    assistant = Assistant(
        Settings(corpus_dir=path.parent, index_dir=root / "index", show_progress=False)
    )
    assistant.ingest()
    return assistant, path


def test_a_table_rows_citation_names_its_page_and_marks_its_cells(
    survey: tuple[Assistant, Path],
) -> None:
    from remqa.server import pdf_view

    assistant, path = survey
    answer = assistant.ask("When is the report of inspector Bertil Holmgren due?")
    assert not answer.refused, answer.text
    c = answer.citations[0]
    assert c.quote == ROW
    assert assistant.source_text(c.source)[c.start : c.end] == c.quote
    assert [c.page] == [c.page_end] == pages_of(path, "Bertil Holmgren") == [2]
    key = pdf_view.FileKey.of(path)
    chars = pdf_view.quote_pages(key, assistant.settings.index_dir, c.start, c.end)
    assert list(chars) == [2]
    marks = pdf_view.highlight(key, 2, chars[2])
    for value in ("Bertil Holmgren", "11", "week 12", "Report due"):
        for box in char_boxes(path, 2, value, value):
            assert any(inside(box, m) for m in marks), (value, box, marks)
    for box in char_boxes(path, 2, "Agneta Lindqvist", "week 9"):  # the other row: unmarked
        assert not any(inside(box, m) for m in marks)


def test_a_header_from_another_page_points_at_the_value_it_names() -> None:
    """Not met today (a table stops at a page's end), but were a table's header printed on
    the page before its rows, a row's page and marks would still be its values'."""
    from remqa.ingest.pdf_tables import _rows
    from remqa.ingest.pdf_units import Line

    def line(page: int, top: float, *cells: tuple[float, float, str], base: int) -> Line:
        refs, n = [], base
        for cell in cells:
            refs.append(array("i", range(n, n + len(cell[2]))))
            n += len(cell[2]) + 1
        text = " ".join(c[2] for c in cells)
        return Line(page, cells[0][0], cells[-1][1], top, top + 10, 10, text, 10,
                    cells=cells, cell_refs=tuple(refs))  # fmt: skip

    header = line(0, 700, (50, 90, "Site"), (150, 190, "Depth"), base=100)
    rows = [line(1, 20 * i, (50, 90, f"S{i}"), (150, 170, f"{i}.5 m"), base=10 * i) for i in (1, 2)]
    got = _rows([header, *rows], [(50, 90), (150, 190)])
    assert [r.text for r in got] == ["Site: S1; Depth: 1.5 m.", "Site: S2; Depth: 2.5 m."]
    first = got[0]
    assert first.page == 1
    # "Site" takes the ref of "S1"'s first character, "Depth" that of "1.5 m"'s
    assert list(first.refs) == [10] * 4 + [-1, -1, 10, 11, -1, -1] + [13] * 5 + [
        -1, -1, 13, 14, 15, 16, 17, -1
    ]  # fmt: skip
