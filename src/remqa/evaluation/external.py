"""Running the external (SQuAD) eval: remqa and the plain baseline, side by side.

Each article's questions are answered by an assistant whose answer selector was trained
without that article (leave one article out), when such weights are given; the baseline runs
in the same process on the same index.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from remqa.evaluation.baseline import SentenceBaseline
from remqa.evaluation.squad import (
    SquadArticle,
    SquadQuestion,
    f1,
    holds,
    lead_sentence,
    lead_span,
    write_corpus,
)
from remqa.settings import Settings

if TYPE_CHECKING:
    from remqa.assistant import Assistant

THRESHOLDS = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)


class ExternalResult(BaseModel):
    """One question: remqa's answer and the baseline's, scored."""

    id: str
    article: str
    kind: str
    question: str
    impossible: bool
    answer: str
    refused: bool
    confidence: float | None = None
    lead: str = ""
    first_sentence: bool = False  # remqa's first sentence holds a gold answer
    lead_f1: float = 0.0
    cite_at_1: bool = False  # the first citation's span covers a gold span
    baseline_sentence: str = ""
    baseline_first: bool = False
    baseline_f1: float = 0.0
    baseline_cite: bool = False
    baseline_top10: bool = False


class ExternalRun(BaseModel):
    results: list[ExternalResult]
    metrics: dict[str, dict[str, float | int]] = Field(default_factory=dict)
    by_kind: dict[str, dict[str, float | int]] = Field(default_factory=dict)
    by_article: dict[str, dict[str, float | int]] = Field(default_factory=dict)
    tradeoff: list[dict[str, float]] = Field(default_factory=list)
    seconds: float = 0.0


def _covers(start: int, end: int, question: SquadQuestion) -> bool:
    return any(start <= g.start and g.end <= end for g in question.answers)


def run_external(
    settings: Settings,
    articles: Sequence[SquadArticle],
    selector_for: Callable[[str], Path | None] = lambda article: None,
    show_progress: bool = False,
) -> ExternalRun:
    """Build (or update) the corpus and index, then ask every question of every article."""
    from remqa.assistant import Assistant
    from remqa.progress import progress_bar

    began = time.perf_counter()
    write_corpus(articles, settings.corpus_dir)
    base = Assistant(settings)
    base.ingest()
    baseline = SentenceBaseline(base)
    results: list[ExternalResult] = []
    total = sum(len(a.questions) for a in articles)
    with progress_bar("External eval", total, show_progress) as advance:
        for article in articles:
            weights = selector_for(article.source)
            assistant = (
                Assistant(settings.model_copy(update={"selector_weights": weights}))
                if weights is not None
                else base
            )
            for question in article.questions:
                results.append(_score(question, assistant, baseline))
                advance(1)
    run = ExternalRun(results=results)
    run.metrics = {"remqa": remqa_metrics(results), "baseline": baseline_metrics(results)}
    run.by_kind = _grouped(results, lambda r: r.kind)
    run.by_article = _grouped(results, lambda r: r.article)
    run.tradeoff = refusal_tradeoff(results)
    run.seconds = round(time.perf_counter() - began, 1)
    return run


def _score(
    question: SquadQuestion, assistant: Assistant, baseline: SentenceBaseline
) -> ExternalResult:
    answer = assistant.ask(question.question)
    top = baseline.rank(question.question, k=10)
    result = ExternalResult(
        id=question.id,
        article=question.article,
        kind=question.kind,
        question=question.question,
        impossible=question.impossible,
        answer=answer.text,
        refused=answer.refused,
        confidence=answer.confidence,
    )
    if question.impossible:
        return result
    golds = question.answers
    if not answer.refused:
        result.lead = lead_span(answer.text)
        result.first_sentence = holds(lead_sentence(answer.text), golds)
        result.lead_f1 = max(f1(result.lead, g.text) for g in golds)
        first = answer.citations[0] if answer.citations else None
        result.cite_at_1 = first is not None and _covers(first.start, first.end, question)
    if top:
        best = top[0]
        result.baseline_sentence = best.text
        result.baseline_first = holds(best.text, golds)
        result.baseline_f1 = max(f1(best.text, g.text) for g in golds)
        result.baseline_cite = best.source == question.article and _covers(
            best.start, best.end, question
        )
        result.baseline_top10 = any(
            s.source == question.article and _covers(s.start, s.end, question) for s in top
        )
    return result


def _share(flags: Sequence[bool]) -> float:
    return round(sum(flags) / len(flags), 4) if flags else 0.0


def _mean(values: Sequence[float]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0


def remqa_metrics(results: Sequence[ExternalResult]) -> dict[str, float | int]:
    answerable = [r for r in results if not r.impossible]
    unanswerable = [r for r in results if r.impossible]
    how_many = [r for r in answerable if r.kind == "how many"]
    return {
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "first_sentence": _share([r.first_sentence for r in answerable]),
        "first_sentence_how_many": _share([r.first_sentence for r in how_many]),
        "lead_f1": _mean([r.lead_f1 for r in answerable]),
        "cite_at_1": _share([r.cite_at_1 for r in answerable]),
        "answerable_refused": _share([r.refused for r in answerable]),
        "unanswerable_refused": _share([r.refused for r in unanswerable]),
    }


def baseline_metrics(results: Sequence[ExternalResult]) -> dict[str, float | int]:
    answerable = [r for r in results if not r.impossible]
    how_many = [r for r in answerable if r.kind == "how many"]
    return {
        "answerable": len(answerable),
        "unanswerable": sum(r.impossible for r in results),
        "first_sentence": _share([r.baseline_first for r in answerable]),
        "first_sentence_how_many": _share([r.baseline_first for r in how_many]),
        "lead_f1": _mean([r.baseline_f1 for r in answerable]),
        "cite_at_1": _share([r.baseline_cite for r in answerable]),
        "answerable_refused": 0.0,
        "unanswerable_refused": 0.0,
        "correct_in_top10": _share([r.baseline_top10 for r in answerable]),
    }


def _grouped(
    results: Sequence[ExternalResult], key: Callable[[ExternalResult], str]
) -> dict[str, dict[str, float | int]]:
    out: dict[str, dict[str, float | int]] = {}
    for name in sorted({key(r) for r in results}):
        group = [r for r in results if key(r) == name]
        answerable = [r for r in group if not r.impossible]
        out[name] = {
            "questions": len(group),
            "answerable": len(answerable),
            "first_sentence": _share([r.first_sentence for r in answerable]),
            "baseline_first": _share([r.baseline_first for r in answerable]),
            "lead_f1": _mean([r.lead_f1 for r in answerable]),
            "answerable_refused": _share([r.refused for r in answerable]),
            "unanswerable_refused": _share([r.refused for r in group if r.impossible]),
        }
    return out


def refusal_tradeoff(results: Sequence[ExternalResult]) -> list[dict[str, float]]:
    """What other refusal thresholds would do: the shares of answerable and of unanswerable
    questions refused when the selector's probability for the best sentence falls under each
    threshold. An answer without a probability (a figure question, decided by the figure
    binding) is refused or not whatever the threshold."""
    if all(r.confidence is None for r in results):
        return []
    rows = []
    for threshold in THRESHOLDS:

        def refused(r: ExternalResult, t: float = threshold) -> bool:
            return r.refused if r.confidence is None else r.confidence < t

        rows.append(
            {
                "threshold": threshold,
                "answerable_refused": _share([refused(r) for r in results if not r.impossible]),
                "unanswerable_refused": _share([refused(r) for r in results if r.impossible]),
            }
        )
    return rows
