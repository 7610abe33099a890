"""Scoring the assistant against the eval set: deterministic metrics, no LLM judge."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from remqa.evalset import EvalItem
from remqa.figures import contains_figure, find_figures, parse_figure
from remqa.models import Answer
from remqa.retrieve import Passage

_MARKER = re.compile(r"\[\d+\]")


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

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks.values())


def _covers(passage: Passage, item: EvalItem) -> bool:
    chunk = passage.chunk
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
    quotes = " \n ".join(c.quote for c in answer.citations)
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
    ranks = [p.rank + 1 for p in passages if _covers(p, item)]
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
            contains_figure(answer.citations[0].quote, f) for f in golds
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
        cited_ok = bool(answer.citations) and any(
            t.lower() in answer.citations[0].quote.lower() for t in item.text
        )
        checks["citation_precision"] = Check(
            passed=cited_ok, reason="" if cited_ok else "first citation lacks the gold text"
        )
    return result


def run_items(assistant: object, items: Sequence[EvalItem]) -> list[ItemResult]:
    from remqa.assistant import Assistant

    assert isinstance(assistant, Assistant)
    results = []
    for item in items:
        history = [(turn.question, assistant.ask(turn.question)) for turn in item.history]
        answer = assistant.ask(item.question, history=history)
        resolved = answer.resolved_question or item.question
        passages = assistant.retriever.retrieve(resolved)
        results.append(score_item(item, answer, passages, assistant.source_text))
    return results


def _main(path: Path) -> None:
    from remqa import Assistant, Settings
    from remqa.evalset import load_eval_set

    results = run_items(Assistant(Settings(show_progress=False)), load_eval_set(path))
    failed = [r for r in results if not r.passed]
    for r in failed:
        print(f"FAIL {r.id} [{r.type}] {r.question}  -> {r.resolved_question}")
        for name, c in r.checks.items():
            if not c.passed:
                print(f"    {name}: {c.reason}")
        print("    " + r.answer.replace("\n", "\n    ")[:600])
    ans = [r for r in results if r.type != "unanswerable"]
    hit1 = sum(r.gold_rank == 1 for r in ans) / len(ans)
    hit5 = sum(r.gold_rank is not None and r.gold_rank <= 5 for r in ans) / len(ans)
    mrr = sum(1 / r.gold_rank for r in ans if r.gold_rank) / len(ans)
    print(f"hit@1 {hit1:.3f} hit@5 {hit5:.3f} mrr {mrr:.3f}")
    for name in (
        "figures_first_sentence",
        "figures_whole",
        "citation_precision",
        "refusal",
        "not_refused",
        "no_invented_figures",
        "citation_validity",
    ):
        xs = [r.checks[name].passed for r in results if name in r.checks]
        print(f"{name}: {sum(xs)}/{len(xs)} = {sum(xs) / len(xs):.3f}")
    print(f"{len(results) - len(failed)}/{len(results)} passed")


if __name__ == "__main__":
    import sys

    _main(Path(sys.argv[1] if len(sys.argv) > 1 else "eval/questions.yaml"))
