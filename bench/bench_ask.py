"""Benchmark: warm `Assistant.ask` latency on the bundled corpus and on the COVID-QA papers,
and cold `remqa ask`.

    .venv/bin/python bench/bench_ask.py [--rounds 3] [--out bench/results/ask.json]

The COVID-QA corpus (30 papers, about 99,000 words) is indexed into a temporary folder and
asked each of its 376 questions once (issue 21's floor: p50 <= 60 ms; the bundled one 40 ms);
the time to ingest and open it (as `remqa ingest` does: chunks and sentence vectors) is shown
too, once.

Prints a table and writes the figures as JSON. Medians; the cold CLI time is shown next to a
bare `python -c "import sentence_transformers"` measured in the same run, as the baseline.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def time_command(cmd: list[str], runs: int, cwd: Path) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3, help="passes over the questions")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold process starts to time")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "ask.json")
    parser.add_argument("--no-covidqa", action="store_true", help="the bundled corpus only")
    args = parser.parse_args()

    from remqa import Assistant, Settings
    from remqa.evaluation.evalset import load_eval_set

    work = Path(tempfile.mkdtemp(prefix="remqa-bench-"))
    shutil.copytree(REPO / "corpus", work / "corpus")
    settings = Settings(corpus_dir=work / "corpus", index_dir=work / "index", show_progress=False)
    assistant = Assistant(settings)
    assistant.ingest()
    questions = [
        i.question for i in load_eval_set(REPO / "eval" / "questions.yaml") if not i.history
    ]
    assistant.ask("warm up the model")  # loads model, index, BM25

    first_pass: list[float] = []
    repeated: list[float] = []
    for round_no in range(args.rounds):
        for question in questions:
            start = time.perf_counter()
            assistant.ask(question)
            (first_pass if round_no == 0 else repeated).append((time.perf_counter() - start) * 1000)

    env_cmd = [
        sys.executable,
        "-m",
        "remqa",
        "ask",
        "How much is the gallium market worth?",
        "--corpus",
        str(settings.corpus_dir),
        "--index",
        str(settings.index_dir),
    ]
    cold_cli = time_command(env_cmd, args.cold_runs, work)
    baseline = time_command(
        [sys.executable, "-c", "import sentence_transformers"], args.cold_runs, work
    )

    opened, covid = (0.0, []) if args.no_covidqa else covidqa_latencies(work / "covidqa")

    results = {
        "machine": {
            "python": platform.python_version(),
            "cpu_count": __import__("os").cpu_count(),
            "platform": platform.platform(),
        },
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip(),
        "questions": len(questions),
        "warm_ask_first_time_ms": {
            "median": statistics.median(first_pass),
            "p95": percentile(first_pass, 0.95),
        },
        "warm_ask_repeated_ms": {
            "median": statistics.median(repeated),
            "p95": percentile(repeated, 0.95),
        }
        if repeated
        else None,
        "covidqa_questions": len(covid) if covid else 0,
        "covidqa_warm_ask_ms": {"median": statistics.median(covid), "p95": percentile(covid, 0.95)}
        if covid
        else None,
        "covidqa_ingest_and_open_s": {"median": opened} if covid else None,
        "cold_remqa_ask_s": {"median": statistics.median(cold_cli)},
        "import_sentence_transformers_s": {"median": statistics.median(baseline)},
        "cold_ratio_vs_import": statistics.median(cold_cli) / statistics.median(baseline),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    rows = [
        ("warm ask, question asked the first time (ms)", results["warm_ask_first_time_ms"]),
        ("warm ask, question asked again (ms)", results["warm_ask_repeated_ms"]),
        ("COVID-QA papers: warm ask, first time (ms)", results["covidqa_warm_ask_ms"]),
        ("COVID-QA papers: ingest and open, once (s)", results["covidqa_ingest_and_open_s"]),
        ("cold `remqa ask` process (s)", results["cold_remqa_ask_s"]),
        ("bare `import sentence_transformers` (s)", results["import_sentence_transformers_s"]),
    ]
    print(f"{'measure':<46}{'median':>10}{'p95':>10}")
    for label, figures in rows:
        if figures:
            p95 = f"{figures['p95']:>10.1f}" if "p95" in figures else ""
            print(f"{label:<46}{figures['median']:>10.2f}{p95}")
    print(f"{'cold ask / import ratio':<46}{results['cold_ratio_vs_import']:>10.2f}")
    print(f"written to {args.out}")
    shutil.rmtree(work, ignore_errors=True)


def covidqa_latencies(folder: Path) -> tuple[float, list[float]]:
    """Seconds to ingest and open the COVID-QA papers, and the warm ask times (ms) over them,
    each question asked once."""
    from remqa import Assistant, Settings
    from remqa.evaluation.external_sets import SETS
    from remqa.evaluation.squad import load_squad, write_corpus

    articles = load_squad(REPO / SETS["covidqa"].data)
    write_corpus(articles, folder / "corpus")
    settings = Settings(
        corpus_dir=folder / "corpus", index_dir=folder / "index", show_progress=False
    )
    assistant = Assistant(settings)
    start = time.perf_counter()
    assistant.ingest()
    assistant.ensure_ready()  # as `remqa ingest` ends: the index opened, sentence vectors saved
    opened = time.perf_counter() - start
    assistant.ask("warm up the model")
    times = []
    for article in articles:
        for question in article.questions:
            start = time.perf_counter()
            assistant.ask(question.question)
            times.append((time.perf_counter() - start) * 1000)
    return opened, times


if __name__ == "__main__":
    main()
