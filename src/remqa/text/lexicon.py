"""General English word relations from WordNet: which words may stand for a word of the
question (synonyms of its common senses, derived forms, "Chinese" for China, "Tokyo" for
Japan) and which mean its opposite ("smallest" for "largest").

The data (lexicon.json.gz, about 2 MB) is built from Princeton WordNet 3.0 by
scripts/build_lexicon.py and is about no document in particular. Looked up by base form:
"largest" -> "large", "mines" -> "mine", "mice" -> "mouse", as WordNet's own morphology does.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from remqa.text.words import stem, stems_match

LEXICON = Path(__file__).with_name("lexicon.json.gz")

# WordNet's detachment rules (wndb morphy): inflected ending -> base ending.
_ENDINGS = (
    ("ies", "y"), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
    ("men", "man"), ("s", ""), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""),
    ("ing", "e"), ("ing", ""), ("est", ""), ("est", "e"), ("er", ""), ("er", "e"),
)  # fmt: skip


class _Lexicon(NamedTuple):
    related: dict[str, list[str]]
    opposite: dict[str, list[str]]
    names: dict[str, list[str]]  # other names of a name, by its first sense
    exceptions: dict[str, str]  # irregular inflections: "mice" -> "mouse"
    known: frozenset[str]  # every word with an entry


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = json.loads(gzip.decompress(LEXICON.read_bytes()))
    known = frozenset(data["related"].keys() | data["opposite"].keys())
    return _Lexicon(data["related"], data["opposite"], data["names"], data["exceptions"], known)


@lru_cache(maxsize=8192)
def base_forms(word: str) -> tuple[str, ...]:
    """The word and the base forms WordNet knows it by ("largest" -> "largest", "large")."""
    word = word.lower().replace("’", "'").removesuffix("'s")
    lexicon = _lexicon()
    forms = [word]
    if word in lexicon.exceptions:
        forms.append(lexicon.exceptions[word])
    for ending, base in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            forms.append(word[: len(word) - len(ending)] + base)
    # a doubled consonant before the ending: "biggest" -> "big", "stopped" -> "stop"
    for ending in ("est", "er", "ed", "ing"):
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= 3 and stem[-1] == stem[-2]:
            forms.append(stem[:-1])
    return tuple(f for f in dict.fromkeys(forms) if f == word or f in lexicon.known)


@lru_cache(maxsize=8192)
def related_words(word: str) -> tuple[str, ...]:
    """The word's base forms, then the words (some of several words) that may stand for
    them; only the word itself when WordNet has nothing for it."""
    related = _lexicon().related
    forms = base_forms(word)
    return tuple(dict.fromkeys(w for base in forms for w in [base, *related.get(base, ())]))


@lru_cache(maxsize=8192)
def other_names(word: str) -> tuple[str, ...]:
    """Other names of the place or body a name means first ("Beijing": China, PRC; "America":
    the United States, US; "China": not Taiwan, its second sense); () for other words."""
    names = _lexicon().names
    return tuple(dict.fromkeys(w for base in base_forms(word) for w in names.get(base, ())))


@lru_cache(maxsize=8192)
def opposite_words(word: str) -> tuple[str, ...]:
    """Antonyms of the word's common senses: "largest" -> "small", "import" -> "export"."""
    opposite = _lexicon().opposite
    return tuple(dict.fromkeys(w for base in base_forms(word) for w in opposite.get(base, ())))


def in_compounds(words: list[str]) -> set[int]:
    """Positions of words that are part of a two- or three-word expression WordNet lists
    ("rare earth", "balance of trade"): such a word means what the whole does, so it is
    matched as written ("earth" in "rare earth" is not the world)."""
    known = _lexicon().known
    lower = [w.lower() for w in words]
    found: set[int] = set()
    for n in (2, 3):
        for i in range(len(lower) - n + 1):
            last = base_forms(lower[i + n - 1])
            if any(" ".join([*lower[i : i + n - 1], b]) in known for b in last):
                found.update(range(i, i + n))
    return found


@lru_cache(maxsize=8192)
def related_stems(word: str) -> frozenset[str]:
    """Stems of the word and of the one-word terms that may stand for it."""
    return frozenset(stem(w) for w in related_words(word) if " " not in w) | {stem(word)}


def stands_for(token_stem: str, word: str) -> bool:
    """Whether a token with this stem is `word` or a word WordNet says may stand for it
    ("mines" for "mine", "varieties" for "kinds"): a label naming what a count counts, a word
    saying what a figure measures."""
    return any(stems_match(form, token_stem) for form in related_stems(word))
