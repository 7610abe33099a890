"""The corpus's sentence vectors: embedded once when the index opens, saved with it, and
reused, so a question embeds only itself; the same vectors (so the same answers) as
embedding each sentence when asked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from remqa import Assistant, Settings
from remqa.index.onnx_embed import OnnxEmbedding
from remqa.retrieval.sentence_vectors import FILE_NAME, load_vectors, save_vectors, text_key
from tests.conftest import write_corpus


@pytest.fixture
def embedded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the ONNX model embeds as a document (not as a question), in order."""
    seen: list[str] = []
    original = OnnxEmbedding._get_text_embedding

    def counting(self: OnnxEmbedding, text: str) -> list[float]:
        seen.append(text)
        return original(self, text)

    monkeypatch.setattr(OnnxEmbedding, "_get_text_embedding", counting)
    return seen


def _store(settings: Settings) -> Path:
    return settings.index_dir / "retrieval" / FILE_NAME


def _corpus_texts(assistant: Assistant) -> list[str]:
    answerer = assistant._answerer
    assert answerer is not None
    return answerer.reader.corpus_texts(assistant.retriever.chunks)


def test_a_question_embeds_only_itself(
    tiny_corpus: Path, make_settings: Callable[..., Settings], embedded: list[str]
) -> None:
    settings = make_settings(tiny_corpus)
    assistant = Assistant(settings)
    assistant.ensure_ready()
    texts = _corpus_texts(assistant)
    assert len(texts) >= 4  # the tiny corpus's sentences, headings left out
    saved = load_vectors(_store(settings), _made_by(assistant))
    assert set(saved) == {text_key(t) for t in texts}
    embedded.clear()
    answer = assistant.ask("Where is the flumbit crop exported to?")
    assert not answer.refused and "Vexland" in answer.citations[0].quote
    assert embedded == []  # the candidate sentences' vectors were held


def test_held_vectors_are_each_sentence_embedded_alone(
    tiny_corpus: Path, make_settings: Callable[..., Settings]
) -> None:
    settings = make_settings(tiny_corpus)
    assistant = Assistant(settings)
    assistant.ensure_ready()
    similarity = assistant.similarity
    texts = _corpus_texts(assistant)
    held = similarity.vectors(texts)
    alone = np.array([similarity.model.get_text_embedding(t) for t in texts], np.float32)
    assert np.array_equal(held, alone)  # so every answer is what it was without the store


def test_after_an_ingest_only_new_sentences_are_embedded(
    tiny_corpus: Path, make_settings: Callable[..., Settings], embedded: list[str]
) -> None:
    settings = make_settings(tiny_corpus)
    first = Assistant(settings)
    first.ensure_ready()
    before = set(_corpus_texts(first))
    write_corpus(tiny_corpus, {"extra.md": "Quobble mines opened in 1931. They closed in 1977."})
    second = Assistant(settings)
    second.ingest()
    embedded.clear()
    second.ensure_ready()
    after = set(_corpus_texts(second))
    new = after - before
    assert new and {t for t in embedded if t in after} == new
    assert len(load_vectors(_store(settings), _made_by(second))) == len(after)


def test_a_damaged_or_foreign_store_is_made_again(
    tiny_corpus: Path, make_settings: Callable[..., Settings]
) -> None:
    settings = make_settings(tiny_corpus)
    Assistant(settings).ensure_ready()
    store = _store(settings)
    store.write_bytes(b"not an npz file")
    assistant = Assistant(settings)
    answer = assistant.ask("Where is the flumbit crop exported to?")
    assert "Vexland" in answer.citations[0].quote
    model = _made_by(assistant)
    assert len(load_vectors(store, model)) == len(_corpus_texts(assistant))
    save_vectors(store, "another model", {text_key("x"): np.ones(384, np.float32)})
    assert load_vectors(store, model) == {}  # vectors of another model never mix in
    Assistant(settings).ensure_ready()
    assert len(load_vectors(store, model)) == len(_corpus_texts(assistant))


def _made_by(assistant: Assistant) -> str:
    from remqa.loaded_index import _vectors_made_by

    return _vectors_made_by(assistant.index_settings)


def test_every_key_survives_saving(tmp_path: Path) -> None:
    """A digest ending in a zero byte (as "sentence 57." does) comes back whole."""
    texts = ["sentence 57.", "Flumbit farmers harvested 7,300 tonnes in 2021."]
    assert text_key(texts[0]).endswith(b"\x00")
    vectors = {text_key(t): np.full(384, i, np.float32) for i, t in enumerate(texts)}
    save_vectors(tmp_path / FILE_NAME, "model", vectors)
    loaded = load_vectors(tmp_path / FILE_NAME, "model")
    assert loaded.keys() == vectors.keys()
    assert all(np.array_equal(loaded[k], vectors[k]) for k in vectors)
