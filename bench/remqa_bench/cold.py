"""Cold start: a fresh `python -m remqa ask` next to a bare `import sentence_transformers`."""

from __future__ import annotations

import shutil
import statistics
import sys
from typing import TYPE_CHECKING

from .common import REPO, Result, log

if TYPE_CHECKING:
    from .processes import Runner

COLD_QUESTION = "How much is the gallium market worth?"


def measure_cold(runner: Runner, runs: int) -> Result:
    """Cold `python -m remqa ask` on the bundled corpus vs a bare sentence-transformers import."""
    work = runner.work / "bundled"
    shutil.copytree(REPO / "corpus", work / "corpus")
    where = ["--corpus", str(work / "corpus"), "--index", str(work / "index")]
    log("cold start: indexing the bundled corpus")
    runner.run([sys.executable, "-m", "remqa", "--quiet", "ingest", *where], quiet=True)
    ask = [sys.executable, "-m", "remqa", "ask", COLD_QUESTION, *where]
    bare = [sys.executable, "-c", "import sentence_transformers"]
    runner.timed(ask)  # one untimed start of each first, so the page cache holds both
    runner.timed(bare)
    ask_times: list[float] = []
    import_times: list[float] = []
    for i in range(runs):  # interleaved, so drift in machine load hits both alike
        log(f"cold start: run {i + 1} of {runs}")
        ask_times.append(runner.timed(ask))
        import_times.append(runner.timed(bare))
    shutil.rmtree(work, ignore_errors=True)
    return {
        "runs": runs,
        "question": COLD_QUESTION,
        "remqa_ask_s": statistics.median(ask_times),
        "import_sentence_transformers_s": statistics.median(import_times),
        "ratio": statistics.median(ask_times) / statistics.median(import_times),
        "remqa_ask_all_s": ask_times,
        "import_all_s": import_times,
    }
