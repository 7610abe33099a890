"""`Reader`: the trained cross-encoder run by onnxruntime, for the answer selector's evidence.

Two ONNX sessions in a row: the packaged embeddings (the lower part, made once per machine
into the model cache, lower.py) and the shipped trained layers and heads (`top.onnx`, with
`manifest.json`). Sessions
are made on first use under a lock; onnxruntime's `run` is safe to call from several
threads, so concurrent questions share one Reader.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from remqa.answering.reader.encoding import (
    PairBatch,
    best_spans,
    encode_pairs,
    load_tokenizer,
    trim_span,
)
from remqa.answering.reader.lower import Precision, cached_lower

HERE = Path(__file__).resolve().parent
TOP_FILE = HERE / "top.onnx"
MANIFEST_FILE = HERE / "manifest.json"


def manifest(top_file: Path | None = None) -> dict[str, Any]:
    """What a top was trained with (token length, layers, data hash, metrics): the shipped
    one's, or the `manifest.json` beside another top file (a training run's)."""
    path = MANIFEST_FILE if top_file is None else top_file.with_name(MANIFEST_FILE.name)
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


class Reader:
    """P(sentence answers the question) and short-answer spans inside a sentence.

    `precision` is the lower part's (the shipped top is int8): fp32 by default. With the
    shipped cut the lower part is the packaged embeddings alone, which int8 leaves as they
    are; a top trained above frozen layers (`train_reader.py --lower-layers N`) would have
    them quantized, which moved probabilities too much when four were frozen (same top
    sentence as fp32 for 0.86 of held-out questions).

    `top_file` reads another top (a training run's), with the `manifest.json` beside it.
    """

    def __init__(
        self, cache_dir: Path | None = None, precision: Precision = "fp32",
        top_file: Path | None = None,
    ) -> None:  # fmt: skip
        self._cache_dir = cache_dir
        self._precision: Precision = precision
        self._top_file = top_file or TOP_FILE
        self._lock = threading.Lock()
        self._loaded: tuple[Any, Any, Any] | None = None  # (tokenizer, lower, top)

    def _parts(self) -> tuple[Any, Any, Any]:
        loaded = self._loaded
        if loaded is None:
            with self._lock:
                if self._loaded is None:
                    self._loaded = self._load()
                loaded = self._loaded
        return loaded

    def _load(self) -> tuple[Any, Any, Any]:
        import onnxruntime

        shipped = manifest(self._top_file)
        lower_path = cached_lower(self._precision, int(shipped["lower_layers"]), self._cache_dir)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        options.log_severity_level = 3
        providers = ["CPUExecutionProvider"]
        lower = onnxruntime.InferenceSession(str(lower_path), options, providers=providers)
        top = onnxruntime.InferenceSession(str(self._top_file), options, providers=providers)
        return load_tokenizer(int(shipped["max_tokens"])), lower, top

    def _run(self, question: str, sentences: Sequence[str]) -> tuple[PairBatch, list[Any]]:
        tokenizer, lower, top = self._parts()
        batch = encode_pairs(tokenizer, question, sentences)
        hidden = lower.run(["hidden"], batch.feeds(lower))[0]
        outputs: list[Any] = top.run(
            None, {"hidden": hidden, "attention_mask": batch.attention_mask}
        )
        return batch, outputs

    def score(self, question: str, sentences: Sequence[str]) -> list[float]:
        """P(each sentence answers the question), all sentences in one run."""
        if not sentences:
            return []
        _, (probability, _, _) = self._run(question, sentences)
        return [float(p) for p in np.asarray(probability).reshape(-1)]

    def spans(self, question: str, sentence: str, limit: int = 5) -> list[tuple[int, int, float]]:
        """The best short answers in the sentence as (start_char, end_char, score), best
        first; `sentence[start:end]` is the answer. Scores are P(start) * P(end)."""
        return self.read(question, sentence, limit).spans

    def read(self, question: str, sentence: str, limit: int = 5) -> Reading:
        """P(the sentence answers) and its best spans (as `spans`), from one run."""
        if not sentence.strip():
            return Reading(0.0, [])
        batch, (probability, starts, ends) = self._run(question, [sentence])
        found: dict[tuple[int, int], float] = {}
        for start, end, score in best_spans(batch, 0, starts[0], ends[0], limit):
            found.setdefault(trim_span(sentence, start, end), score)
        return Reading(
            float(np.asarray(probability).reshape(-1)[0]),
            [(start, end, score) for (start, end), score in found.items()],
        )


@dataclass(frozen=True)
class Reading:
    """What the reading model made of one sentence for one question."""

    probability: float  # P(the sentence answers the question)
    spans: list[tuple[int, int, float]]  # (start_char, end_char, score), best first
