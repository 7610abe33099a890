"""Shared by every measurement: constants, progress log, percentiles, clocks, memory and disk."""

from __future__ import annotations

import os
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SIZES = [1000, 10000, 50000]
SEED = 7
MAX_TOKENS = 256  # all-MiniLM-L6-v2 truncates its input here (sentence-transformers default)
GB = 1024**3
MB = 1024**2

Result = dict[str, Any]


def log(message: str) -> None:
    """One progress line on stderr."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (as bench/bench_ask.py)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def disk_usage(folder: Path, exclude: Path | None = None) -> int:
    """Bytes allocated on disk under folder, like `du -s`, leaving out `exclude`."""
    total = 0
    for root, dirs, files in os.walk(folder):
        if exclude is not None:
            dirs[:] = [d for d in dirs if Path(root, d).resolve() != exclude.resolve()]
        for name in files:
            total += os.lstat(Path(root, name)).st_blocks * 512
    return total


def peak_rss_bytes() -> int:
    """High-water mark of this process's resident memory (ru_maxrss is in KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


class Clock:
    """Wall time and CPU time (all threads of this process) of a `with` block.

    CPU seconds over wall seconds is how many cores the block kept busy on average: under the
    core count when part of the work is serial, or when other processes took the CPU."""

    def __enter__(self) -> Clock:
        self.seconds, self.cpu_seconds = time.perf_counter(), _cpu_seconds()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.seconds
        self.cpu_seconds = _cpu_seconds() - self.cpu_seconds

    def rates(self, **counts: float) -> Result:
        """Seconds, CPU seconds, cores used and `<name>_per_s` for each count."""
        out: Result = {
            "seconds": self.seconds,
            "cpu_seconds": self.cpu_seconds,
            "cores_used": self.cpu_seconds / self.seconds,
        }
        return out | {f"{name}_per_s": n / self.seconds for name, n in counts.items()}


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def corpus_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.txt"))


def short_size(n: int) -> str:
    """1000 -> '1k', 200 -> '200': a corpus size as the tables and floors name it."""
    return f"{n // 1000}k" if n % 1000 == 0 and n >= 1000 else str(n)
