"""`remqa eval --set squad|covidqa`: remqa next to the plain baseline on text it was never
tuned on, with gates (on all questions), a terminal table, and <set>.json / <set>.md reports
that show the read and the aggregate part side by side and list items of the read part only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from remqa.evaluation.external import run_external
from remqa.evaluation.external_render import markdown, print_external
from remqa.evaluation.external_results import ExternalRun, Metrics
from remqa.evaluation.external_sets import ExternalSet
from remqa.evaluation.gates import GateResult, check_gates, load_gates
from remqa.evaluation.report import git_commit
from remqa.evaluation.squad import load_squad
from remqa.settings import Settings


def loao_weights(article_source: str, folder: Path) -> Path | None:
    """The weights trained without this article (or without the group of papers it is in,
    as `groups.json` in the folder maps them), if they have been built."""
    groups = folder / "groups.json"
    if groups.exists():
        name = json.loads(groups.read_text(encoding="utf-8")).get(article_source)
        path = folder / name if name else None
    else:
        path = folder / f"without-{Path(article_source).stem}.json"
    return path if path is not None and path.exists() else None


def gate_metrics(run: ExternalRun) -> Metrics:
    """What the gates judge: every question of the set (both parts)."""
    remqa, baseline = run.metrics["remqa"]["all"], run.metrics["baseline"]["all"]
    metrics = dict(remqa)
    metrics["first_sentence_over_baseline"] = round(
        float(remqa["first_sentence"]) - float(baseline["first_sentence"]), 4
    )
    return metrics


def external_eval(
    settings: Settings, eval_set: ExternalSet, report_dir: Path, gates_path: Path | None = None
) -> int:
    """Run the set, print and write its reports; 1 when a gate fails."""
    articles = load_squad(eval_set.data)
    run = run_external(
        settings,
        articles,
        part_of=eval_set.part_rule(articles),
        selector_for=lambda source: loao_weights(source, eval_set.weights),
        show_progress=settings.show_progress,
    )
    gates, _ = load_gates(gates_path or eval_set.gates)
    results = check_gates(gate_metrics(run), gates, set(), set(), no_regressions=False)
    print_external(run, results, eval_set)
    json_path, md_path = write_external(run, results, eval_set, report_dir)
    print(f"Reports: {json_path} and {md_path}")
    failed = [g.name for g in results if not g.passed]
    if failed:
        print(f"FAILED gates: {', '.join(failed)}")
        return 1
    print("All gates passed.")
    return 0


def write_external(
    run: ExternalRun, gates: list[GateResult], eval_set: ExternalSet, out_dir: Path
) -> tuple[Path, Path]:
    """<set>.json holds the aggregate part's metrics and no item of it; <set>.md likewise."""
    out_dir.mkdir(parents=True, exist_ok=True)
    meta: dict[str, Any] = {
        "commit": git_commit(Path(__file__).resolve().parent),
        "set": str(eval_set.data),
        "seconds": run.seconds,
        "passed": all(g.passed for g in gates),
        "gates": [g.model_dump() for g in gates],
    }
    shown = run.model_dump()
    shown["results"] = [r.model_dump() for r in run.results if r.part == "read"]
    json_path = out_dir / f"{eval_set.name}.json"
    json_path.write_text(
        json.dumps({**meta, **shown}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    md_path = out_dir / f"{eval_set.name}.md"
    md_path.write_text(markdown(run, gates, meta, eval_set), encoding="utf-8")
    return json_path, md_path
