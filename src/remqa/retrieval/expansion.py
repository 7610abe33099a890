"""The keyword query, widened before BM25 reads it: the other names WordNet gives for a name
of one word ("Beijing": China, PRC), the synonyms of its words, and the acronyms the corpus
defines for words it spells out ("rare earth": REM). Dense retrieval needs none of it."""

from __future__ import annotations

from collections.abc import Sequence

from remqa.text.lexicon import other_names
from remqa.text.words import STOPWORDS, SYNONYMS, Token, tokenize


def expand_query(query: str, acronyms: dict[str, tuple[str, ...]]) -> str:
    """The query plus the one-word names WordNet gives for its names ("Beijing": China, PRC),
    the synonyms of its words and the acronyms it spells out."""
    tokens = tokenize(query)
    extra: list[str] = []
    for i, token in enumerate(tokens):
        word = token.text.lower()
        if word not in STOPWORDS:
            if _name_alone(tokens, i):
                extra.extend(w for w in other_names(word) if " " not in w)
            extra.extend(SYNONYMS.get(word, SYNONYMS.get(token.stem, ())))
    stems = [t.stem for t in tokens]
    for acronym, long_form in acronyms.items():
        n = len(long_form)
        # "rare earth" is enough to mean REM: all but the last (generic) word of the long form
        needed = long_form[: max(1, n - 1)]
        if any(tuple(stems[i : i + len(needed)]) == needed for i in range(len(stems))):
            extra.append(acronym.upper())
    return " ".join([query, *extra]) if extra else query


def _name_alone(tokens: Sequence[Token], i: int) -> bool:
    """A capitalised word inside the text, between words that are not: a name of one word
    ("Beijing"), not part of a longer one ("United" in "United Methodist Church")."""
    capitalized = [t.capitalized for t in tokens]
    return (
        i > 0
        and capitalized[i]
        and not capitalized[i - 1]
        and (i + 1 == len(tokens) or not capitalized[i + 1])
    )
