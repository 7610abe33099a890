"""Shared fixtures: a tiny corpus with unique tokens, and settings pointing at tmp folders."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from remqa import Settings

REPO = Path(__file__).resolve().parent.parent


# Folders this run made for itself, removed when it ends (a model cache is about 230 MB).
_MADE: list[Path] = []


def pytest_configure(config: pytest.Config) -> None:
    """A model cache of the run's own (shared with its subprocesses): tests never read or
    write the user's cache, and the model is exported once per run. The chat's browser key
    too, never the user's own. A folder set in the environment beforehand is kept."""
    import os
    import tempfile

    for variable, prefix, leaf in (
        ("REMQA_MODEL_CACHE_DIR", "remqa-models-", ""),
        ("REMQA_CHAT_SECRET_FILE", "remqa-chat-", "chat-secret"),
    ):
        if variable not in os.environ:
            folder = Path(tempfile.mkdtemp(prefix=prefix))
            _MADE.append(folder)
            os.environ[variable] = str(folder / leaf) if leaf else str(folder)


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in _MADE:
        shutil.rmtree(folder, ignore_errors=True)


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


def shipped_weights_with(path: Path, changes: dict[str, Any], drop: tuple[str, ...] = ()) -> Path:
    """The shipped answerer weights with `changes` set and the keys `drop` left out, written
    to `path`: a test's own weights, otherwise what remqa ships."""
    import json

    from remqa.answering.selector import SHIPPED

    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    data.update(changes)
    for key in drop:
        data.pop(key, None)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


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
    from remqa.server.app import launch

    settings = bundled_index.model_copy(update={"port": free_port()})
    app = launch(settings)
    url = app.url
    yield url
    app.close()


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Chroma server (`chroma run`) on a free loopback port, for server-mode tests."""
    import subprocess
    import sys
    import time

    import httpx

    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    chroma = Path(sys.executable).with_name("chroma")
    log = (data / "server.log").open("w")
    proc = subprocess.Popen(
        [
            str(chroma),
            "run",
            "--path",
            str(data / "db"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"chroma run did not start: {(data / 'server.log').read_text()}")
        time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


def raw_collection(settings: Settings) -> Any:
    """The index's Chroma collection, opened directly (to inspect or damage it in tests)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(
        path=str(settings.index_dir), settings=ChromaSettings(anonymized_telemetry=False)
    )
    return client.get_collection(settings.collection)


def pretend_built_by_another_model(settings: Settings) -> None:
    collection = raw_collection(settings)
    collection.modify(metadata={**(collection.metadata or {}), "embed_model": "other/model"})


def run_cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m remqa ARGS` in a fresh process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "remqa", *args], cwd=cwd, capture_output=True, text=True,
        timeout=300, env=env,
    )  # fmt: skip
