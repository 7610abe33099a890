"""Word-level text processing shared by retrieval and answering: tokens, stems, term matching."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

# Words (apostrophes kept, hyphens split: "rare-earth" matches "rare earth") and numbers.
_TOKEN = re.compile(r"[^\W\d_](?:[^\W_]|['’](?=[^\W\d_]))*|\d+(?:[.,]\d+)*", re.UNICODE)

# English function words, as general stopword lists have them, with contractions and the
# light nouns of "a kind of", "that sort of thing". No word chosen for one document's
# questions: "report", "said", "according" and "article" are words like any other.
STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his i
    if in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to
    too under until up very was we were what when where which while who whom why will
    with would you your yours yourself yourselves how whose s t per there's what's it's
    let's one's thing things kind sort
    """.split()
)


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    stem: str
    capitalized: bool


@lru_cache(maxsize=1)
def _stemmer() -> object:
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball stem of a lower-cased word (cached: the same words recur constantly)."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    return str(_stemmer().stemWord(word))  # type: ignore[attr-defined]


def tokenize(text: str) -> list[Token]:
    return list(_tokens(text))


@lru_cache(maxsize=8192)  # candidate sentences come back question after question
def _tokens(text: str) -> tuple[Token, ...]:
    return tuple(
        Token(m.group(), m.start(), m.end(), stem(m.group()), m.group()[0].isupper())
        for m in _TOKEN.finditer(text)
    )


@lru_cache(maxsize=1 << 18)  # the answerer compares the same pairs of words question after question
def stems_match(a: str, b: str) -> bool:
    """Same stem; one a long prefix of the other (produc/product, german/germanium); or, for
    long words, one letter apart (licenc/licens: British and American spelling)."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 5 and long_.startswith(short):
        return True
    return len(a) == len(b) >= 6 and sum(x != y for x, y in zip(a, b, strict=True)) == 1


_NAME_ENDINGS = ("ese", "ians", "ian", "ans", "an", "es", "ia", "a", "e", "i")


def name_root(stem: str) -> str:
    """A name's root without the endings English adds to make nationality words from place
    names: China/Chinese -> chin, Russia/Russian -> russ, Japan/Japanese -> japan."""
    for ending in _NAME_ENDINGS:
        if stem.endswith(ending) and len(stem) - len(ending) >= 4:
            return stem[: -len(ending)]
    return stem


def same_name(a: str, b: str) -> bool:
    """Two stems that name the same place or people (see name_root)."""
    return name_root(a) == name_root(b)


def is_name(token: Token, first: bool) -> bool:
    """A capitalised word is a name (China, Mountain Pass), except a capital at the start of
    the text (`first`) and a capitalised stopword ("The")."""
    return token.capitalized and not first and token.text.lower() not in STOPWORDS


def lone_names(tokens: Sequence[Token]) -> frozenset[int]:
    """The indexes of the names of one word: a name with no name beside it ("Beijing"), not
    part of a longer one ("United" of "United Methodist Church")."""
    names = [is_name(t, i == 0) for i, t in enumerate(tokens)]
    return frozenset(
        i
        for i, name in enumerate(names)
        if name and not (i > 0 and names[i - 1]) and not (i + 1 < len(names) and names[i + 1])
    )


def content_tokens(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if t.text.lower() not in STOPWORDS and len(t.text) > 1]


_ACRONYM_DEFINITION = re.compile(r"((?:[^\W\d_][\w'-]*\s+){1,6})\(([A-Z]{2,6})s?\)")


def find_acronyms(text: str) -> dict[str, tuple[str, ...]]:
    """Acronyms a text defines, "rare earth metals (REM)" -> {"rem": ("rare", "earth", "metal")}
    as stems, when the initials of the words before the brackets spell the acronym."""
    found: dict[str, tuple[str, ...]] = {}
    for match in _ACRONYM_DEFINITION.finditer(text):
        words = match.group(1).split()
        acronym = match.group(2)
        long_form = words[-len(acronym) :]
        if len(long_form) == len(acronym) and all(
            w[0].lower() == a.lower() for w, a in zip(long_form, acronym, strict=True)
        ):
            found[acronym.lower()] = tuple(stem(w) for w in long_form)
    return found


def spells_acronym(acronym: str, tokens: Sequence[Token]) -> list[Token]:
    """Tokens whose initials spell `acronym` ("USGS": US Geological Survey); all-caps words
    give all their letters. Empty when nothing spells it."""
    target = acronym.upper()
    for i, first in enumerate(tokens):
        if not first.capitalized:
            continue
        spelled, j = "", i
        while j < len(tokens) and tokens[j].capitalized and len(spelled) < len(target):
            word = tokens[j].text
            spelled += word if word.isupper() else word[0]
            j += 1
            if spelled == target and j - i > 1:
                return list(tokens[i:j])
    return []
