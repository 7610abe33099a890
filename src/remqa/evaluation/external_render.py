"""The external eval's tables, built once as rows of text and shown twice: on the terminal
(rich) and in the .md report. Items of the aggregate part never appear: their part is shown
only through the aggregate columns."""

from __future__ import annotations

from typing import Any

from remqa.evaluation.external_results import ExternalRun
from remqa.evaluation.external_sets import ExternalSet
from remqa.evaluation.gates import GateResult

PARTS = ("read", "aggregate", "all")
ROWS = (
    ("first_sentence", "first sentence holds a gold answer"),
    ("first_sentence_how_many", '... for "how many" questions'),
    ("lead_f1", "SQuAD F1 of the lead (bold short answer, else first sentence)"),
    ("cite_at_1", "first citation's span covers a gold span"),
    ("cite_overlap", "first citation's span overlaps a gold span"),
    ("bold_share", "answers led by a bold short answer"),
    ("bold_precision", "bold short answers on a gold span"),
    ("answerable_refused", "answerable questions refused"),
    ("unanswerable_refused", "unanswerable questions refused"),
)
HEADLINE = ("measure", *(f"remqa {p}" for p in PARTS), *(f"baseline {p}" for p in PARTS))
HEADLINE_WITH_GATES = (*HEADLINE, "gate", "")
BREAKDOWN = ("", "n", "remqa first", "baseline first", "cite overlap", "lead F1", "refused")
TRADEOFF = ("threshold", "answerable refused", "unanswerable refused")


def fmt(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def headline(run: ExternalRun, gates: list[GateResult]) -> list[list[str]]:
    """Each measure for remqa and the baseline, read / aggregate / all, with its gate (on
    all). Verdict cells are "pass", "FAIL" or empty."""
    remqa, baseline = run.metrics["remqa"], run.metrics["baseline"]
    verdict = {g.name: g for g in gates}

    def gate_cells(name: str) -> list[str]:
        gate = verdict.get(name)
        return ["", ""] if gate is None else [gate.limit, "pass" if gate.passed else "FAIL"]

    rows = [["answerable questions", *(fmt(remqa[p]["answerable"]) for p in PARTS), "", "", "",
             "", ""]]  # fmt: skip
    for name, label in ROWS:
        if name == "unanswerable_refused" and not remqa["all"]["unanswerable"]:
            continue
        base = [fmt(baseline[p][name]) if name in baseline[p] else "" for p in PARTS]
        rows.append([label, *(fmt(remqa[p][name]) for p in PARTS), *base, *gate_cells(name)])
    rows.append(["a correct sentence among the top 10", "", "", "",
                 *(fmt(baseline[p]["correct_in_top10"]) for p in PARTS), "", ""])  # fmt: skip
    margins = [
        round(float(remqa[p]["first_sentence"]) - float(baseline[p]["first_sentence"]), 4)
        for p in PARTS
    ]
    rows.append(["first sentence: remqa - baseline", *(fmt(m) for m in margins), "", "", "",
                 *gate_cells("first_sentence_over_baseline")])  # fmt: skip
    return rows


def breakdown(groups: dict[str, dict[str, float | int]]) -> list[list[str]]:
    """By question type or by article (the read part only)."""
    return [
        [
            name,
            fmt(row["answerable"]),
            fmt(row["first_sentence"]),
            fmt(row["baseline_first"]),
            fmt(row["cite_overlap"]),
            fmt(row["lead_f1"]),
            fmt(row["answerable_refused"]),
        ]
        for name, row in groups.items()
    ]


def tradeoff(run: ExternalRun) -> list[list[str]]:
    return [
        [f"{r['threshold']:.2f}", fmt(r["answerable_refused"]), fmt(r["unanswerable_refused"])]
        for r in run.tradeoff
    ]


def print_external(run: ExternalRun, gates: list[GateResult], eval_set: ExternalSet) -> None:
    from rich.console import Console
    from rich.table import Table

    def show(title: str, header: tuple[str, ...], rows: list[list[str]]) -> None:
        table = Table(title=title)
        for i, column in enumerate(header):
            table.add_column(column, justify="left" if i == 0 else "right")
        for row in rows:
            marks = {"pass": "[green]pass[/]", "FAIL": "[red]FAIL[/]"}
            table.add_row(*(marks.get(cell, cell) for cell in row))
        console.print(table)

    console = Console()
    if not console.is_terminal:  # a log or a pipe: wide enough for the side-by-side table
        console = Console(width=130)
    every = run.metrics["remqa"]["all"]
    show(
        f"remqa eval --set {eval_set.name}: {every['answerable']} answerable, "
        f"{every['unanswerable']} unanswerable questions, {run.seconds:.0f} s",
        HEADLINE_WITH_GATES,
        headline(run, gates),
    )
    show("By question type (read part, answerable)", BREAKDOWN, breakdown(run.by_kind))
    if run.tradeoff:
        show("Refusal threshold trade-off (all)", TRADEOFF, tradeoff(run))


def _table(header: tuple[str, ...], rows: list[list[str]]) -> list[str]:
    bold = [[f"**{c}**" if c == "FAIL" else c for c in row] for row in rows]
    return [
        "| " + " | ".join(header) + " |",
        "| --- |" + " ---: |" * (len(header) - 1),
        *("| " + " | ".join(row) + " |" for row in bold),
    ]


def markdown(run: ExternalRun, gates: list[GateResult], meta: dict[str, Any],
             eval_set: ExternalSet) -> str:  # fmt: skip
    every = run.metrics["remqa"]["all"]
    lines = [
        f"# remqa external eval ({eval_set.title}): {'PASSED' if meta['passed'] else 'FAILED'}",
        "",
        f"Commit `{meta['commit']}`, set `{meta['set']}`: {every['answerable']} answerable and "
        f"{every['unanswerable']} unanswerable questions in {run.seconds:.0f} s. "
        f"{eval_set.about} Gates apply to all questions. Items of the aggregate part are "
        "never listed: only its aggregate numbers are shown.",
        "",
        *_table(HEADLINE_WITH_GATES, headline(run, gates)),
        "",
        "## By question type (read part)",
        "",
        *_table(("type", *BREAKDOWN[1:]), breakdown(run.by_kind)),
        "",
        "## By article (read part)",
        "",
        *_table(("article", *BREAKDOWN[1:]), breakdown(run.by_article)),
    ]
    if run.tradeoff:
        lines += ["", "## Refusal threshold trade-off (all)", "", *_table(TRADEOFF, tradeoff(run))]
    misses = [
        r for r in run.results if r.part == "read" and not r.impossible and not r.first_sentence
    ][:40]
    lines += ["", f"## First misses of the read part ({len(misses)} shown)", ""]
    for r in misses:
        lines.append(
            f"- `{r.id}` ({r.kind}) {r.question}  \n  remqa: {r.lead[:200] or '(refused)'}"
            f"  \n  baseline: {r.baseline_sentence[:200]}"
        )
    return "\n".join(lines) + "\n"
