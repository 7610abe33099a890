"""Sentence-level meaning: cosine similarity of the question to candidate sentences.

Paraphrases ("licences to ship abroad" for "export licenses") defeat word matching; the
embedding model sees through them. Sentence vectors are cached: the same corpus sentences
come back question after question. Each is embedded on its own, so its vector, and so every
answer, is the same whatever was asked before.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding


class SentenceSimilarity:
    def __init__(self, model: BaseEmbedding, cache_size: int = 20_000) -> None:
        self.model = model
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()  # the chat asks from several threads at once

    def embed_query(self, text: str) -> list[float]:
        return self.model.get_query_embedding(text)

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """The texts' vectors, one row each: cached ones reused, the others embedded and
        cached."""
        with self._lock:
            known = {t: self._cache[t] for t in texts if t in self._cache}
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
