"""The plain baseline the external eval compares remqa with: no answerer at all, just the top
sentence of dense + BM25 retrieval over sentences, fused by reciprocal rank.

If remqa's answerer does not beat this, it adds nothing but refusals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from remqa.text.sentences import split_sentences

if TYPE_CHECKING:
    from remqa.assistant import Assistant

RRF_K = 60  # the usual reciprocal-rank constant
DEPTH = 50  # how deep each leg is read before fusing


@dataclass(frozen=True)
class Sentence:
    source: str
    start: int
    end: int
    text: str


class SentenceBaseline:
    """Every sentence of the index, embedded once, searchable by dense and BM25."""

    def __init__(self, assistant: Assistant) -> None:
        import bm25s
        import Stemmer

        seen: dict[tuple[str, int, int], Sentence] = {}
        for chunk in assistant.retriever.chunks:
            for s, e in split_sentences(chunk.text):
                start, end = chunk.source_span(s, e)
                seen.setdefault(
                    (chunk.source, start, end), Sentence(chunk.source, start, end, chunk.text[s:e])
                )
        self.sentences = list(seen.values())
        texts = [s.text for s in self.sentences]
        # The answerer's own sentence vectors: embedded once here, found again when it reads
        # the same sentences (embedding is most of an external eval's time).
        self._similarity = assistant.similarity
        self._vectors = self._similarity.vectors(texts)
        self._stemmer = Stemmer.Stemmer("english")
        self._bm25 = bm25s.BM25()
        self._bm25.index(self._tokens(texts), show_progress=False)

    def _tokens(self, texts: Sequence[str]) -> object:
        import bm25s

        return bm25s.tokenize(
            list(texts), stopwords="en", stemmer=self._stemmer, show_progress=False
        )

    def rank(self, question: str, k: int = 10) -> list[Sentence]:
        """The top k sentences for the question, best first."""
        query = np.asarray(self._similarity.embed_query(question), dtype=np.float32)
        dense = np.argsort(-(self._vectors @ query))[:DEPTH]
        depth = min(DEPTH, len(self.sentences))
        docs, _ = self._bm25.retrieve(self._tokens([question]), k=depth, show_progress=False)
        fused: dict[int, float] = {}
        for ranking in (list(dense), list(docs[0])):
            for rank, index in enumerate(ranking):
                fused[int(index)] = fused.get(int(index), 0.0) + 1.0 / (RRF_K + rank + 1)
        best = sorted(fused, key=lambda i: (-fused[i], i))[:k]
        return [self.sentences[i] for i in best]
