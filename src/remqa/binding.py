"""Which figure in a sentence belongs to which subject.

"China accounts for 48% of global antimony production, 59.2% of refined germanium production
and 98.8% of gallium production": 48% belongs to antimony, 98.8% to gallium. A figure binds
to a word when no other figure stands between them; the nearer, the stronger. Used to lead an
answer with the right figure and, for LLM answers, to check a figure against its subject.
"""

from __future__ import annotations

from collections.abc import Sequence

from remqa.figures import Figure
from remqa.textproc import Token


def binding_strength(figure: Figure, others: Sequence[Figure], token: Token, text: str) -> float:
    """How strongly `token` (a word of `text`) is tied to `figure` (a figure of `text`);
    0 when another figure stands between them, halved across a clause break (, ; :)."""
    if token.start < figure.end and figure.start < token.end:
        return 1.0  # the word is part of the figure's own text
    lo, hi = (token.end, figure.start) if token.end <= figure.start else (figure.end, token.start)
    for other in others:
        if other is not figure and lo <= other.start and other.end <= hi:
            return 0.0
    between = text[lo:hi]
    gap_words = len(between) / 6.0  # ~6 characters a word
    strength = 1.0 / (1.0 + gap_words / 3.0)
    return strength / 2 if any(mark in between for mark in ",;:") else strength


def bind(
    text: str,
    figures: Sequence[Figure],
    candidates: Sequence[Figure],
    subject: Sequence[tuple[Token, float]],
) -> list[tuple[Figure, float]]:
    """Each candidate figure with the weighted strength of its ties to the subject words
    (word, weight) of `text`, strongest first (stable: earlier figures win ties)."""
    scored = [
        (
            figure,
            sum(
                weight * binding_strength(figure, figures, token, text) for token, weight in subject
            ),
        )
        for figure in candidates
    ]
    return sorted(scored, key=lambda pair: -pair[1])
