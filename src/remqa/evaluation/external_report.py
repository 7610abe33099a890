"""`remqa eval --set squad`: remqa next to the plain baseline on articles it was never tuned
on, with gates, a terminal table, and squad.json / squad.md reports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from remqa.evaluation.external import ExternalRun, run_external
from remqa.evaluation.gates import GateResult, check_gates, load_gates
from remqa.evaluation.report import git_commit
from remqa.evaluation.squad import load_squad
from remqa.settings import Settings

SQUAD_DIR = Path("eval/squad")
WORK_DIR = SQUAD_DIR / "work"  # corpus and index built from the set (not committed)
LOAO_DIR = SQUAD_DIR / "selector"  # weights trained without each article
ROWS = (
    ("first_sentence", "first sentence holds a gold answer"),
    ("first_sentence_how_many", '... for "how many" questions'),
    ("lead_f1", "SQuAD F1 of the lead (bold short answer, else first sentence)"),
    ("cite_at_1", "first citation's span covers a gold span"),
    ("answerable_refused", "answerable questions refused"),
    ("unanswerable_refused", "unanswerable questions refused"),
)


def loao_weights(article_source: str, folder: Path = LOAO_DIR) -> Path | None:
    """The selector trained on every article but this one, if it has been built."""
    path = folder / f"without-{Path(article_source).stem}.json"
    return path if path.exists() else None


def gate_metrics(run: ExternalRun) -> dict[str, float | int]:
    remqa, baseline = run.metrics["remqa"], run.metrics["baseline"]
    metrics = dict(remqa)
    metrics["first_sentence_over_baseline"] = round(
        float(remqa["first_sentence"]) - float(baseline["first_sentence"]), 4
    )
    return metrics


def external_eval(
    settings: Settings,
    set_path: Path,
    report_dir: Path,
    gates_path: Path,
    loao_dir: Path = LOAO_DIR,
) -> int:
    articles = load_squad(set_path)
    run = run_external(
        settings,
        articles,
        selector_for=lambda source: loao_weights(source, loao_dir),
        show_progress=settings.show_progress,
    )
    gates, _ = load_gates(gates_path)
    results = check_gates(gate_metrics(run), gates, set(), set(), no_regressions=False)
    print_external(run, results)
    json_path, md_path = write_external(run, results, set_path, report_dir)
    print(f"Reports: {json_path} and {md_path}")
    failed = [g.name for g in results if not g.passed]
    if failed:
        print(f"FAILED gates: {', '.join(failed)}")
        return 1
    print("All gates passed.")
    return 0


def _fmt(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def print_external(run: ExternalRun, gates: list[GateResult]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    remqa, baseline = run.metrics["remqa"], run.metrics["baseline"]
    verdict = {g.name: g for g in gates}
    table = Table(
        title=f"remqa eval --set squad: {remqa['answerable']} answerable, "
        f"{remqa['unanswerable']} unanswerable questions, {run.seconds:.0f} s"
    )
    for column in ("measure", "remqa", "plain baseline", "gate", ""):
        table.add_column(column, justify="left" if column == "measure" else "right")
    for name, label in ROWS:
        gate = verdict.get(name)
        mark = "" if gate is None else ("[green]pass[/]" if gate.passed else "[red]FAIL[/]")
        table.add_row(
            label, _fmt(remqa[name]), _fmt(baseline[name]), gate.limit if gate else "", mark
        )
    table.add_row(
        "a correct sentence among the top 10", "", _fmt(baseline["correct_in_top10"]), "", ""
    )
    margin = verdict.get("first_sentence_over_baseline")
    if margin is not None:
        table.add_row(
            "first sentence: remqa - baseline",
            _fmt(margin.value),
            "",
            margin.limit,
            "[green]pass[/]" if margin.passed else "[red]FAIL[/]",
        )
    console.print(table)
    kinds = Table(title="By question type (answerable)")
    for column in ("type", "n", "remqa first", "baseline first", "lead F1", "refused"):
        kinds.add_column(column, justify="left" if column == "type" else "right")
    for kind, row in run.by_kind.items():
        kinds.add_row(
            kind,
            str(row["answerable"]),
            _fmt(row["first_sentence"]),
            _fmt(row["baseline_first"]),
            _fmt(row["lead_f1"]),
            _fmt(row["answerable_refused"]),
        )
    console.print(kinds)
    if run.tradeoff:
        trade = Table(title="Refusal threshold trade-off")
        for column in ("threshold", "answerable refused", "unanswerable refused"):
            trade.add_column(column, justify="right")
        for row in run.tradeoff:
            trade.add_row(
                _fmt(row["threshold"]),
                _fmt(row["answerable_refused"]),
                _fmt(row["unanswerable_refused"]),
            )
        console.print(trade)


def write_external(
    run: ExternalRun, gates: list[GateResult], set_path: Path, out_dir: Path
) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    meta: dict[str, Any] = {
        "commit": git_commit(Path(__file__).resolve().parent),
        "set": str(set_path),
        "seconds": run.seconds,
        "passed": all(g.passed for g in gates),
        "gates": [g.model_dump() for g in gates],
    }
    json_path = out_dir / "squad.json"
    json_path.write_text(
        json.dumps({**meta, **run.model_dump()}, indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    md_path = out_dir / "squad.md"
    md_path.write_text(_markdown(run, gates, meta), encoding="utf-8")
    return json_path, md_path


def _markdown(run: ExternalRun, gates: list[GateResult], meta: dict[str, Any]) -> str:
    remqa, baseline = run.metrics["remqa"], run.metrics["baseline"]
    verdict = {g.name: g for g in gates}
    lines = [
        f"# remqa external eval (SQuAD): {'PASSED' if meta['passed'] else 'FAILED'}",
        "",
        f"Commit `{meta['commit']}`, set `{meta['set']}`: {remqa['answerable']} answerable and "
        f"{remqa['unanswerable']} unanswerable questions in {run.seconds:.0f} s. Each article's "
        "questions are answered by a selector trained without that article.",
        "",
        "| measure | remqa | plain baseline | gate | |",
        "| --- | ---: | ---: | --- | --- |",
    ]
    for name, label in ROWS:
        gate = verdict.get(name)
        mark = "" if gate is None else ("pass" if gate.passed else "**FAIL**")
        lines.append(
            f"| {label} | {_fmt(remqa[name])} | {_fmt(baseline[name])} | "
            f"{gate.limit if gate else ''} | {mark} |"
        )
    lines.append(
        f"| a correct sentence among the top 10 | | {_fmt(baseline['correct_in_top10'])} | | |"
    )
    lines += [
        "",
        "## By question type",
        "",
        "| type | answerable | remqa first | baseline first | lead F1 | refused |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind, row in run.by_kind.items():
        lines.append(
            f"| {kind} | {row['answerable']} | {_fmt(row['first_sentence'])} | "
            f"{_fmt(row['baseline_first'])} | {_fmt(row['lead_f1'])} | "
            f"{_fmt(row['answerable_refused'])} |"
        )
    lines += [
        "",
        "## By article",
        "",
        "| article | questions | remqa first | baseline first | lead F1 | answerable refused "
        "| unanswerable refused |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for article, row in run.by_article.items():
        lines.append(
            f"| {article} | {row['questions']} | {_fmt(row['first_sentence'])} | "
            f"{_fmt(row['baseline_first'])} | {_fmt(row['lead_f1'])} | "
            f"{_fmt(row['answerable_refused'])} | {_fmt(row['unanswerable_refused'])} |"
        )
    if run.tradeoff:
        lines += [
            "",
            "## Refusal threshold trade-off",
            "",
            "| threshold | answerable refused | unanswerable refused |",
            "| ---: | ---: | ---: |",
        ]
        lines += [
            f"| {r['threshold']:.2f} | {r['answerable_refused']:.3f} "
            f"| {r['unanswerable_refused']:.3f} |"
            for r in run.tradeoff
        ]
    misses = [r for r in run.results if not r.impossible and not r.first_sentence][:40]
    lines += ["", f"## First misses ({len(misses)} shown)", ""]
    for r in misses:
        lines.append(
            f"- `{r.id}` ({r.kind}) {r.question}  \n  remqa: {r.lead[:200] or '(refused)'}"
            f"  \n  baseline: {r.baseline_sentence[:200]}"
        )
    return "\n".join(lines) + "\n"
