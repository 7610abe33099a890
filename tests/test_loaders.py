"""Loaders give text the way people wrote it: paragraphs, headings, list items, label: value
lines and table rows as units, for HTML, Word and PDF; page furniture left out of PDFs."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from remqa import Assistant, Settings
from remqa.answering.figures import contains_figure
from remqa.evaluation.formats import paragraphs
from remqa.evaluation.pdf_maker import datasheet_pdf, report_pdf
from remqa.ingest.errors import UnreadableFile
from remqa.ingest.loaders import docx_text, html_text
from remqa.ingest.pdf_text import LIGATURE_GUESSES, known_words, pdf_text, repair_unmapped
from remqa.text.reflow import display_text
from remqa.text.sentences import split_sentences
from tests.conftest import BUNDLED_CORPUS
from tests.documents import (
    DATASHEET_INTRO,
    DATASHEET_NOTES,
    DATASHEET_QUESTIONS,
    DATASHEET_SECTIONS,
    DATASHEET_TABLE,
    DATASHEET_TITLE,
    REPORT_HEADER,
    REPORT_PARAGRAPHS,
    REPORT_QUESTIONS,
)


def make_datasheet(path: Path) -> None:
    datasheet_pdf(
        path, DATASHEET_TITLE, DATASHEET_INTRO, DATASHEET_SECTIONS, DATASHEET_TABLE, DATASHEET_NOTES
    )


def lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line]


def test_html_blocks_are_units_and_inline_breaks_are_spaces() -> None:
    markup = (
        "<html><head><title>t</title><style>p{}</style><script>var x = 'zzscript';</script>"
        "</head><body><h1>Plant report</h1><p>The plant made\n412 units in\n2021.</p>"
        "<ul><li>first <b>item</b></li><li>second</li></ul><!-- hidden -->"
        "<table><tr><th>Label</th><th>Value</th></tr><tr><td>Modules per box</td>"
        "<td>31 pieces</td></tr></table><div>Line one<br>line two</div></body></html>"
    )
    assert lines(html_text(markup)) == [
        "Plant report",
        "The plant made 412 units in 2021.",
        "first item",
        "second",
        "Label: Modules per box; Value: 31 pieces.",
        "Line one",
        "line two",
    ]


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Spec sheet", 1)
    document.add_paragraph("Modules per box: 31 pieces")
    table = document.add_table(rows=2, cols=2)
    for (r, c), value in {
        (0, 0): "Voltage",
        (0, 1): "37.6 V",
        (1, 0): "Current",
        (1, 1): "14.1 A",
    }.items():
        table.cell(r, c).text = value
    document.add_paragraph("After the table.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_paragraphs_and_table_rows_in_document_order() -> None:
    assert lines(docx_text(_docx_bytes())) == [
        "Spec sheet",
        "Modules per box: 31 pieces",
        "Voltage: 37.6 V.",
        "Current: 14.1 A.",
        "After the table.",
    ]


def test_docx_that_is_not_one_or_is_a_zip_bomb_is_refused() -> None:
    with pytest.raises(UnreadableFile, match="zip archive"):
        docx_text(b"plain text renamed to .docx")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * 50_000_000)
    with pytest.raises(UnreadableFile, match="zip bomb"):
        docx_text(bomb.getvalue())


def test_pdf_report_reads_as_its_paragraphs_without_headers_or_page_numbers(
    tmp_path: Path,
) -> None:
    """Justified text, hyphenated line ends, ligatures, a running header and page numbers:
    the extracted text is the paragraphs, one per line, and nothing of the page furniture."""
    path = tmp_path / "report.pdf"
    body = REPORT_PARAGRAPHS * 3  # several pages
    report_pdf(body, path, title="Annual water report", header=REPORT_HEADER)
    text = pdf_text(path.read_bytes())
    got = lines(text)
    assert got[0] == "Annual water report"
    assert got[1:] == body
    assert REPORT_HEADER not in text and "Page " not in text


def test_pdf_of_the_bundled_article_keeps_every_paragraph(tmp_path: Path) -> None:
    source = next(BUNDLED_CORPUS.glob("*.txt")).read_text(encoding="utf-8")
    path = tmp_path / "article.pdf"
    report_pdf(paragraphs(source), path, title="Article")
    got = lines(pdf_text(path.read_bytes()))
    missing = [p for p in paragraphs(source) if p not in got]
    assert not missing, missing[:2]


def test_pdf_datasheet_label_lines_and_table_rows_stay_single_lines(tmp_path: Path) -> None:
    path = tmp_path / "datasheet.pdf"
    datasheet_pdf(
        path, DATASHEET_TITLE, DATASHEET_INTRO, DATASHEET_SECTIONS, DATASHEET_TABLE, DATASHEET_NOTES
    )
    got = lines(pdf_text(path.read_bytes()))
    for _, rows in DATASHEET_SECTIONS:
        for label, value in rows:
            assert f"{label}: {value}" in got
    header = DATASHEET_TABLE[0]
    for row in DATASHEET_TABLE[1:]:  # each row keeps its headers
        assert "; ".join(f"{h}: {v}" for h, v in zip(header, row, strict=True)) + "." in got
    assert DATASHEET_INTRO in got and DATASHEET_TITLE in got
    assert not any(line.startswith("Page ") for line in got)


def test_glyphs_without_unicode_are_repaired_as_ligatures() -> None:
    broken = "We may \ufffdnd the \ufffdeld di\ufffderent; the o\ufffdce was \ufffdlled."
    assert repair_unmapped(broken, known_words()) == (
        "We may find the field different; the office was filled."
    )
    assert set(LIGATURE_GUESSES) == {"fi", "fl", "ff", "ffi", "ffl"}


def test_corrupt_pdf_is_skipped_with_a_reason() -> None:
    with pytest.raises(UnreadableFile, match="PDF"):
        pdf_text(b"%PDF-1.4 this is not really a pdf")


def test_indexed_datasheet_keeps_label_lines_and_rows_as_sentences(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    """Through ingest: table rows of similar length are not mistaken for wrapped prose."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    make_datasheet(corpus / "datasheet.pdf")
    assistant = Assistant(make_settings(corpus))
    assistant.ingest()
    source = assistant.source_text("datasheet.pdf")
    sentences = set()
    for chunk in assistant.retriever.chunks:
        for s, e in split_sentences(chunk.text):
            sentences.add(chunk.text[s:e])
            start, end = chunk.source_span(s, e)
            assert source[start:end] == chunk.quote(start, end)
    assert "Modules per box: 31 pieces" in sentences
    assert "Parameter: Maximum power; STC: 415; NOCT: 311; Unit: W." in sentences
    assert "Parameter: Open-circuit voltage; STC: 37.6; NOCT: 35.3; Unit: V." in sentences


