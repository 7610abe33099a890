"""Damaged indexes, serving while ingesting, hostile input: clear messages, no lost data."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remqa import Answer, Assistant, Settings
from remqa.answering.figures import contains_figure, find_figures
from remqa.errors import IndexCorruptError, IndexMismatchError, QuestionError
from remqa.index.serving import hold_serving_lock, release_serving_lock
from tests.conftest import (
    TINY_DOCS,
    pretend_built_by_another_model,
    raw_collection,
    run_cli,
    write_corpus,
)

MakeSettings = Callable[..., Settings]
QUESTION = "How many megawatts does the zorblax reactor produce?"


def test_truncated_database_is_reported_and_rebuild_recovers(
    tiny_corpus: Path, make_settings: MakeSettings, tmp_path: Path
) -> None:
    settings = make_settings(tiny_corpus)
    Assistant(settings).ingest()
    database = settings.index_dir / "chroma.sqlite3"
    database.write_bytes(database.read_bytes()[:20_000])
    args = ["--corpus", str(tiny_corpus), "--index", str(settings.index_dir)]
    asked = run_cli("ask", QUESTION, *args, cwd=tmp_path)
    assert asked.returncode == 2 and "remqa ingest --rebuild" in asked.stderr
    assert asked.stderr.count("\n") == 1 and "Traceback" not in asked.stderr
    rebuilt = run_cli("ingest", "--rebuild", *args, cwd=tmp_path)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert list(tmp_path.glob("index.broken-*")), "the damaged index is kept aside, not deleted"
    answer = run_cli("ask", QUESTION, *args, cwd=tmp_path)
    assert answer.returncode == 0 and "412 megawatts" in answer.stdout


def test_index_with_wrong_vectors_is_not_served_silently(
    tiny_corpus: Path, make_settings: MakeSettings
) -> None:
    settings = make_settings(tiny_corpus)
    Assistant(settings).ingest()
    collection = raw_collection(settings)
    got = collection.get(include=["embeddings", "metadatas", "documents"])
    # Scramble the stored vectors: searching for a chunk's vector no longer finds that chunk.
    collection.update(
        ids=got["ids"], embeddings=[list(reversed(list(e))) for e in got["embeddings"]]
    )
    with pytest.raises(IndexCorruptError, match="remqa ingest --rebuild"):
        Assistant(settings).ask(QUESTION)
    Assistant(settings).ingest(rebuild=True)
    assert "412" in Assistant(settings).ask(QUESTION).text


def test_index_from_another_model_is_refused_on_ask(
    tiny_corpus: Path, make_settings: MakeSettings
) -> None:
    settings = make_settings(tiny_corpus)
    Assistant(settings).ingest()
    pretend_built_by_another_model(settings)
    with pytest.raises(IndexMismatchError, match="--rebuild"):
        Assistant(settings).ask(QUESTION)


def test_ingest_from_another_process_is_refused_while_the_chat_serves(
    tiny_corpus: Path, make_settings: MakeSettings, tmp_path: Path
) -> None:
    settings = make_settings(tiny_corpus)
    Assistant(settings).ingest()
    hold_serving_lock(settings)  # as `remqa serve` does for an embedded index
    try:
        before = (settings.index_dir / "chroma.sqlite3").read_bytes()
        result = run_cli(
            "ingest", "--corpus", str(tiny_corpus), "--index", str(settings.index_dir), cwd=tmp_path
        )
        assert result.returncode == 2 and "REMQA_CHROMA_URL" in result.stderr
        assert (settings.index_dir / "chroma.sqlite3").read_bytes() == before
        Assistant(settings).ingest()  # the serving process itself may (first-launch build)
    finally:
        release_serving_lock(settings)
    assert (
        run_cli(
            "ingest", "--corpus", str(tiny_corpus), "--index", str(settings.index_dir), cwd=tmp_path
        ).returncode
        == 0
    )


def test_app_keeps_answering_during_an_ingest_on_a_chroma_server(
    tmp_path: Path, make_settings: MakeSettings, chroma_server: str
) -> None:
    corpus = write_corpus(tmp_path / "corpus", {"zorblax.txt": TINY_DOCS["zorblax.txt"]})
    settings = make_settings(
        corpus, chroma_url=chroma_server, collection="serving", refresh_seconds=0
    )
    app = Assistant(settings)
    app.ingest()
    for i in range(40):  # enough new text that the ingest takes a while
        (corpus / f"extra{i}.txt").write_text(
            " ".join(f"Filler line {i}-{j} about nothing." for j in range(60))
        )
    (corpus / "quill.txt").write_text("Farmers picked 5,150 tonnes of quillberries in 2020.")
    env = {**os.environ, "REMQA_CHROMA_URL": chroma_server, "REMQA_COLLECTION": "serving"}
    ingest = subprocess.Popen(
        [sys.executable, "-m", "remqa", "-q", "ingest", "--corpus", str(corpus),
         "--index", str(settings.index_dir)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    answers: list[Answer] = []
    while ingest.poll() is None:
        answers.append(app.ask(QUESTION))
    assert ingest.returncode == 0, ingest.stderr.read() if ingest.stderr else ""
    assert answers and all("412" in a.text for a in answers)  # answered all along
    final = app.ask("How many tonnes of quillberries were picked in 2020?")
    assert contains_figure(final.text, "5,150 tonnes")


@pytest.fixture(scope="module")
def tiny_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("hostile")
    corpus = write_corpus(root / "corpus", TINY_DOCS)
    assistant = Assistant(
        Settings(corpus_dir=corpus, index_dir=root / "index", show_progress=False)
    )
    assistant.ask(QUESTION)
    return assistant


ODD_TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Po", "Sm"]), max_size=200),
    st.text(alphabet="\u202e\u202d\u200f\u061c\u05d0\u05d1\u0627\u0644 ", max_size=100),  # RTL
    st.from_regex(r"[0-9.,%$€-]{1,40}( (thousand|million|bn|tonnes|fold))?", fullmatch=True),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(question=ODD_TEXT)
def test_hostile_questions_never_crash(tiny_assistant: Assistant, question: str) -> None:
    try:
        answer = tiny_assistant.ask(question)
    except QuestionError as exc:  # empty / whitespace only: a clear, one-line message
        assert "\n" not in str(exc) and not question.strip()
        return
    assert isinstance(answer, Answer)
    quotes = " ".join(c.quote for c in answer.citations)
    assert all(contains_figure(quotes, f) for f in find_figures(answer.text))


def test_a_megabyte_question_gets_a_clear_error(tiny_assistant: Assistant) -> None:
    with pytest.raises(QuestionError, match="limit is 1,000"):
        tiny_assistant.ask("How much? " * 100_000)


@settings(max_examples=300, deadline=None)
@given(text=ODD_TEXT)
def test_figure_parser_survives_anything(text: str) -> None:
    for figure in find_figures(text):
        assert text[figure.start : figure.end] == figure.text


def test_concurrent_asks_in_one_process_are_independent(tiny_assistant: Assistant) -> None:
    results: dict[int, str] = {}

    def ask(i: int) -> None:
        question = QUESTION if i % 2 else "What share of the flumbit crop goes to Vexland?"
        results[i] = tiny_assistant.ask(question).text

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(("412" in text) if i % 2 else ("64%" in text) for i, text in results.items())


def test_cli_prints_document_text_inert(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "evil.txt").write_text(
        "Zentrite output reached 777 tonnes in 2023 \x1b[31mRED\x1b[0m \x1b]0;pwned\x07 "
        "[bold]markup[/bold] \u202eevil\u202c."
    )
    result = run_cli("ask", "How many tonnes of Zentrite in 2023?", "--corpus", "corpus",
                     "--index", "index", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "777 tonnes" in result.stdout
    assert (
        "\x1b" not in result.stdout and "\u202e" not in result.stdout
    )  # no escapes reach the terminal
    assert "\\x1b" in result.stdout and "[bold]markup[/bold]" in result.stdout  # shown, not obeyed


def test_missing_search_segment_is_reported_and_rebuild_recovers(
    tmp_path: Path, make_settings: MakeSettings
) -> None:
    from chromadb.api.shared_system_client import SharedSystemClient

    from tests.test_ingest_robustness import generated_corpus

    # Enough chunks that Chroma writes its search segment folder beside the database.
    corpus = generated_corpus(tmp_path / "corpus", files=40, sentences=50)
    settings = make_settings(corpus, chunk_max_words=20)
    Assistant(settings).ingest()
    segments = [p for p in settings.index_dir.iterdir() if p.is_dir() and p.name.count("-") == 4]
    assert segments, "no segment folder was written"
    for folder in segments:
        for file in folder.iterdir():
            file.unlink()
        folder.rmdir()
    SharedSystemClient.clear_system_cache()
    with pytest.raises(IndexCorruptError, match="remqa ingest --rebuild"):
        Assistant(settings).ask("What did item3x7 measure?")
    Assistant(settings).ingest(rebuild=True)
    answer = Assistant(settings).ask("What did item3x7 measure?")
    assert not answer.refused and "item3x7" in answer.citations[0].quote
