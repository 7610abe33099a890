"""Whether a sentence holds a word of the question: the word as written (stems compared
loosely), a name by a name, an acronym the corpus defines, or a nationality word for a place."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from remqa.answering.question import Term
from remqa.text.lexicon import other_names
from remqa.text.words import Token, same_name, spells_acronym, stem, stems_match


@lru_cache(maxsize=4096)
def term_forms(word: str, literal: bool = False, name: bool = False) -> tuple[tuple[str, ...], ...]:
    """The word as written first, then, for a name of one word (`name`), the other names
    WordNet gives for it ("Beijing": China, PRC), as stem sequences. A common word counts only
    as written: the words WordNet relates to it are the selector's paraphrase evidence
    (features.py), not a match, and no hand-written synonym list widens it."""
    key = word.lower().strip(".")
    names = other_names(key) if name and not literal else ()
    return tuple(tuple(stem(w) for w in form.split()) for form in dict.fromkeys([key, *names]))


def match_term(
    term: Term, tokens: Sequence[Token], acronyms: dict[str, tuple[str, ...]] | None = None
) -> list[Token]:
    """The tokens that spell the term, for a name another name WordNet gives for
    it, or an acronym whose long form holds it ("rare" is in "REM" when the corpus defines
    rare earth metals (REM))."""
    found: list[Token] = []
    # a name is matched by a name: "Newton" not by the unit "newton", China by "Beijing",
    # the Holocene not by "recent" (it is also the Recent epoch)
    any_case = not term.entity or term.year
    for form in term_forms(term.text, term.literal, term.alone):
        n = len(form)
        if n == 1:  # most forms: one word, compared with each token (the hot loop)
            word = form[0]
            found.extend(
                t for t in tokens if stems_match(word, t.stem) and (any_case or t.capitalized)
            )
            continue
        for i in range(len(tokens) - n + 1):
            if all(stems_match(form[j], tokens[i + j].stem) for j in range(n)) and (
                any_case or tokens[i].capitalized
            ):
                found.extend(tokens[i : i + n])
    if acronyms:
        found.extend(
            t for t in tokens if t.text.isupper() and term.stem in acronyms.get(t.text.lower(), ())
        )
    if term.entity and term.text.isupper() and 3 <= len(term.text) <= 6:
        found.extend(spells_acronym(term.text, tokens))
    if term.entity and not found:  # "Chinese" names China, "Russians" Russia
        found.extend(t for t in tokens if t.capitalized and same_name(term.stem, t.stem))
    return found
