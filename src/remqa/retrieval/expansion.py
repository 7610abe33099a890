"""The keyword query, widened before BM25 reads it: the other names WordNet gives for a name
of one word ("Beijing": China, PRC) and the acronyms the corpus defines for words it spells
out ("rare earth": REM). Paraphrase is dense retrieval's job: no synonym list widens it."""

from __future__ import annotations

from remqa.text.lexicon import other_names
from remqa.text.words import STOPWORDS, lone_names, tokenize


def expand_query(query: str, acronyms: dict[str, tuple[str, ...]]) -> str:
    """The query plus the one-word names WordNet gives for its names ("Beijing": China, PRC),
    and the acronyms it spells out."""
    tokens = tokenize(query)
    alone = lone_names(tokens)
    extra: list[str] = []
    for i, token in enumerate(tokens):
        word = token.text.lower()
        if word not in STOPWORDS and i in alone:
            extra.extend(w for w in other_names(word) if " " not in w)
    stems = [t.stem for t in tokens]
    for acronym, long_form in acronyms.items():
        n = len(long_form)
        # "rare earth" is enough to mean REM: all but the last (generic) word of the long form
        needed = long_form[: max(1, n - 1)]
        if any(tuple(stems[i : i + len(needed)]) == needed for i in range(len(stems))):
            extra.append(acronym.upper())
    return " ".join([query, *extra]) if extra else query
