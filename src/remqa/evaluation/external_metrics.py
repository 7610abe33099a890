"""The external eval's measures: pure functions over scored results, per part of the set.

Answers to scientific questions are often a clause, so besides "the lead holds the gold text"
(SQuAD's view) a citation is judged by where it points: does the first cited span overlap a
gold answer's span in the source file? And a bold short answer is judged by whether it is
right when given (precision), since a wrong bold lead misleads more than none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from remqa.evaluation.external_results import ExternalResult, Metrics
from remqa.evaluation.split import PARTS
from remqa.evaluation.squad import GoldAnswer, normalize

THRESHOLDS = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)


def overlaps(start: int, end: int, golds: Iterable[GoldAnswer]) -> bool:
    """[start, end) shares at least one character with some gold [start, end)."""
    return any(start < g.end and g.start < end for g in golds)


def covers(start: int, end: int, golds: Iterable[GoldAnswer]) -> bool:
    """[start, end) holds a whole gold span."""
    return any(start <= g.start and g.end <= end for g in golds)


def bold_right(bold: str, span: tuple[int, int] | None, golds: Sequence[GoldAnswer]) -> bool:
    """A bold short answer is right when it lies on a gold span: found in the cited quote, its
    file span overlaps one; not found there (a figure read in other words), its text and a
    gold text hold one another."""
    if span is not None:
        return overlaps(*span, golds)
    said = f" {normalize(bold)} "
    return bool(normalize(bold)) and any(
        said in f" {normalize(g.text)} " or f" {normalize(g.text)} " in said for g in golds
    )


def _share(flags: Sequence[bool]) -> float:
    return round(sum(flags) / len(flags), 4) if flags else 0.0


def _mean(values: Sequence[float]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0


def remqa_metrics(results: Sequence[ExternalResult]) -> Metrics:
    answerable = [r for r in results if not r.impossible]
    unanswerable = [r for r in results if r.impossible]
    how_many = [r for r in answerable if r.kind == "how many"]
    bold = [r for r in answerable if r.bold and not r.refused]
    return {
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "first_sentence": _share([r.first_sentence for r in answerable]),
        "first_sentence_how_many": _share([r.first_sentence for r in how_many]),
        "lead_f1": _mean([r.lead_f1 for r in answerable]),
        "cite_at_1": _share([r.cite_at_1 for r in answerable]),
        "cite_overlap": _share([r.cite_overlap for r in answerable]),
        "bold_share": _share([bool(r.bold) for r in answerable if not r.refused]),
        "bold_precision": _share([r.bold_right for r in bold]),
        "answerable_refused": _share([r.refused for r in answerable]),
        "unanswerable_refused": _share([r.refused for r in unanswerable]),
    }


def baseline_metrics(results: Sequence[ExternalResult]) -> Metrics:
    answerable = [r for r in results if not r.impossible]
    how_many = [r for r in answerable if r.kind == "how many"]
    return {
        "answerable": len(answerable),
        "unanswerable": sum(r.impossible for r in results),
        "first_sentence": _share([r.baseline_first for r in answerable]),
        "first_sentence_how_many": _share([r.baseline_first for r in how_many]),
        "lead_f1": _mean([r.baseline_f1 for r in answerable]),
        "cite_at_1": _share([r.baseline_cite for r in answerable]),
        "cite_overlap": _share([r.baseline_overlap for r in answerable]),
        "answerable_refused": 0.0,
        "unanswerable_refused": 0.0,
        "correct_in_top10": _share([r.baseline_top10 for r in answerable]),
    }


def by_part(results: Sequence[ExternalResult]) -> dict[str, dict[str, Metrics]]:
    """metrics[answerer][part] for the parts "read", "aggregate" and "all"."""
    groups: dict[str, list[ExternalResult]] = {
        part: [r for r in results if r.part == part] for part in PARTS
    }
    groups["all"] = list(results)
    return {
        "remqa": {part: remqa_metrics(group) for part, group in groups.items()},
        "baseline": {part: baseline_metrics(group) for part, group in groups.items()},
    }


def grouped(
    results: Sequence[ExternalResult], key: Callable[[ExternalResult], str]
) -> dict[str, Metrics]:
    """Metrics of each group of results (by question type, by article)."""
    shown = ("answerable", "first_sentence", "cite_overlap", "lead_f1", "answerable_refused",
             "unanswerable_refused")  # fmt: skip
    out: dict[str, Metrics] = {}
    for name in sorted({key(r) for r in results}):
        group = [r for r in results if key(r) == name]
        remqa = remqa_metrics(group)
        out[name] = {
            "questions": len(group),
            **{m: remqa[m] for m in shown},
            "baseline_first": baseline_metrics(group)["first_sentence"],
        }
    return out


def _selector_answerability(r: ExternalResult) -> float | None:
    """What the selector refuses on (P(the passages answer)), when it decided the answer or
    refusal; else None."""
    return r.answerability if r.answered_by == "selector" else None


def refusal_tradeoff(results: Sequence[ExternalResult]) -> list[dict[str, float]]:
    """What other refusal thresholds would do: the shares of answerable and of unanswerable
    questions refused when the selector's P(the passages answer) falls under each threshold.
    An answer the selector did not decide (a figure question, decided by the figure rules) is
    refused or not whatever the threshold."""
    if all(_selector_answerability(r) is None for r in results):
        return []
    rows = []
    for threshold in THRESHOLDS:

        def refused(r: ExternalResult, t: float = threshold) -> bool:
            p = _selector_answerability(r)
            return r.refused if p is None else p < t

        rows.append(
            {
                "threshold": threshold,
                "answerable_refused": _share([refused(r) for r in results if not r.impossible]),
                "unanswerable_refused": _share([refused(r) for r in results if r.impossible]),
            }
        )
    return rows
