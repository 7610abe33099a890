"""report.md's text: the metrics with their meaning, results by type, each failing item with
why it failed and where its citations are, and the format-invariance tables. Also the value
format and the format rows that the terminal tables (report.py) share with it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from remqa.evaluation.formats import COMPARED, FormatRun
from remqa.evaluation.gates import GateResult
from remqa.evaluation.scoring import EvalRun, ItemResult
from remqa.models import Citation

METRIC_HELP = {
    "hit_at_1": "a passage holding the gold span is retrieved first",
    "hit_at_5": "... among the first five",
    "mrr": "mean of 1/rank of the first such passage (0 when not in the first five)",
    "figure_accuracy_first_sentence": "the gold figure is in the answer's first sentence",
    "figure_accuracy_whole": "every gold figure is somewhere in the answer",
    "text_accuracy": "the gold name/phrase is in the answer",
    "invented_figures": "answers stating a figure that no cited quote contains",
    "citation_validity": "every quote equals its span of the source",
    "citation_precision": "the first citation's quote holds the gold figure or text",
    "refusal_accuracy": "unanswerable questions refused",
    "false_refusals": "answerable questions refused",
    "items_passed": "items passing every check",
    "rebaselined_items": "items re-baselined (left out of the answer measures)",
    "rebaselined_passed": "re-baselined items passing",
}

# The rows of the format-invariance tables, here and on the terminal (report.py).
FORMAT_ROWS = (*COMPARED, "false_refusals", "invented_figures", "citation_validity")


def fmt(value: object) -> str:
    """A metric's value as both reports show it: floats to three places."""
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def formats_markdown(variants: Sequence[FormatRun], gates: Sequence[GateResult]) -> list[str]:
    """The format-invariance section: metrics per format, verdicts, and each item's result."""
    by_name = {g.name: g for g in gates}
    head = "| metric | " + " | ".join(fr.fmt for fr in variants) + " |"
    rule = "| --- |" + " ---: |" * len(variants)
    lines = ["## Format invariance", "", head, rule]
    for name in FORMAT_ROWS:
        lines.append(
            f"| {name} | " + " | ".join(fmt(fr.run.metrics[name]) for fr in variants) + " |"
        )
    lines.append(
        "| quotes cut at a line break | "
        + " | ".join(str(len(fr.cut_quotes)) for fr in variants)
        + " |"
    )
    lines += ["", "| format | verdict |", "| --- | --- |"]
    for fr in variants[1:]:
        g = by_name[f"format:{fr.fmt}"]
        lines.append(f"| {fr.fmt} | {'pass' if g.passed else '**FAIL**'}: {g.value} |")
    lines += ["", "Per item (✓ passed, ✗ failed):", "", head.replace("metric", "item"), rule]
    results = [{r.id: r.passed for r in fr.run.items} for fr in variants]
    for r in variants[0].run.items:
        marks = " | ".join("✓" if res.get(r.id) else "✗" for res in results)
        lines.append(f"| `{r.id}` | {marks} |")
    return [*lines, ""]


def report_markdown(run: EvalRun, gates: list[GateResult], meta: dict[str, Any]) -> str:
    """report.md up to the format section: verdict and metrics first, then failing items."""
    verdict = "PASSED" if all(g.passed for g in gates) else "FAILED"
    lines = [
        f"# remqa eval report: {verdict}",
        "",
        f"Commit `{meta['commit']}`, eval set `{meta['eval_set']}`, "
        f"{run.metrics['items']} questions in {run.seconds:.1f} s, "
        f"answer backend `{meta['settings']['llm']}`.",
        "",
        "## Metrics",
        "",
        "| metric | value | gate | | meaning |",
        "| --- | ---: | --- | --- | --- |",
    ]
    gate_by_name = {g.name: g for g in gates}
    for name, value in run.metrics.items():
        gate = gate_by_name.get(name)
        mark = "" if gate is None else ("pass" if gate.passed else "**FAIL**")
        lines.append(
            f"| {name} | {fmt(value)} | {gate.limit if gate else ''} | {mark} | "
            f"{METRIC_HELP.get(name, '')} |"
        )
    cross = run.llamaindex_cross_check
    lines += [
        "",
        "LlamaIndex `RetrieverEvaluator` on the same questions (first five passages): "
        f"hit rate {fmt(cross.get('hit_rate'))}, MRR {fmt(cross.get('mrr'))}.",
        "",
    ]
    if "no_regressions" in gate_by_name:
        g = gate_by_name["no_regressions"]
        lines += [f"Regressions against the baseline: {g.value}.", ""]
    lines += ["## By type", "", "| type | items | passed |", "| --- | ---: | ---: |"]
    lines += [f"| {k} | {int(v['items'])} | {int(v['passed'])} |" for k, v in run.by_type.items()]
    failures = [r for r in run.items if not r.passed]
    lines += ["", f"## Failures ({len(failures)})", ""]
    lines += [item_markdown(r) for r in failures] or ["None.", ""]
    lines += [f"## Passing items ({len(run.items) - len(failures)})", ""]
    lines += [f"- `{r.id}` ({r.type}): {r.question}" for r in run.items if r.passed]
    return "\n".join(lines) + "\n"


def item_markdown(r: ItemResult) -> str:
    failed = [f"  - {name}: {c.reason}" for name, c in r.checks.items() if not c.passed]
    resolved = f"  (understood as: {r.resolved_question})\n" if r.resolved_question else ""
    answer = r.answer.replace("\n", "\n  > ")
    why = f"  Re-baselined: {r.rebaselined}\n" if r.rebaselined else ""
    return (
        f"### `{r.id}` ({r.type})\n\n{r.question}\n{resolved}{why}\n"
        + "\n".join(failed)
        + f"\n\n  > {answer}\n\n"
        + _cited_md(r)
        + f"  gold passage rank: {r.gold_rank}; figures in answer: "
        f"{', '.join(r.answer_figures) or 'none'}\n"
    )


def _cited_md(r: ItemResult) -> str:
    """Where each cited quote is: file, page and heading (where known), offsets."""
    lines = []
    for raw in r.citations:
        c = Citation.model_validate(raw)
        place = f", {c.place}" if c.place else ""
        lines.append(f"  [{c.id}] `{c.source}`{place}, chars {c.start}-{c.end}\n")
    return "".join(lines) + ("\n" if lines else "")
