"""Shared fixtures: a tiny corpus with unique tokens, and settings pointing at tmp folders."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from remqa import Settings

REPO = Path(__file__).resolve().parent.parent
BUNDLED_CORPUS = REPO / "corpus"

TINY_DOCS = {
    "zorblax.txt": (
        "The zorblax reactor produces 412 megawatts of power. It was built in 1987 by "
        "Quillon Industries.\nMaintenance of the zorblax reactor costs $31 million per year."
    ),
    "notes/flumbit.md": (
        "# Flumbit harvest\n\nFlumbit farmers harvested 7,300 tonnes in 2021. About 64% of "
        "the flumbit crop is exported to Vexland."
    ),
}


def write_corpus(root: Path, docs: dict[str, str]) -> Path:
    for name, text in docs.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus", TINY_DOCS)


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    def make(corpus: Path, **overrides: object) -> Settings:
        values: dict[str, object] = {
            "corpus_dir": corpus,
            "index_dir": tmp_path / "index",
            "show_progress": False,
        }
        values.update(overrides)
        return Settings(**values)  # type: ignore[arg-type]

    return make


@pytest.fixture(scope="session")
def bundled_index(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The bundled article, ingested once per test session."""
    from remqa import Assistant

    root = tmp_path_factory.mktemp("bundled")
    corpus = root / "corpus"
    shutil.copytree(BUNDLED_CORPUS, corpus)
    settings = Settings(corpus_dir=corpus, index_dir=root / "index", show_progress=False)
    Assistant(settings).ingest()
    return settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server(bundled_index: Settings) -> Iterator[str]:
    """The chat app on a free loopback port, serving the bundled article."""
    from remqa.ui import launch

    settings = bundled_index.model_copy(update={"port": free_port()})
    app, url = launch(settings, block=False)
    yield url
    app.close()
