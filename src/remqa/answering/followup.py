"""Resolving elliptical follow-ups ("And germanium?") against the previous question, no LLM.

A bare follow-up swaps its new word into the previous question, in place of the previous
word of the same sort (a name for a name, a common word for the most specific common word);
a follow-up with a pronoun ("How much will it make?") carries the previous question's terms.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from remqa.answering.question import analyze
from remqa.answering.question_words import GENERIC
from remqa.text.words import STOPWORDS, stems_match, tokenize

_LEAD_IN = re.compile(
    r"^\s*(?:and\s+what\s+about|and\s+how\s+about|what\s+about|how\s+about|what\s+of|"
    r"and\s+for|same\s+for|and|also|so)\b[\s,]*",
    re.IGNORECASE,
)
_PRONOUNS = {"it", "its", "they", "them", "their", "this", "that", "these", "those", "there"}
_QUESTION_WORDS = {"what", "which", "who", "when", "where", "why", "how", "whose"}
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twenty": 20, "a": 1,
}  # fmt: skip
_YEARS_SHIFT = re.compile(
    r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twenty|a)\s+years?\s+"
    r"(later|after|afterwards|earlier|before|prior)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})\b")


def looks_elliptical(question: str) -> bool:
    words = [t.text.lower() for t in tokenize(question)]
    if _LEAD_IN.match(question) or _YEARS_SHIFT.search(question):
        return True
    if not words:
        return False
    has_question_word = bool(set(words) & _QUESTION_WORDS)
    return (len(words) <= 4 and not has_question_word) or bool(set(words) & _PRONOUNS)


Similarity = Callable[[str, list[str]], list[float]]


def resolve_followup(question: str, previous: str | None, similarity: Similarity) -> str:
    """The question made self-contained using `previous`; unchanged when it already is.
    `similarity(word, others)` scores how alike in meaning `word` is to each of `others`
    (the assistant uses the embedding model): "germanium" replaces "gallium", not "world"."""
    if not previous or not looks_elliptical(question):
        return question
    shift = _YEARS_SHIFT.search(question)
    if shift and _YEAR.search(previous):
        amount = shift.group(1).lower()
        years = int(amount) if amount.isdigit() else _NUMBER_WORDS[amount]
        sign = 1 if shift.group(2).lower() in {"later", "after", "afterwards"} else -1
        return _YEAR.sub(lambda m: str(int(m.group()) + sign * years), previous, count=1)
    body = _LEAD_IN.sub("", question).strip() or question
    own = analyze(body)
    words = {t.text.lower() for t in tokenize(body)}
    if own.wants_figure:
        if words & _PRONOUNS or not own.terms:
            carried = [t.text for t in analyze(previous).terms if t.stem not in _stems(body)]
            return f"{body.rstrip('?. ')} ({' '.join(carried)})?" if carried else body
        return body
    if not own.terms:
        return previous
    return _substitute(previous, [t.text for t in own.terms], similarity)


def _stems(text: str) -> set[str]:
    return {t.stem for t in tokenize(text)}


def _substitute(previous: str, new_words: list[str], similarity: Similarity) -> str:
    prev_tokens = [
        t
        for t in tokenize(previous)
        if t.text.lower() not in STOPWORDS and t.text.lower() not in GENERIC
    ]
    result = previous
    used: set[int] = set()
    for word in new_words:
        new = tokenize(word)[0]
        if any(stems_match(new.stem, t.stem) for t in prev_tokens):
            continue  # already in the previous question ("the germanium market")
        same_sort = [
            t for t in prev_tokens if t.capitalized == new.capitalized and t.start not in used
        ] or [t for t in prev_tokens if t.start not in used]
        if not same_sort:
            result = f"{result.rstrip('?. ')} ({word})?"
            continue
        scores = similarity(word, [t.text for t in same_sort])
        target = same_sort[max(range(len(same_sort)), key=lambda i: (scores[i], -i))]
        used.add(target.start)
        result = result.replace(target.text, word, 1)
    return result
