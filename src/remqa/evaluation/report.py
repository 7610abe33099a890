"""The eval report: a summary table on the terminal, report.json and report.md on disk (its
text is written by report_markdown.py)."""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from remqa.evaluation.formats import FormatRun, format_gates, run_formats
from remqa.evaluation.gates import GateResult
from remqa.evaluation.report_markdown import FORMAT_ROWS, fmt, formats_markdown, report_markdown
from remqa.evaluation.scoring import EvalRun
from remqa.settings import Settings

if TYPE_CHECKING:
    from remqa.assistant import Assistant


def git_commit(repo: Path) -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, timeout=10
        )
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def print_summary(run: EvalRun, gates: list[GateResult]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    gate_by_name = {g.name: g for g in gates}
    table = Table(title=f"remqa eval: {run.metrics['items']} questions, {run.seconds:.1f} s")
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("gate")
    table.add_column("")
    for name, value in run.metrics.items():
        if name == "items":
            continue
        gate = gate_by_name.get(name)
        mark = "" if gate is None else ("[green]pass[/]" if gate.passed else "[red]FAIL[/]")
        table.add_row(name, fmt(value), gate.limit if gate else "", mark)
    for name in ("hit_rate", "mrr"):
        if name in run.llamaindex_cross_check:
            cross = run.llamaindex_cross_check[name]
            table.add_row(f"{name} (LlamaIndex RetrieverEvaluator)", fmt(cross), "", "")
    regress = gate_by_name.get("no_regressions")
    if regress:
        mark = "[green]pass[/]" if regress.passed else "[red]FAIL[/]"
        table.add_row("regressions vs baseline", str(regress.value), "none", mark)
    console.print(table)
    by_type = ", ".join(
        f"{kind} {int(v['passed'])}/{int(v['items'])}" for kind, v in run.by_type.items()
    )
    console.print(f"By type: {by_type}", highlight=False)


# Short names for the terminal table, so that eight formats side by side fit 80 columns.
_SHORT = {
    "figure_accuracy_first_sentence": "figure, first",
    "figure_accuracy_whole": "figure, whole",
    "text_accuracy": "text answers",
    "citation_precision": "cite precis.",
    "refusal_accuracy": "refusal acc.",
    "hit_at_5": "hit@5",
    "false_refusals": "false refusal",
    "invented_figures": "invented figs",
    "citation_validity": "cite validity",
}


def _run_formats(
    settings: Settings, items: Sequence[Any], formats: Sequence[str]
) -> list[FormatRun]:
    with tempfile.TemporaryDirectory(prefix="remqa-formats-") as work:
        quiet = settings.model_copy(update={"show_progress": False})
        return run_formats(quiet, items, ["original", *formats], Path(work))


def print_formats(variants: Sequence[FormatRun], gates: Sequence[GateResult]) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    verdict = {g.name: g.passed for g in gates}
    table = Table(
        title="Format invariance: the same questions, the corpus in other formats",
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        collapse_padding=True,
        pad_edge=False,
        caption="full metric names in report.md",
    )
    table.add_column("metric", no_wrap=True)
    for fr in variants:
        table.add_column(fr.fmt, justify="right", no_wrap=True)
    for name in FORMAT_ROWS:
        table.add_row(_SHORT.get(name, name), *(fmt(fr.run.metrics[name]) for fr in variants))
    table.add_row("cut quotes", *(str(len(fr.cut_quotes)) for fr in variants))
    table.add_row("gold not found", *(str(fr.lost_spans) for fr in variants))
    table.add_row(
        "verdict",
        "",
        *(
            "[green]pass[/]" if verdict.get(f"format:{fr.fmt}") else "[red]FAIL[/]"
            for fr in variants[1:]
        ),
    )
    Console().print(table)


def write_reports(
    run: EvalRun,
    gates: list[GateResult],
    settings: Settings,
    eval_set: Path,
    out_dir: Path,
    variants: Sequence[FormatRun] = (),
) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    meta: dict[str, Any] = {
        "commit": git_commit(Path(__file__).resolve().parent),
        "eval_set": str(eval_set),
        "settings": json.loads(settings.model_dump_json(exclude={"llm_api_key"})),
        "seconds": run.seconds,
    }
    data = {
        **meta,
        "passed": all(g.passed for g in gates),
        "metrics": run.metrics,
        "by_type": run.by_type,
        "llamaindex_cross_check": run.llamaindex_cross_check,
        "gates": [g.model_dump() for g in gates],
        "items": [item.model_dump() for item in run.items],
    }
    if variants:
        data["formats"] = {
            fr.fmt: {
                "metrics": fr.run.metrics,
                "quotes_cut_at_line_break": fr.cut_quotes,
                "gold_spans_not_found": fr.lost_spans,
                "items": {r.id: r.passed for r in fr.run.items},
            }
            for fr in variants
        }
    json_path = out_dir / "report.json"
    json_path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path = out_dir / "report.md"
    markdown = report_markdown(run, gates, meta)
    if variants:
        markdown += "\n" + "\n".join(formats_markdown(variants, gates))
    md_path.write_text(markdown, encoding="utf-8")
    return json_path, md_path


def evaluate_and_report(
    assistant: Assistant,
    eval_set: Path,
    report_dir: Path,
    gates_path: Path,
    baseline_path: Path,
    update_baseline: bool = False,
    formats: Sequence[str] = (),
) -> int:
    """Run the eval set, print the table, write the reports; 1 when a gate fails. With
    `formats`, also run it against the corpus rewritten in each format (see formats.py)."""
    from remqa.evaluation.evalset import load_eval_set
    from remqa.evaluation.gates import check_gates, load_baseline, load_gates, save_baseline
    from remqa.evaluation.scoring import run_eval

    items = load_eval_set(eval_set)
    gates, no_regressions = load_gates(gates_path)
    run = run_eval(assistant, items, show_progress=assistant.settings.show_progress)
    passing = {r.id for r in run.items if r.passed}
    if update_baseline:
        save_baseline(baseline_path, sorted(passing))
    results = check_gates(run.metrics, gates, passing, load_baseline(baseline_path), no_regressions)
    print_summary(run, results)
    variants: list[FormatRun] = []
    if formats:
        variants = _run_formats(assistant.settings, items, formats)
        results += format_gates(variants)
        print_formats(variants, results)
    json_path, md_path = write_reports(
        run, results, assistant.settings, eval_set, report_dir, variants
    )
    failed = [g.name for g in results if not g.passed]
    print(f"Reports: {json_path} and {md_path}")
    if failed:
        print(f"FAILED gates: {', '.join(failed)}")
        return 1
    print("All gates passed.")
    return 0
