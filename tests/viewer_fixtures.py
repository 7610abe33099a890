"""A served corpus for the viewer's tests: the 5-page report, a Markdown note, and a file
outside the corpus that a symlink inside it points at."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from remqa import Assistant, Settings
from remqa.server.app import launch
from tests.conftest import free_port
from tests.paged_pdf import paged_report

NOTE = "# Bridges\n\nIntro line.\n\n## Costs\n\nThe Pellucid bridge cost 31 million euros.\n"
SECRET = "the secret outside the corpus: 8472-XK"
Box = tuple[float, float, float, float]  # left, top, right, bottom: fractions of the page
TOLERANCE = 0.003  # of the page's size: rounding of CSS percentages and pixels


@dataclass(frozen=True)
class Served:
    url: str
    corpus: Path
    settings: Settings


def paged_corpus(root: Path) -> Path:
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    paged_report(corpus / "report.pdf")
    (corpus / "notes.md").write_text(NOTE, encoding="utf-8")
    (root / "secret.md").write_text(SECRET, encoding="utf-8")
    (corpus / "linked.md").symlink_to(root / "secret.md")  # points out of the corpus
    return corpus


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("viewer")
    corpus = paged_corpus(root)
    settings = Settings(
        corpus_dir=corpus, index_dir=root / "index", show_progress=False, port=free_port()
    )
    Assistant(settings).ingest()
    app = launch(settings)
    yield Served(app.url, corpus, settings)
    app.close()


def char_boxes(pdf: Path, page: int, first: str | None, last: str | None) -> list[Box]:
    """PDFium's own boxes of the printed characters on `page` from the start of `first`
    (None: the page's start) to the end of `last` (None: the page's end), found by PDFium's
    text search."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        handle = document[page - 1]
        text = handle.get_textpage()
        width, height = handle.get_size()
        start = 0 if first is None else text.search(first).get_next()[0]
        if last is None:
            end = text.count_chars()
        else:
            at, length = text.search(last).get_next()
            end = at + length
        boxes = []
        for i in range(start, end):
            if text.get_text_range(i, 1).strip():
                left, bottom, right, top = text.get_charbox(i)
                boxes.append((left / width, 1 - top / height, right / width, 1 - bottom / height))
        return boxes
    finally:
        document.close()


def inside(c: Box, m: Box) -> bool:
    """Whether the box `c` lies inside the mark `m` (within TOLERANCE)."""
    t = TOLERANCE
    return m[0] - t <= c[0] and c[2] <= m[2] + t and m[1] - t <= c[1] and c[3] <= m[3] + t
