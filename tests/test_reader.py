"""The reading model: the per-machine lower part plus the shipped top read as trained, rank an
answering sentence first, give spans that index the sentence, and fail in words."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from remqa import Assistant, Settings
from remqa.answering.reader import Reader
from remqa.answering.reader.encoding import encode_pairs, load_tokenizer
from remqa.answering.reader.lower import cached_lower
from remqa.answering.reader.model import TOP_FILE, manifest
from remqa.errors import ModelCacheError
from tests.conftest import write_corpus

SHARED_CACHE = Path(os.environ["REMQA_MODEL_CACHE_DIR"])  # the run's own, from conftest

# Made-up facts: no model has read them, so only reading the pair can rank them.
PAIRS = [
    ("Who founded the Zorblax Institute?",
     "The Zorblax Institute was founded in 1911 by the chemist Mirela Quantrell.",
     "Blue herons nest in the tall reeds along the northern shore of the lake."),
    ("When was the Velmora bridge opened?",
     "The Velmora bridge was opened to traffic in 1932 after six years of work.",
     "The recipe calls for two cups of flour and a pinch of salt."),
    ("How many moons does the planet Trevok have?",
     "Astronomers agree that the planet Trevok has seven moons.",
     "He enjoyed playing the violin with his cousins on weekends."),
    ("Where is the Quillon glassworks located?",
     "The Quillon glassworks is located in the harbour town of Harnsby.",
     "Most of the committee's members voted against the proposal."),
    ("What does the Dravish tax on salt pay for?",
     "The Dravish tax on salt pays for the upkeep of the river dams.",
     "The festival ends each year with a parade of lanterns."),
]  # fmt: skip


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader(cache_dir=SHARED_CACHE)


def test_lower_export_plus_shipped_top_match_the_torch_model() -> None:
    """The cut is exact: the packaged lower part in torch, fed to the shipped top, gives the
    same probabilities as its ONNX export: fp32 within 1e-4. An int8 lower part quantizes
    the frozen layers' matrix products (none when only the embeddings are frozen, as
    shipped): within 0.15 here, and the same order."""
    import onnxruntime
    import torch

    from remqa.answering.reader.torch_parts import Lower, packaged_bert

    layers, tokens = int(manifest()["lower_layers"]), int(manifest()["max_tokens"])
    tokenizer = load_tokenizer(tokens)
    top = onnxruntime.InferenceSession(str(TOP_FILE), providers=["CPUExecutionProvider"])
    lowers = {p: onnxruntime.InferenceSession(str(cached_lower(p, layers, SHARED_CACHE)),
                                              providers=["CPUExecutionProvider"])
              for p in ("fp32", "int8")}  # fmt: skip
    torch_lower = Lower(packaged_bert(), layers).eval()
    for question, good, bad in PAIRS:
        batch = encode_pairs(tokenizer, question, [good, bad])
        with torch.no_grad():
            feeds = {k: torch.from_numpy(v) for k, v in batch.feeds().items()}
            hidden = torch_lower(**feeds).numpy()
        mask = batch.attention_mask

        def probability(h: np.ndarray) -> np.ndarray:
            return np.asarray(top.run(["probability"], {"hidden": h, "attention_mask": mask})[0])  # noqa: B023

        reference = probability(hidden)
        fp32 = probability(lowers["fp32"].run(["hidden"], batch.feeds(lowers["fp32"]))[0])
        int8 = probability(lowers["int8"].run(["hidden"], batch.feeds(lowers["int8"]))[0])
        assert np.max(np.abs(fp32 - reference)) < 1e-4
        assert np.max(np.abs(int8 - reference)) < 0.15
        assert int8[0] > int8[1]


def test_the_answering_sentence_scores_above_an_unrelated_one(reader: Reader) -> None:
    for question, good, bad in PAIRS:
        high, low = reader.score(question, [good, bad])
        assert high > low, (question, high, low)
        assert 0.0 <= low <= 1.0 and 0.0 <= high <= 1.0
    assert reader.score("Anything?", []) == []


def test_span_offsets_index_the_sentence_exactly(reader: Reader) -> None:
    for question, good, _ in PAIRS:
        spans = reader.spans(question, good, limit=3)
        assert spans and len(spans) <= 3
        assert [s[2] for s in spans] == sorted((s[2] for s in spans), reverse=True)
        for start, end, score in spans:
            assert 0 <= start < end <= len(good) and 0.0 < score <= 1.0
            text = good[start:end]
            assert text == text.strip() and text
            # whole words: a span never starts or ends inside a word
            assert start == 0 or not good[start - 1].isalnum()
            assert end == len(good) or not good[end].isalnum()
    start, end, _ = reader.spans(PAIRS[1][0], PAIRS[1][1])[0]
    assert "1932" in PAIRS[1][1][start:end]
    assert reader.spans("Anything?", "  ") == []


def test_concurrent_questions_share_one_reader(reader: Reader) -> None:
    def ask(i: int) -> list[float]:
        question, good, bad = PAIRS[i % len(PAIRS)]
        return reader.score(question, [good, bad])

    alone = [ask(i) for i in range(len(PAIRS))]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(ask, range(4 * len(PAIRS))))
    assert together == alone * 4


def test_a_missing_cache_folder_is_made(tmp_path: Path) -> None:
    cache = tmp_path / "not" / "yet"
    made = cached_lower("fp32", int(manifest()["lower_layers"]), cache)
    assert made.is_file() and made.is_relative_to(cache)
    assert not list(made.parent.glob("*.tmp"))  # no half-written file left behind
    assert Reader(cache_dir=cache, precision="fp32").score(PAIRS[0][0], [PAIRS[0][1]])


def test_an_unwritable_cache_says_what_to_set(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(ModelCacheError) as caught:
        Reader(cache_dir=blocker / "cache").score(PAIRS[0][0], [PAIRS[0][1]])
    message = str(caught.value)
    assert "REMQA_MODEL_CACHE_DIR" in message and "\n" not in message


BOLD_CORPUS = {"institute.txt": (
    "The Zorblax Institute studies the glass of the northern coast. It was founded in 1911 "
    "by the chemist Mirela Quantrell, who ran it for thirty years. Its library holds old "
    "maps of the harbour town of Harnsby."
)}  # fmt: skip


def test_the_reading_models_span_leads_in_bold_only_above_its_types_threshold(
    tmp_path: Path, make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A non-figure answer leads with the reading model's best span of the chosen sentence,
    exact words of it, when P(answers) x the span's score reaches the answer type's
    threshold; with none for the type, or one out of reach, the sentence leads alone."""
    from remqa.answering import answerer

    settings = make_settings(write_corpus(tmp_path / "corpus", BOLD_CORPUS))
    question = "Who founded the Zorblax Institute?"
    sentence = (
        "It was founded in 1911 by the chemist Mirela Quantrell, who ran it for thirty years."
    )
    start, end, _ = Reader(cache_dir=SHARED_CACHE).spans(question, sentence, limit=1)[0]
    monkeypatch.setattr(answerer, "reading_model_thresholds", lambda: {"name": 0.0})
    bold = Assistant(settings).ask(question)
    assert bold.text.startswith(f"**{sentence[start:end]}** — {sentence} [1]"), bold.text
    assert "Quantrell" in sentence[start:end]
    for out_of_reach in ({"name": 2.0}, {"thing": 0.0}):
        monkeypatch.setattr(answerer, "reading_model_thresholds", lambda t=out_of_reach: t)
        plain = Assistant(settings).ask(question)
        assert plain.text.startswith(f"{sentence} [1]"), plain.text
    # A reading model that cannot be prepared (here: a cache that cannot be written) costs
    # the bold only, never the answer.
    monkeypatch.setattr(answerer, "reading_model_thresholds", lambda: {"name": 0.0})
    (tmp_path / "a-file").write_text("not a folder")
    broken = settings.model_copy(update={  # torch embeddings: they need no model cache
        "model_cache_dir": tmp_path / "a-file" / "cache", "embed_backend": "torch",
        "index_dir": tmp_path / "torch-index",
    })  # fmt: skip
    unbolded = Assistant(broken).ask(question)
    assert not unbolded.refused and unbolded.text.startswith(f"{sentence} [1]"), unbolded.text


