"""Corpus statistics: how telling a word is in this corpus (document frequency over chunks),
which words it only ever writes capitalised (names), and the acronyms it defines."""

from __future__ import annotations

import math
from collections import Counter

from remqa.models import Chunk
from remqa.text.words import Token, find_acronyms, stems_match, tokenize


class CorpusStats:
    """Document frequencies of stems over chunks: how telling a word is in this corpus."""

    def __init__(self, chunks: list[Chunk]) -> None:
        self.n = len(chunks)
        self.df: Counter[str] = Counter()
        self.acronyms: dict[str, tuple[str, ...]] = {}  # "rem" -> stems of "rare earth metals"
        self.lowercase: set[str] = set()  # stems the corpus writes in lower case somewhere
        self._related: dict[str, list[str]] = {}
        for chunk in chunks:
            tokens = tokenize(chunk.text)
            self.df.update({t.stem for t in tokens})
            self.lowercase.update(t.stem for t in tokens if not t.capitalized)
            self.acronyms.update(find_acronyms(chunk.text))

    def related_stems(self, stem: str) -> list[str]:
        """Corpus stems loosely matching `stem`; cached, as it scans the vocabulary."""
        if stem not in self._related:
            self._related[stem] = [s for s in self.df if stems_match(s, stem)]
        return self._related[stem]

    def is_name(self, token: Token) -> bool:
        """A capitalised word the corpus never writes in lower case: Tomtorskoye, not To."""
        return token.capitalized and token.stem not in self.lowercase

    def idf(self, stem: str) -> float:
        return math.log((self.n + 1) / (self.df.get(stem, 0) + 0.5))

    def max_idf(self) -> float:
        return self.idf("\0")
