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

from remqa.retrieval.sentence_vectors import keys_of, text_key

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
        texts: Sequence[str],
        saved: Mapping[bytes, np.ndarray],
        advance: Callable[[int], None] | None = None,
    ) -> dict[bytes, np.ndarray]:
        """Hold the vectors of `texts` (the corpus's sentences) for good: the `saved` ones
        reused, the others embedded (`advance(1)` after each). Returns what is held, to be
        saved; what `saved` had beyond `texts` (sentences no longer in the corpus) is left out."""
        wanted = keys_of(texts)
        held = {k: saved[k] for k in wanted if k in saved}
        for key, text in wanted.items():
            if key not in held:
                held[key] = np.asarray(self.model.get_text_embedding(text), dtype=np.float32)
                if advance is not None:
                    advance(1)
        with self._lock:
            self._held = held
        return held

    def missing(self, texts: Sequence[str], saved: Mapping[bytes, np.ndarray]) -> int:
        """How many of `texts` `hold` would embed."""
        return sum(k not in saved for k in keys_of(texts))

    def embed_query(self, text: str) -> list[float]:
        return self.model.get_query_embedding(text)

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """The texts' vectors, one row each: cached ones reused, the others embedded and
        cached."""
        known: dict[str, np.ndarray] = {}
        with self._lock:
            for text in texts:
                vector = self._held.get(text_key(text))
                if vector is None:
                    vector = self._cache.get(text)
                if vector is not None:
                    known[text] = vector
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:  # embedding runs outside the lock: other questions go on meanwhile
            # One text at a time: the int8 model's dynamic quantization scales by its whole
            # input, so in a batch a sentence's vector (and an answer) would depend on what
            # was asked before. Alone, it costs about as much (no padding).
            vectors = [self.model.get_text_embedding(text) for text in missing]
            known.update(
                (t, np.asarray(v, dtype=np.float32)) for t, v in zip(missing, vectors, strict=True)
            )
        with self._lock:
            for text in texts:
                if text_key(text) in self._held:
                    continue
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
