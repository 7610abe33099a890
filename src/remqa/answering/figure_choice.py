"""Which figure answers a figure question: (sentence, figure) pairs scored by a learned model.

The promises stay rules (`eligible_figures`): a stated figure is exact text of its sentence,
of the asked kind and, for a quantity, of the asked dimension; the question's own year is not
its answer. Where the hand-set figure choice (figure_rules.py) finds no figure, which figure
of which sentence is tied to what was asked, and whether any is, is the model's judgement: it
reads what the hand-set binding measured (how near the question's words sit to the figure,
whether another figure or a clause break stands between, whether they say what the figure
measures, the counted noun matched as written, through the lexicon or by the embedding model,
words tied to the figure that the question did not ask about) beside everything the sentence
selector knows about the sentence.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from remqa.answering.binding import BREAK, bind, labelled_count, measure_phrase
from remqa.answering.figures import DIMENSIONS, Figure, find_figures
from remqa.answering.question import QuestionAnalysis
from remqa.answering.question_words import GENERIC
from remqa.text.lexicon import related_stems
from remqa.text.words import STOPWORDS, Token, stem, stems_match, tokenize

PAIR_FEATURES = (
    "bind",
    "bind_share",
    "bind_rank_inv",
    "in_phrase",
    "near_words",
    "figure_between",
    "same_clause",
    "noun_asked",
    "noun_exact",
    "noun_related",
    "noun_cos",
    "unasked_ties",
    "kind_via_unit",
    "figures_in_sentence",
    "eligible_in_sentence",
    "order",
    "is_range",
    "qualified",
    "period_match",
    "labelled",
    "position",
)


@dataclass(frozen=True)
class FigurePair:
    """One figure of one candidate sentence, with what the model reads about the pair."""

    candidate: int  # index into the question's candidates
    figure: Figure
    features: tuple[float, ...]  # PAIR_FEATURES, in order


@lru_cache(maxsize=1024)
def measure_unit(word: str) -> str | None:
    """The unit a word names, when it is one ("megawatts" -> "MW", "kronor" -> "SEK")."""
    found = find_figures(f"1 {word}")
    return found[0].unit if len(found) == 1 and found[0].kind in ("quantity", "money") else None


def eligible_figures(text: str, analysis: QuestionAnalysis) -> list[Figure]:
    """The figures of `text` a figure question may be answered with (the rules)."""
    return [f for f in find_figures(text) if fits(f, analysis)]


def fits(figure: Figure, analysis: QuestionAnalysis) -> bool:
    """The rules a figure must meet to answer: the asked kind (or a quantity in the unit a
    "how many" counts), the asked dimension, not the question's own year."""
    if figure.kind not in analysis.kinds:
        # "How many megawatts": a count of a unit is a quantity in that unit.
        counted = measure_unit(analysis.count_unit) if analysis.count_unit else None
        return counted is not None and figure.unit == counted
    if figure.kind == "year" and figure.text in analysis.years:
        return False  # the question's own year is not its answer
    if figure.kind in ("quantity", "count") and analysis.dimension is not None:
        # heavy: kg, not W; "how long did it take": "two months", not "8098 cases"
        return figure.unit in DIMENSIONS.get(analysis.dimension, ())
    return True


def _count_nouns(text: str, figure: Figure, found: Sequence[Figure]) -> list[str]:
    """What a count counts: its noun when the figure reader found one ("17 metals"), else
    the next few words up to a break or another figure ("4,210 full-time nurses")."""
    if figure.unit:
        return [figure.unit]
    end = min([f.start for f in found if f.start >= figure.end] + [len(text)])
    stop = BREAK.search(text, figure.end, end)
    words = tokenize(text[figure.end : stop.start() if stop else end])
    return [t.text for t in words if t.text.lower() not in STOPWORDS][:3]


def _noun_match(nouns: Sequence[str], counted: str) -> tuple[float, float]:
    """(written alike, related through the lexicon) for a count's nouns and the asked one."""
    asked, related_asked = stem(counted), related_stems(counted.lower())
    words = [t for n in nouns for t in tokenize(n)]
    exact = any(stems_match(asked, t.stem) for t in words)
    related = any(related_asked & related_stems(t.text.lower()) for t in words)
    return float(exact), float(exact or related)


