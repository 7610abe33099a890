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
