"""Running an external eval set: remqa and the plain baseline, side by side.

Each article's questions are answered by an assistant whose answer selector was trained
without that article (leave one article out), when such weights are given; the baseline runs
in the same process on the same index. Every question carries its part of the set ("read" or
"aggregate", `remqa.evaluation.split`), so the reports can keep the aggregate items unread.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from remqa.evaluation.baseline import SentenceBaseline
from remqa.evaluation.external_metrics import (
    bold_right,
    by_part,
    covers,
    grouped,
    overlaps,
    refusal_tradeoff,
)
from remqa.evaluation.external_results import ExternalResult, ExternalRun
from remqa.evaluation.split import Part
from remqa.evaluation.squad import (
    SquadArticle,
    SquadQuestion,
    bold_lead,
    f1,
    holds,
    lead_sentence,
    lead_span,
    write_corpus,
)
from remqa.settings import Settings

if TYPE_CHECKING:
    from remqa.assistant import Assistant
    from remqa.models import Answer


def run_external(
    settings: Settings,
    articles: Sequence[SquadArticle],
    part_of: Callable[[SquadArticle, SquadQuestion], Part],
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
                result = _score(question, assistant, baseline)
                result.part = part_of(article, question)
                results.append(result)
                advance(1)
    read = [r for r in results if r.part == "read"]
    run = ExternalRun(results=results, metrics=by_part(results))
    run.by_kind = grouped(read, lambda r: r.kind)
    run.by_article = grouped(read, lambda r: r.article)
    run.tradeoff = refusal_tradeoff(results)
    run.seconds = round(time.perf_counter() - began, 1)
    return run


def _bold(answer: Answer) -> tuple[str, tuple[int, int] | None]:
    """The bold short answer and, when it is found in the first cited quote, its file span."""
    bold = bold_lead(answer.text)
    if not bold:
        return "", None
    first = answer.citations[0] if answer.citations else None
    at = first.quote.find(bold) if first is not None else -1
    if first is None or at < 0:
        return bold, None
    return bold, (first.start + at, first.start + at + len(bold))


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
        answerability=answer.answerability,
        answered_by=answer.answered_by,
    )
    if question.impossible:
        return result
    golds = question.answers
    if not answer.refused:
        first = answer.citations[0] if answer.citations else None
        quote = first.quote if first is not None else ""
        result.lead = lead_span(answer.text, quote)
        result.first_sentence = holds(lead_sentence(answer.text, quote), golds)
        result.lead_f1 = max(f1(result.lead, g.text) for g in golds)
        if first is not None and first.source == question.article:
            result.cite_at_1 = covers(first.start, first.end, golds)
            result.cite_overlap = overlaps(first.start, first.end, golds)
        result.bold, span = _bold(answer)
        result.bold_right = bool(result.bold) and bold_right(result.bold, span, golds)
    if top:
        best = top[0]
        result.baseline_sentence = best.text
        result.baseline_first = holds(best.text, golds)
        result.baseline_f1 = max(f1(best.text, g.text) for g in golds)
        same = best.source == question.article
        result.baseline_cite = same and covers(best.start, best.end, golds)
        result.baseline_overlap = same and overlaps(best.start, best.end, golds)
        result.baseline_top10 = any(
            s.source == question.article and covers(s.start, s.end, golds) for s in top
        )
    return result