def pair_features(
    text: str,
    analysis: QuestionAnalysis,
    subject: Sequence[tuple[Token, float]],
    idf: Callable[[str], float],
    noun_similarity: Callable[[str], float],
) -> list[tuple[Figure, tuple[float, ...]]]:
    """Every eligible figure of the sentence `text` with its PAIR_FEATURES. `subject` are
    the sentence's words that match the question's, with their weights; `noun_similarity`
    gives the embedding model's similarity of a noun to the noun the question counts."""
    found = find_figures(text)
    eligible = [f for f in found if fits(f, analysis)]
    if not eligible:
        return []
    tokens = tokenize(text)
    total = sum(w for _, w in subject) or 1.0
    strengths = {id(f): s for f, s in bind(text, found, eligible, subject)}
    ranked = sorted(eligible, key=lambda f: -strengths[id(f)])
    strength_sum = sum(strengths.values()) or 1.0
    asked = {(t.start, t.end) for t, _ in subject}
    out: list[tuple[Figure, tuple[float, ...]]] = []
    for order, figure in enumerate(eligible):
        strength = strengths[id(figure)]
        phrase = measure_phrase(text, figure, found, tokens)
        spans = {(t.start, t.end) for t in phrase}
        in_phrase = sum(w for t, w in subject if (t.start, t.end) in spans) / total
        near, between, clause = _nearest(text, figure, found, subject)
        counted = analysis.count_unit if figure.kind == "count" else None
        nouns = _count_nouns(text, figure, found) if counted else []
        exact, related = _noun_match(nouns, counted) if counted else (0.0, 0.0)
        cosine = max((noun_similarity(n) for n in nouns), default=0.0)
        labelled = labelled_count(text, figure, counted)
        out.append(
            (
                figure,
                (
                    min(1.0, strength / total),
                    strength / strength_sum,
                    1.0 / (1 + ranked.index(figure)),
                    in_phrase,
                    near,
                    between,
                    clause,
                    float(counted is not None),
                    exact,
                    related,
                    cosine,
                    _unasked(phrase, asked, figure, idf),
                    float(figure.kind not in analysis.kinds),
                    math.log1p(len(found)),
                    math.log1p(len(eligible)),
                    order / max(1, len(eligible) - 1),
                    float(figure.is_range),
                    float(figure.qualifier is not None),
                    float(analysis.wants_period and figure.is_range),
                    float(labelled),
                    figure.start / max(1, len(text)),
                ),
            )
        )
    return out


def _nearest(
    text: str, figure: Figure, found: Sequence[Figure], subject: Sequence[tuple[Token, float]]
) -> tuple[float, float, float]:
    """(closeness of the nearest question word: 1 adjacent .. 0 far or none, another figure
    between them, no clause break between them)."""
    if not subject:
        return 0.0, 0.0, 0.0
    best: Token | None = None
    gap = 1 << 30
    for token, _ in subject:
        lo, hi = _between(token, figure)
        if max(0, hi - lo) < gap:
            best, gap = token, max(0, hi - lo)
    assert best is not None
    lo, hi = _between(best, figure)
    between = any(o is not figure and lo <= o.start and o.end <= hi for o in found)
    clause = not BREAK.search(text[lo:hi]) if hi > lo else True
    words = len(text[lo:hi].split()) if hi > lo else 0
    return 1.0 / (1.0 + words / 3.0), float(between), float(clause)


def _between(token: Token, figure: Figure) -> tuple[int, int]:
    """The offsets of the text between a word and a figure, in either order."""
    if token.end <= figure.start:
        return token.end, figure.start
    return figure.end, token.start


def _unasked(
    phrase: Sequence[Token],
    asked: set[tuple[int, int]],
    figure: Figure,
    idf: Callable[[str], float],
) -> float:
    """Share (by idf) of what the figure measures that the question did not ask about: "38%
    of the world's reserves" answers a question on production poorly."""
    unit = stem(figure.unit) if figure.unit else None
    words = [
        t for t in phrase
        if t.text.lower() not in STOPWORDS and t.text.lower() not in GENERIC and t.stem != unit
    ]  # fmt: skip
    total = sum(idf(t.stem) for t in words)
    unasked = sum(idf(t.stem) for t in words if (t.start, t.end) not in asked)
    return unasked / total if total else 0.0
