"""Benchmark: ingest and warm-ask speed on the bundled corpus, now and at a baseline commit.

    .venv/bin/python bench/bench_text_layer.py [--baseline f2317c6] [--runs 3]
                                               [--out bench/results/text_layer.json]

Issue 15 (the text layer: reflowing wrapped lines, offset maps) must not slow ingest or ask
on the bundled corpus. Both versions run in the same session, each in fresh processes on the
same machine, the baseline from a temporary git worktree (its own `src/` first on the path;
same installed packages). Each run ingests the bundled corpus into a new index (the ONNX
model exported once beforehand, so the export is not timed) and then asks every eval
question once. Prints medians and the ratio current / baseline; writes them as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORKER = r"""
import json, shutil, statistics, sys, time
from pathlib import Path
from remqa import Assistant, Settings
work, runs = Path(sys.argv[1]), int(sys.argv[2])
questions = json.loads(Path(sys.argv[3]).read_text())
models = work / "models"
ingest, ask = [], []
for run in range(runs):
    index = work / f"index-{run}"
    shutil.rmtree(index, ignore_errors=True)
    settings = Settings(corpus_dir=work / "corpus", index_dir=index, model_cache_dir=models,
                        show_progress=False)
    assistant = Assistant(settings)
    start = time.perf_counter()
    assistant.ingest()
    ingest.append(time.perf_counter() - start)
    assistant.ask("warm up the model")
    for question in questions:
        start = time.perf_counter()
        assistant.ask(question)
        ask.append((time.perf_counter() - start) * 1000)
print(json.dumps({"ingest_s": ingest, "ask_ms": ask}))
"""


def measure(src: Path, work: Path, runs: int, questions: Path) -> dict[str, list[float]]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run(
        [sys.executable, "-c", WORKER, str(work), str(runs), str(questions)],
        env=env, capture_output=True, text=True, check=True, cwd=work,
    )  # fmt: skip
    result: dict[str, list[float]] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--baseline", default="f2317c6", help="commit to compare with")
    parser.add_argument("--runs", type=int, default=3, help="ingest + ask rounds per version")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "text_layer.json")
    args = parser.parse_args()

    sys.path.insert(0, str(REPO / "src"))
    from remqa.evaluation.evalset import load_eval_set

    questions = [
        i.question for i in load_eval_set(REPO / "eval" / "questions.yaml") if not i.history
    ]
    root = Path(tempfile.mkdtemp(prefix="remqa-bench-text-"))
    try:
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(root / "baseline"), args.baseline],
            cwd=REPO, check=True, capture_output=True,
        )  # fmt: skip
        (root / "questions.json").write_text(json.dumps(questions))
        results: dict[str, dict[str, list[float]]] = {}
        for name, src in (("baseline", root / "baseline" / "src"), ("current", REPO / "src")):
            work = root / name
            work.mkdir(exist_ok=True)
            shutil.copytree(REPO / "corpus", work / "corpus", dirs_exist_ok=True)
            print(f"measuring {name} ...", file=sys.stderr)
            results[name] = measure(src, work, args.runs, root / "questions.json")
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(root / "baseline")],
                       cwd=REPO, capture_output=True)  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)

    summary = {
        name: {
            "ingest_s_median": statistics.median(r["ingest_s"]),
            "ask_ms_median": statistics.median(r["ask_ms"]),
        }
        for name, r in results.items()
    }
    ratios = {
        key: summary["current"][key] / summary["baseline"][key]
        for key in ("ingest_s_median", "ask_ms_median")
    }
    report = {
        "baseline_commit": args.baseline,
        "runs": args.runs,
        "questions": len(questions),
        "summary": summary,
        "ratio_current_over_baseline": ratios,
        "raw": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"{'measure (bundled corpus)':<34}{'baseline':>10}{'current':>10}{'ratio':>8}")
    for key, label in (("ingest_s_median", "ingest, s (median)"), ("ask_ms_median",
                       "warm ask, ms (median)")):  # fmt: skip
        b, c = summary["baseline"][key], summary["current"][key]
        print(f"{label:<34}{b:>10.3f}{c:>10.3f}{ratios[key]:>8.2f}")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
