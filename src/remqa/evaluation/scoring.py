"""Scoring the assistant against the eval set: deterministic metrics, no LLM judge."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from remqa.answering.figures import contains_figure, find_figures, parse_figure
from remqa.evaluation.evalset import EvalItem
from remqa.models import Answer, Chunk, Passage
from remqa.text.reflow import display_text

if TYPE_CHECKING:
    from remqa.assistant import Assistant

_MARKER = re.compile(r"\[\d+\]")
RETRIEVAL_DEPTH = 5  # hit@5 and MRR look at the first five passages


def first_sentence(text: str) -> str:
    """The answer's lead: everything up to and including its first citation marker."""
    match = _MARKER.search(text)
    return text[: match.end()] if match else text


class Check(BaseModel):
    passed: bool
    reason: str = ""


class ItemResult(BaseModel):
    id: str
    type: str
    question: str
    resolved_question: str | None = None
    answer: str
    refused: bool
    citations: list[dict[str, object]] = Field(default_factory=list)
    retrieved: list[dict[str, object]] = Field(default_factory=list)
    gold_rank: int | None = None
    answer_figures: list[str] = Field(default_factory=list)
    checks: dict[str, Check] = Field(default_factory=dict)
    rebaselined: str = ""  # why it is left out of the gated metrics (EvalItem.rebaselined)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks.values())


def _covers(chunk: Chunk, item: EvalItem) -> bool:
    """The chunk holds a whole gold span of the item."""
    return any(
        span.source == chunk.source and chunk.start <= span.start and span.end <= chunk.end
        for span in item.spans
    )


def score_item(
    item: EvalItem,
    answer: Answer,
    passages: Sequence[Passage],
    source_text: Callable[[str], str],
) -> ItemResult:
    result = ItemResult(
        id=item.id,
        type=item.type,
        question=item.question,
        rebaselined=item.rebaselined,
        resolved_question=answer.resolved_question,
        answer=answer.text,
        refused=answer.refused,
        citations=[c.model_dump() for c in answer.citations],
        retrieved=[
            {"source": p.chunk.source, "start": p.chunk.start, "end": p.chunk.end, "score": p.score}
            for p in passages
        ],
        answer_figures=[f.text for f in find_figures(answer.text)],
    )
    checks = result.checks
    # Citation validity: every quote is exactly its span of the source.
    bad = [c for c in answer.citations if source_text(c.source)[c.start : c.end] != c.quote]
    checks["citation_validity"] = Check(
        passed=not bad, reason=f"quote [{bad[0].id}] differs from its span" if bad else ""
    )
    # Invented figures: every figure of the answer must be in a cited quote.
    quotes = " \n ".join(display_text(c.quote) for c in answer.citations)
    invented = [f.text for f in find_figures(answer.text) if not contains_figure(quotes, f)]
    checks["no_invented_figures"] = Check(
        passed=not invented, reason=f"not in any cited quote: {invented}" if invented else ""
    )
    if not item.answerable:
        checks["refusal"] = Check(
            passed=answer.refused, reason="" if answer.refused else "answered instead of refusing"
        )
        return result
    checks["not_refused"] = Check(
        passed=not answer.refused, reason="refused an answerable question" if answer.refused else ""
    )
    ranks = [p.rank + 1 for p in passages[:RETRIEVAL_DEPTH] if _covers(p.chunk, item)]
    result.gold_rank = min(ranks) if ranks else None
    if item.figures:
        golds = [parse_figure(g) for g in item.figures]
        missing = [
            g
            for g, f in zip(item.figures, golds, strict=True)
            if not contains_figure(answer.text, f)
        ]
        checks["figures_whole"] = Check(
            passed=not missing, reason=f"missing {missing}" if missing else ""
        )
        lead = first_sentence(answer.text)
        need_all_in_lead = item.type != "multi-figure"
        in_lead = [contains_figure(lead, f) for f in golds[:1] if need_all_in_lead] or [
            any(contains_figure(lead, f) for f in golds)
        ]
        checks["figures_first_sentence"] = Check(
            passed=all(in_lead),
            reason="" if all(in_lead) else f"first sentence lacks {item.figures[0]}",
        )
        cited_ok = bool(answer.citations) and any(
            contains_figure(display_text(answer.citations[0].quote), f) for f in golds
        )
        checks["citation_precision"] = Check(
            passed=cited_ok, reason="" if cited_ok else "first citation lacks the gold figure"
        )
    if item.text:
        lowered = answer.text.lower()
        missing_text = [t for t in item.text if t.lower() not in lowered]
        checks["text"] = Check(
            passed=not missing_text, reason=f"missing {missing_text}" if missing_text else ""
        )
        first_quote = display_text(answer.citations[0].quote).lower() if answer.citations else ""
        cited_ok = bool(first_quote) and any(t.lower() in first_quote for t in item.text)
        checks["citation_precision"] = Check(
            passed=cited_ok, reason="" if cited_ok else "first citation lacks the gold text"
        )
    return result


