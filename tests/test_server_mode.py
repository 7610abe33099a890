"""Chroma server mode against a real `chroma run`: ingest, ask, live reload, migration."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from remqa import Assistant, Settings
from remqa.answering.figures import contains_figure
from remqa.evaluation.scoring import first_sentence
from remqa.index.migrate import migrate
from tests.conftest import TINY_DOCS, write_corpus

MakeSettings = Callable[..., Settings]


def test_ingest_and_ask_through_a_chroma_server(
    tiny_corpus: Path, make_settings: MakeSettings, chroma_server: str
) -> None:
    settings = make_settings(tiny_corpus, chroma_url=chroma_server, collection="tiny-ask")
    report = Assistant(settings).ingest()
    assert report.index == chroma_server and report.chunks_total == report.chunks_embedded > 0
    assert Assistant(settings).ingest().chunks_embedded == 0  # incremental on the server too
    answer = Assistant(settings).ask("What share of the flumbit crop goes to Vexland?")
    assert contains_figure(first_sentence(answer.text), "64%")
    source = (tiny_corpus / answer.citations[0].source).read_text()
    c = answer.citations[0]
    assert source[c.start : c.end] == c.quote


def test_running_app_sees_another_process_ingest_without_restart(
    tmp_path: Path, make_settings: MakeSettings, chroma_server: str
) -> None:
    corpus = write_corpus(tmp_path / "corpus", {"zorblax.txt": TINY_DOCS["zorblax.txt"]})
    settings = make_settings(
        corpus, chroma_url=chroma_server, collection="live-reload", refresh_seconds=0
    )
    app = Assistant(settings)  # stands for a running chat server
    app.ingest()
    question = "How many tonnes of quillberries were picked in 2020?"
    assert app.ask(question).refused
    (corpus / "quill.txt").write_text("Farmers picked 5,150 tonnes of quillberries in 2020.")
    env = {**os.environ, "REMQA_CHROMA_URL": chroma_server, "REMQA_COLLECTION": "live-reload"}
    result = subprocess.run(
        [sys.executable, "-m", "remqa", "-q", "ingest", "--corpus", str(corpus),
         "--index", str(settings.index_dir)],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    answer = app.ask(question)
    assert not answer.refused and contains_figure(answer.text, "5,150 tonnes")


def test_migrate_an_embedded_index_to_the_server_without_reembedding(
    bundled_index: Settings, chroma_server: str, tmp_path: Path
) -> None:
    target = bundled_index.model_copy(
        update={"chroma_url": chroma_server, "collection": "migrated", "index_dir": tmp_path}
    )
    moved = migrate(bundled_index, target)
    assert moved.chunks > 0 and moved.target == chroma_server
    question = "How much is the gallium market worth per year?"
    assert Assistant(target).ask(question).text == Assistant(bundled_index).ask(question).text
    assert Assistant(target).ingest().chunks_embedded == 0


def test_cli_migrate_refuses_to_overwrite(bundled_index: Settings, chroma_server: str) -> None:
    command = [sys.executable, "-m", "remqa", "-q", "migrate", chroma_server,
               "--index", str(bundled_index.index_dir)]  # fmt: skip
    env = dict(os.environ)  # the collection keeps its name ("remqa") on the server
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "Copied" in first.stdout and f"REMQA_CHROMA_URL={chroma_server}" in first.stdout
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 2 and "--replace" in again.stderr