def test_shipped_bold_thresholds_are_chosen_for_precision() -> None:
    """bold.json (eval/bold_thresholds.py) holds, on the held-out answers each table was
    chosen on, the precision it promises, and names only answer types the answerer knows."""
    import json
    from typing import get_args

    from remqa.answering.answer_types import AnswerType
    from remqa.answering.bold import BOLD_FILE, figure_thresholds, reading_model_thresholds

    data = json.loads(BOLD_FILE.read_text(encoding="utf-8"))
    assert data["precision"] >= 0.8
    for name, thresholds in (("reading_model", reading_model_thresholds()),
                             ("figures", figure_thresholds())):  # fmt: skip
        assert thresholds, f"no answer type may be bolded from {name}"
        assert set(thresholds) <= set(get_args(AnswerType))
        assert data[name]["held_out"]["precision"] >= data["precision"]
        assert data[name]["held_out"]["bold"] >= data["min_support"]


def test_a_span_drops_the_punctuation_that_closes_its_sentence() -> None:
    from remqa.answering.reader.encoding import trim_span

    cases = {
        "It starred Gregory Peck as Atticus Finch.": "It starred Gregory Peck as Atticus Finch",
        "Its base moved to the U.S.": "Its base moved to the U.S.",  # a capital's full stop stays
        "red, green;": "red, green",
        "Dr. Quantrell": "Dr. Quantrell",  # the sentence goes on: an abbreviation
        # one clause: a table row's next cell is not part of the answer
        "Apple yield: 39.8 t/ha; Organic share: 15%": "Apple yield: 39.8 t/ha",
    }  # fmt: skip
    for sentence, kept in cases.items():
        start, end = trim_span(sentence, 0, len(sentence))
        assert sentence[start:end] == kept
    row = "Region: Eastwick Vale; Apple yield: 39.8 t/ha; Organic share: 15%"
    start, end = trim_span(row, row.index("39.8"), len(row))
    assert row[start:end] == "39.8 t/ha"
    sentence = "The Quillon glassworks was bought by Harnsby Glass."
    spans = Reader(cache_dir=SHARED_CACHE).spans("Who bought the Quillon glassworks?", sentence)
    assert spans and all(not sentence[s:e].endswith(".") for s, e, _ in spans)
    assert len({(s, e) for s, e, _ in spans}) == len(spans)  # trimmed spans kept once