class EvalRun(BaseModel):
    """Everything one run of the eval set produced."""

    items: list[ItemResult]
    metrics: dict[str, float | int]
    by_type: dict[str, dict[str, float]]
    llamaindex_cross_check: dict[str, float] = Field(default_factory=dict)
    seconds: float = 0.0


def run_eval(
    assistant: Assistant, items: Sequence[EvalItem], show_progress: bool = False
) -> EvalRun:
    """Ask every question (follow-ups after their preceding turns) and score the answers."""
    from remqa.progress import progress_bar

    started = time.perf_counter()
    results: list[ItemResult] = []
    expected: list[tuple[str, list[str]]] = []
    with progress_bar("Evaluating", len(items), show_progress) as advance:
        for item in items:
            history = [(turn.question, assistant.ask(turn.question)) for turn in item.history]
            answer = assistant.ask(item.question, history=history)
            resolved = answer.resolved_question or item.question
            passages = assistant.retriever.retrieve(resolved)
            results.append(score_item(item, answer, passages, assistant.source_text))
            if item.spans and not item.rebaselined:  # the questions hit_at_5 counts
                ids = [c.id for c in assistant.retriever.chunks if _covers(c, item)]
                expected.append((resolved, ids))
            advance(1)
    return EvalRun(
        items=results,
        metrics=summarize(results),
        by_type=summarize_by_type(results),
        llamaindex_cross_check=llamaindex_retrieval_metrics(assistant, expected),
        seconds=round(time.perf_counter() - started, 2),
    )


def _share(flags: Sequence[bool]) -> float:
    return round(sum(flags) / len(flags), 4) if flags else 1.0


def _check(results: Sequence[ItemResult], name: str) -> list[bool]:
    return [r.checks[name].passed for r in results if name in r.checks]


def summarize(all_results: Sequence[ItemResult]) -> dict[str, float | int]:
    """The metrics the gates read. The promises (no invented figure, every quote exact) hold
    over every item; whether an answer was found, over the items not re-baselined (those
    are counted on their own). Shares are 0..1; counts are whole numbers."""
    results = [r for r in all_results if not r.rebaselined]
    rebaselined = [r for r in all_results if r.rebaselined]
    answerable = [r for r in results if r.type != "unanswerable"]
    ranks = [r.gold_rank for r in answerable]
    return {
        "items": len(all_results),
        "hit_at_1": _share([rank == 1 for rank in ranks]),
        "hit_at_5": _share([rank is not None for rank in ranks]),
        "mrr": round(sum(1 / r for r in ranks if r) / len(ranks), 4) if ranks else 1.0,
        "figure_accuracy_first_sentence": _share(_check(results, "figures_first_sentence")),
        "figure_accuracy_whole": _share(_check(results, "figures_whole")),
        "text_accuracy": _share(_check(results, "text")),
        "invented_figures": sum(not ok for ok in _check(all_results, "no_invented_figures")),
        "citation_validity": _share(_check(all_results, "citation_validity")),
        "citation_precision": _share(_check(results, "citation_precision")),
        "refusal_accuracy": _share(_check(results, "refusal")),
        "false_refusals": sum(not ok for ok in _check(results, "not_refused")),
        "items_passed": sum(r.passed for r in all_results),
        "rebaselined_items": len(rebaselined),
        "rebaselined_passed": sum(r.passed for r in rebaselined),
    }


def summarize_by_type(results: Sequence[ItemResult]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for kind in sorted({r.type for r in results}):
        group = [r for r in results if r.type == kind]
        out[kind] = {"items": len(group), "passed": sum(r.passed for r in group),
                     "pass_rate": _share([r.passed for r in group])}  # fmt: skip
    return out


def llamaindex_retrieval_metrics(
    assistant: Assistant, expected: Sequence[tuple[str, list[str]]]
) -> dict[str, float]:
    """Hit rate and MRR at 5 computed by LlamaIndex's RetrieverEvaluator, as a cross-check
    of our own retrieval numbers on the same questions."""
    from llama_index.core.evaluation import RetrieverEvaluator
    from llama_index.core.retrievers import BaseRetriever
    from llama_index.core.schema import NodeWithScore, QueryBundle

    fusion = assistant.retriever.fusion

    class FirstFive(BaseRetriever):
        def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
            return fusion.retrieve(query_bundle)[:RETRIEVAL_DEPTH]

    evaluator = RetrieverEvaluator.from_metric_names(["hit_rate", "mrr"], retriever=FirstFive())
    scores: dict[str, list[float]] = {"hit_rate": [], "mrr": []}
    for query, ids in expected:
        result = evaluator.evaluate(query=query, expected_ids=ids)
        for name, value in result.metric_vals_dict.items():
            scores[name].append(float(value))
    return {name: round(sum(v) / len(v), 4) if v else 0.0 for name, v in scores.items()}
