"""What the int8 default costs and saves against fp32: a first ingest on a machine without
the model cache and with it, and the eval metrics (bundled and external) under both."""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from .common import REPO, Result, log

if TYPE_CHECKING:
    from .processes import Runner

# Runs `remqa ingest` in this process and prints its own peak RSS (a child's, such as the
# model export, is not counted: the floor is about the ingest process itself).
_INGEST = (
    "import json, resource, sys, time; began = time.perf_counter();"
    "from remqa.cli import main; code = main(sys.argv[1:]);"
    "print(json.dumps({'code': code, 'seconds_in_process': time.perf_counter() - began,"
    " 'peak_rss_kib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))"
)
BUNDLED_EVAL_KEYS = ("hit_at_1", "hit_at_5", "mrr", "figure_accuracy_first_sentence",
                     "figure_accuracy_whole", "text_accuracy", "citation_precision",
                     "refusal_accuracy", "false_refusals", "items_passed")  # fmt: skip


def _ingest(runner: Runner, corpus: Path, index: Path, cache: Path) -> Result:
    cmd = [sys.executable, "-c", _INGEST, "--quiet", "ingest", "--corpus", str(corpus),
           "--index", str(index)]  # fmt: skip
    env = runner.env | {"REMQA_MODEL_CACHE_DIR": str(cache)}
    began = time.perf_counter()
    out = runner.capture(cmd, env)
    result: Result = json.loads(out.strip().splitlines()[-1])
    result["wall_seconds"] = time.perf_counter() - began
    result["peak_rss_bytes"] = result.pop("peak_rss_kib") * 1024
    return result


def measure_first_ingest(runner: Runner) -> Result:
    """`remqa ingest` of the bundled corpus as a new user runs it: with no model cache (the
    export happens, in a child process), then into a new index folder with the cache there."""
    work = runner.work / "first-ingest"
    corpus = work / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    cache = work / "model-cache"
    log("first ingest of the bundled corpus, no model cache on the machine")
    cold = _ingest(runner, corpus, work / "index-a", cache)
    cached_files = sorted(str(p.relative_to(cache)) for p in cache.rglob("*") if p.is_file())
    log("first ingest into a new index folder, model cache present")
    warm = _ingest(runner, corpus, work / "index-b", cache)
    after = sorted(str(p.relative_to(cache)) for p in cache.rglob("*") if p.is_file())
    beside = sorted(str(p.relative_to(work)) for p in (work / "index-b").rglob("*.onnx"))
    warm["new_cache_files"] = sorted(set(after) - set(cached_files))
    warm["model_files_in_index"] = beside
    shutil.rmtree(work, ignore_errors=True)
    return {"no_cache": cold, "cache_present": warm}


def _bundled_eval(runner: Runner, backend: str) -> Result:
    report = runner.work / f"eval-{backend}"
    cmd = [sys.executable, "-m", "remqa", "--quiet", "eval", "--index",
           str(runner.work / f"eval-index-{backend}"), "--report", str(report)]  # fmt: skip
    runner.capture(cmd, runner.env | {"REMQA_EMBED_BACKEND": backend}, cwd=REPO, check=False)
    data = json.loads((report / "report.json").read_text())
    out: Result = {key: data["metrics"].get(key) for key in BUNDLED_EVAL_KEYS}
    out["answerable"] = sum(1 for item in data["items"] if item["type"] != "unanswerable")
    out["passing_ids"] = sorted(
        i["id"] for i in data["items"] if all(c["passed"] for c in i["checks"].values())
    )
    return out


def _external_eval(runner: Runner, backend: str) -> Result:
    report = runner.work / f"squad-{backend}"
    where = runner.work / f"squad-{backend}-work"
    cmd = [sys.executable, "-m", "remqa", "--quiet", "eval", "--set", "squad",
           "--corpus", str(where / "corpus"), "--index", str(where / "index"),
           "--report", str(report)]  # fmt: skip
    runner.capture(cmd, runner.env | {"REMQA_EMBED_BACKEND": backend}, cwd=REPO, check=False)
    data = json.loads((report / "squad.json").read_text())
    return {"remqa": data["metrics"]["remqa"], "baseline": data["metrics"]["baseline"]}


def measure_eval_by_precision(runner: Runner) -> Result:
    """`remqa eval` (bundled) and `remqa eval --set squad` (external) with fp32 and int8."""
    out: Result = {}
    for backend, name in (("onnx", "fp32"), ("onnx-int8", "int8")):
        log(f"eval under {name}: bundled set")
        bundled = _bundled_eval(runner, backend)
        log(f"eval under {name}: external set (SQuAD articles)")
        out[name] = {"bundled": bundled, "external": _external_eval(runner, backend)}
    return out