def test_the_reading_check_refuses_a_when_answer_both_models_doubt(
    tmp_path: Path, make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A "when" question no figure answers goes to the selector; its answer stands only
    when P(answers) from the selector x the reading model's P(answers) for the chosen
    sentence reaches the check's threshold. Other questions are not checked."""
    from remqa.answering import answerer

    docs = {"institute.txt": (
        "The Zorblax Institute studies the glass of the northern coast. Its library was "
        "built in the mid-eighteenth century, long before the institute moved in. It was "
        "founded by the chemist Mirela Quantrell."
    )}  # fmt: skip
    settings = make_settings(write_corpus(tmp_path / "corpus", docs))
    question = "When was the library of the Zorblax Institute built?"
    monkeypatch.setattr(answerer, "reading_check_threshold", lambda: None)
    answer = Assistant(settings).ask(question)
    assert not answer.refused and answer.answered_by == "selector", answer.text
    assert answer.confidence is not None
    sentence = answer.citations[0].quote
    assert "mid-eighteenth century" in sentence
    read = Reader(cache_dir=SHARED_CACHE).read(question, sentence)
    checked = answer.confidence * read.probability
    assert 0.0 < checked < 1.0
    for threshold, refused in ((checked * 0.99, False), (checked * 1.01, True)):
        monkeypatch.setattr(answerer, "reading_check_threshold", lambda t=threshold: t)
        again = Assistant(settings).ask(question)
        assert again.refused == refused and again.answered_by == "selector", threshold
    # a question that asks for no figure is never checked
    monkeypatch.setattr(answerer, "reading_check_threshold", lambda: 2.0)
    assert not Assistant(settings).ask("Who founded the Zorblax Institute?").refused


def test_a_figure_in_bold_is_tied_to_the_question_within_its_clause() -> None:
    """A table row's cells are clauses: the reading model's span "6.8 kW" sits in the
    heating capacity's cell, not the asked COP's, so it does not lead in bold."""
    from remqa.answering.bold import figure_span_tied

    question = "What is the COP at 7 °C of the HX-300?"
    row = "Model: HX-300; Heating capacity: 6.8 kW; COP at 7 °C: 4.47; Weight: 57 kg."
    at = row.index("6.8 kW")
    assert not figure_span_tied(row, at, at + len("6.8 kW"), question)
    at = row.index("4.47")
    assert figure_span_tied(row, at, at + len("4.47"), question)
    at = row.index("Heating capacity")  # no figure in the span: not this check's concern
    assert figure_span_tied(row, at, at + len("Heating capacity"), question)
    prose = "In the test the HX-300 reached a COP of 4.47 at 7 °C."
    at = prose.index("4.47")
    assert figure_span_tied(prose, at, at + len("4.47"), question)
