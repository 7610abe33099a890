"""Finding corpus files and turning each into plain text whose offsets citations use.

For .txt, and .md without a pipe table, the text is exactly what
`open(path, encoding="utf-8").read()` returns (universal newlines), so `text[start:end]` is
the quote; wrapped lines are read as paragraphs later, by `text.reflow`. For .pdf, .html and
.docx it is the extracted text, one paragraph, heading, list item or table row per line with
a blank line between paragraphs; a Markdown file's pipe tables are rewritten the same way
(`ingest.markdown_text` says why). A table row keeps its cells' headers (`ingest.tables`).
`Assistant.source_text()` returns the text citations index.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from remqa.errors import CorpusError
from remqa.ingest.errors import UnreadableFile
from remqa.ingest.layout import CharMap, Layout, block_layout, heading_text, markdown_headings

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
PDF_SUFFIXES = {".pdf"}
HTML_SUFFIXES = {".html", ".htm"}
DOCX_SUFFIXES = {".docx"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES | HTML_SUFFIXES | DOCX_SUFFIXES
ACCEPTED_TYPES = ".txt, .md, .pdf, .html or .docx"


@dataclass(frozen=True)
class CorpusFile:
    """A file found in the corpus, before its text is extracted."""

    source: str  # path relative to the corpus folder, with forward slashes
    path: Path
    content_hash: str  # sha256 of the raw bytes
    size: int = 0  # bytes, as found by the scan


def scan_corpus(corpus_dir: Path, max_file_bytes: int) -> tuple[list[CorpusFile], dict[str, str]]:
    """Walk the corpus: supported files with their hashes, and {source: reason} for the rest."""
    if not corpus_dir.is_dir():
        raise CorpusError(
            f"Corpus folder {corpus_dir}/ does not exist. Create it and put {ACCEPTED_TYPES} "
            "files there, or pass --corpus DIR."
        )
    files: list[CorpusFile] = []
    skipped: dict[str, str] = {}
    for path in sorted(corpus_dir.rglob("*")):
        rel = path.relative_to(corpus_dir)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue  # hidden files and folders (.git, .DS_Store) are not documents
        source = rel.as_posix()
        suffix = path.suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            skipped[source] = f"unsupported file type '{suffix or '(none)'}' (use {ACCEPTED_TYPES})"
            continue
        size = path.stat().st_size
        if size > max_file_bytes:
            skipped[source] = (
                f"{size:,} bytes is over the {max_file_bytes:,}-byte limit "
                "(raise REMQA_MAX_FILE_BYTES)"
            )
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        files.append(CorpusFile(source=source, path=path, content_hash=digest, size=size))
    return files, skipped


@dataclass(frozen=True)
class Extracted:
    """A file's text, where its parts are (pages, headings), and for a PDF where each of its
    characters was printed (for the viewer)."""

    text: str
    layout: Layout
    char_map: CharMap | None = None


def extract_text(file: CorpusFile) -> str:
    """The text of one file; raises UnreadableFile with a reason a person can act on."""
    return extract_document(file).text


def extract_document(file: CorpusFile) -> Extracted:
    """The text of one file with its layout; raises UnreadableFile with a reason a person
    can act on."""
    data = file.path.read_bytes()
    if not data.strip():
        raise UnreadableFile("empty file")
    suffix = file.path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        extracted = _pdf_document(data)
    elif suffix in HTML_SUFFIXES:
        from remqa.ingest.html_text import html_blocks_and_headings

        extracted = Extracted(*block_layout(*html_blocks_and_headings(_decode(data))))
    elif suffix in DOCX_SUFFIXES:
        from remqa.ingest.docx_text import docx_blocks_and_headings

        extracted = Extracted(*block_layout(*docx_blocks_and_headings(data)))
    elif suffix in MARKDOWN_SUFFIXES:
        text = _markdown_text(_decode(data))
        extracted = Extracted(text, Layout(headings=tuple(markdown_headings(text))))
    else:
        extracted = Extracted(_decode(data), Layout())
    if not extracted.text.strip():
        raise UnreadableFile("no text in file")
    return extracted


def _decode(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise UnreadableFile("binary data, not text (NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"not UTF-8 text (bad byte at offset {exc.start}); re-save it as UTF-8"
        ) from None
    # Same newline handling as open(): citations are offsets into what users read back.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _pdf_document(data: bytes) -> Extracted:
    from remqa.ingest.pdf_text import read_pdf

    pdf = read_pdf(data)
    char_map = CharMap.from_refs(pdf.refs, pdf.page_starts)
    headings = tuple((h, heading_text(pdf.text[h : pdf.text.find("\n", h)])) for h in pdf.headings)
    return Extracted(pdf.text, Layout(char_map.text_pages(), headings), char_map)


def _markdown_text(text: str) -> str:
    from remqa.ingest.markdown_text import markdown_text

    return markdown_text(text)


def html_text(markup: str) -> str:
    """The visible text, a block element (paragraph, heading, list item, table row) per line
    and a blank line between blocks; line breaks inside a paragraph are spaces."""
    from remqa.ingest.html_text import html_blocks

    return "\n\n".join(html_blocks(markup))


def docx_text(data: bytes) -> str:
    """Paragraphs and table rows of a Word file, in document order."""
    from remqa.ingest.docx_text import docx_blocks

    return "\n\n".join(docx_blocks(data))
