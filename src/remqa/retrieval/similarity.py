"""Sentence-level meaning: cosine similarity of the question to candidate sentences.

Paraphrases ("licences to ship abroad" for "export licenses") defeat word matching; the
embedding model sees through them. The corpus's sentences are embedded when the index is
opened and held for good (saved with the index: sentence_vectors.py), so a question embeds
only itself; any other text is embedded when first asked for and kept in a bounded cache.
Each text is embedded on its own, so its vector, and so every answer, is the same whatever
was asked before.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from remqa.retrieval.sentence_vectors import text_key

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding


class SentenceSimilarity:
    def __init__(self, model: BaseEmbedding, cache_size: int = 20_000) -> None:
        self.model = model
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._held: dict[bytes, np.ndarray] = {}  # the corpus's sentences, by text key
        self._lock = threading.Lock()  # the chat asks from several threads at once

    def hold(
        self,
        wanted: Mapping[bytes, str],
        saved: Mapping[bytes, np.ndarray],
        advance: Callable[[int], None] | None = None,
    ) -> dict[bytes, np.ndarray]:
        """Hold the vectors of the `wanted` texts (the corpus's sentences, by text key:
        sentence_vectors.keys_of) for good: the `saved` ones reused, the others embedded
        (`advance(1)` after each). Returns what is held, to be saved; what `saved` had beyond
        them (sentences no longer in the corpus) is left out."""
        held = {k: saved[k] for k in wanted if k in saved}
        for key, text in wanted.items():
            if key not in held:
                held[key] = self._embed_alone(text)
                if advance is not None:
                    advance(1)
        with self._lock:
            self._held = held
        return held

    def _embed_alone(self, text: str) -> np.ndarray:
        """One text on its own: the int8 model's dynamic quantization scales by its whole
        input, so in a batch a sentence's vector (and an answer) would depend on what else
        was embedded with it. Alone, it costs about as much (no padding)."""
        return np.asarray(self.model.get_text_embedding(text), dtype=np.float32)

    def embed_query(self, text: str) -> list[float]:
        return self.model.get_query_embedding(text)

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """The texts' vectors, one row each: cached ones reused, the others embedded and
        cached."""
        known: dict[str, np.ndarray] = {}
        cached: list[str] = []  # the texts not held: kept in the bounded cache
        with self._lock:
            for text in texts:
                vector = self._held.get(text_key(text))
                if vector is None:
                    cached.append(text)
                    vector = self._cache.get(text)
                if vector is not None:
                    known[text] = vector
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:  # embedding runs outside the lock: other questions go on meanwhile
            known.update((t, self._embed_alone(t)) for t in missing)
        with self._lock:
            for text in cached:
                self._cache[text] = known[text]
                self._cache.move_to_end(text)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return np.stack([known[t] for t in texts]) if texts else np.zeros((0, 0), np.float32)

    def scores(self, query_vector: Sequence[float], texts: Sequence[str]) -> list[float]:
        if not texts:
            return []
        query = np.asarray(query_vector, dtype=np.float32)
        return [float(v) for v in self.vectors(texts) @ query]
