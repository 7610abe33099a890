"""Worker processes and the run: one fresh process per measurement, then the results written."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

from .cold import measure_cold
from .common import DEFAULT_SIZES, SEED, Result, log
from .corpus import generate_corpus
from .encode import worker_prepare
from .floors import floors
from .ingest import worker_remqa
from .llamaindex_baseline import ratio_vs_llamaindex, worker_llamaindex
from .machine import git_commit, machine
from .precision import measure_eval_by_precision, measure_first_ingest
from .processes import Runner
from .report import print_report, render_markdown

QUICK_LLAMAINDEX_MAX = 1000


def run_worker(kind: str, work: Path, size: int, result: Path) -> None:
    """Entry point of a child process."""
    try:
        if kind == "prepare":
            out = worker_prepare(work)
        elif kind == "remqa":
            out = worker_remqa(work, size)
        else:
            out = worker_llamaindex(work, size)
    except KeyboardInterrupt:
        sys.exit(130)
    result.write_text(json.dumps(out, indent=2))


def measure_size(runner: Runner, size: int, with_llamaindex: bool, seed: int) -> Result:
    """Everything for one corpus size; the corpus and indexes are deleted afterwards."""
    work = runner.work
    stats, pairs, seconds = generate_corpus(work, size, seed)
    phases = {"generate": seconds}

    load_before = os.getloadavg()
    began = time.perf_counter()
    out: Result = {"corpus": stats | {"questions": len(pairs)}, **runner.worker("remqa", size)}
    phases["remqa_worker"] = time.perf_counter() - began
    if with_llamaindex:
        began = time.perf_counter()
        li = runner.worker("llamaindex", size)
        phases["llamaindex_worker"] = time.perf_counter() - began
        out["llamaindex"] = li
        out["ratio_vs_llamaindex"] = ratio_vs_llamaindex(out["ingest"], li)
    else:
        out["llamaindex"] = None
        out["ratio_vs_llamaindex"] = None
    out["phase_seconds"] = phases
    out["load_average"] = {"before": list(load_before), "after": list(os.getloadavg())}
    for name in (f"corpus-{size}", f"index-{size}", f"llamaindex-{size}"):
        shutil.rmtree(work / name, ignore_errors=True)
    return out


def reproduce_command(args: argparse.Namespace) -> str:
    cmd = [".venv/bin/python", "bench/run.py"]
    if args.sizes != DEFAULT_SIZES:
        cmd += ["--sizes", *map(str, args.sizes)]
    if args.quick:
        cmd.append("--quick")
    if args.seed != SEED:
        cmd += ["--seed", str(args.seed)]
    if args.cold_runs != 3:
        cmd += ["--cold-runs", str(args.cold_runs)]
    return " ".join(cmd)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def orchestrate(args: argparse.Namespace) -> int:
    """Run every measurement, print the table, write JSON and Markdown."""
    signal.signal(signal.SIGTERM, _interrupt)
    began = time.perf_counter()
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    work = Path(tempfile.mkdtemp(prefix="remqa-bench-"))
    runner = Runner(work)
    results: Result = {
        "date": date,
        "command": reproduce_command(args),
        "argv": sys.argv,
        "seed": args.seed,
        "requested_sizes": args.sizes,
        "smoke": args.quick or sorted(args.sizes) != DEFAULT_SIZES,
        "machine": machine(),
        "git": git_commit(),
        "sizes": {},
    }
    try:
        log(f"work folder {work}")
        log("exporting the embedding model to ONNX once for the run")
        results["onnx_export"] = runner.worker("prepare")
        results["cold"] = measure_cold(runner, args.cold_runs)
        results["first_ingest"] = measure_first_ingest(runner)
        results["eval_by_precision"] = measure_eval_by_precision(runner)
        for size in args.sizes:
            with_li = not (args.quick and size > QUICK_LLAMAINDEX_MAX)
            results["sizes"][str(size)] = measure_size(runner, size, with_li, args.seed)
    except KeyboardInterrupt:
        log("interrupted: stopping, removing the work folder, writing nothing")
        runner.stop()
        return 130
    except RuntimeError as exc:
        log(f"failed: {exc}")
        runner.stop()
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["run_seconds"] = time.perf_counter() - began
    results["floors"] = floors(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    args.md.write_text(render_markdown(results))
    print_report(results)
    log(f"done in {results['run_seconds'] / 60:.1f} min; wrote {args.out} and {args.md}")
    return 0
