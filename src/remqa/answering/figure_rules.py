"""The hand-set figure choice: which sentence's figure answers a figure question, by fixed
weights over what the binding measures. It chooses first; where it finds no figure, the
learned figure model (figure_choice.py) may answer. The promises it keeps (a figure of the
asked kind, exact text of its sentence, a sentence that names what was asked) hold for both.
"""

from __future__ import annotations

from collections.abc import Sequence

from remqa.answering.candidates import Candidate
from remqa.answering.compose import EXTRA_COVERAGE, MAX_EXTRA_PENALTY, NEAR_COVERAGE
from remqa.answering.question import QuestionAnalysis

MIN_FIGURE_COVERAGE = 0.25  # a figure question may match fewer words: the figure is evidence
SIMILAR_ENOUGH = 0.5  # a paraphrase of the question, even with few words in common
COVERAGE_WEIGHT = 2.0
BINDING_WEIGHT = 0.5
SIMILARITY_WEIGHT = 1.0
PERIOD_BONUS = 0.5  # "over which period" is answered by a span of years
PENALTY_WEIGHT = 1.0


def rank_score(cand: Candidate) -> float:
    """Words of the question in the sentence and tied to its figure, and closeness in
    meaning; retrieval rank breaks ties."""
    return (
        COVERAGE_WEIGHT * cand.coverage
        + BINDING_WEIGHT * cand.binding
        + SIMILARITY_WEIGHT * cand.similarity
        + (PERIOD_BONUS if cand.period_match else 0.0)
        - PENALTY_WEIGHT * cand.penalty
        + 0.02 / (1 + cand.passage.rank)
    )


def choose_bound_figures(
    cands: Sequence[Candidate], analysis: QuestionAnalysis, max_citations: int
) -> list[Candidate]:
    """The sentences whose bound figure answers, best first; empty when none does."""
    good = [
        c
        for c in cands
        if c.entities_ok
        and c.lead is not None
        and (c.coverage >= MIN_FIGURE_COVERAGE or c.similarity >= SIMILAR_ENOUGH)
    ]
    if not good and analysis.dimension is not None:
        # "How heavy is the module?" on a datasheet whose one mass is "Weight: 21.4 kg":
        # the only figure of the asked dimension answers, though it repeats no word.
        typed = [c for c in cands if c.lead is not None and c.entities_ok]
        good = typed if len(typed) == 1 else []
    if not good:
        return []
    good.sort(key=lambda c: (-rank_score(c), c.key))
    best = good[0]
    # Other passages that answer as well: only figures that measure what was asked (not
    # "38% of reserves" beside "80-95% of production").
    extras = [
        c
        for c in good[1:]
        if c.coverage >= max(NEAR_COVERAGE, EXTRA_COVERAGE * best.coverage)
        and c.penalty <= MAX_EXTRA_PENALTY
    ]
    return [best, *extras][:max_citations]