@pytest.fixture(scope="module")
def pdf_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """A datasheet and a multi-page report with headers, footers and hyphenated lines."""
    root = tmp_path_factory.mktemp("pdfs")
    corpus = root / "corpus"
    corpus.mkdir()
    make_datasheet(corpus / "datasheet.pdf")
    report_pdf(
        REPORT_PARAGRAPHS * 2, corpus / "report.pdf", title="Water report", header=REPORT_HEADER
    )
    assistant = Assistant(
        Settings(corpus_dir=corpus, index_dir=root / "index", show_progress=False)
    )
    assistant.ingest()
    return assistant


@pytest.mark.parametrize(("question", "line", "figure"), DATASHEET_QUESTIONS)
def test_datasheet_questions_are_answered_from_their_line(
    pdf_assistant: Assistant, question: str, line: str, figure: str
) -> None:
    answer = pdf_assistant.ask(question)
    assert not answer.refused, question
    first = answer.citations[0]
    assert first.source == "datasheet.pdf" and display_text(first.quote) == line
    assert contains_figure(answer.text.split("[1]")[0], figure)


@pytest.mark.parametrize(("question", "figure"), REPORT_QUESTIONS)
def test_report_questions_quote_the_sentence_without_page_furniture(
    pdf_assistant: Assistant, question: str, figure: str
) -> None:
    answer = pdf_assistant.ask(question)
    assert not answer.refused, question
    lead = answer.text.split("[1]")[0]
    assert contains_figure(lead, figure), lead
    for c in answer.citations:
        assert pdf_assistant.source_text(c.source)[c.start : c.end] == c.quote
        assert REPORT_HEADER not in c.quote and "Page " not in c.quote


def test_html_doctype_and_processing_instructions_are_not_text() -> None:
    markup = "<?xml version='1.0'?><!DOCTYPE html><html><body><p>Only this.</p></body></html>"
    assert lines(html_text(markup)) == ["Only this."]
