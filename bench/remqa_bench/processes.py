"""Child processes of a bench run: one at a time, in the run's own environment, stopped
on interrupt. Shared by the orchestrator (runner.py) and the measurements that start
processes of their own (cold.py, precision.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from .common import REPO, Result

SCRIPT = REPO / "bench" / "run.py"  # the entry point; workers are new processes of it


def worker_env(work: Path) -> dict[str, str]:
    """Environment of every child process: offline, quiet, the run's own model cache."""
    return os.environ | {
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "ANONYMIZED_TELEMETRY": "False",
        "REMQA_MODEL_CACHE_DIR": str(work / "models"),
        "REMQA_SHOW_PROGRESS": "false",
    }


class Runner:
    """Starts workers and commands one at a time; stops the running one on interrupt."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.env = worker_env(work)
        self.child: subprocess.Popen[bytes] | None = None

    def run(self, cmd: list[str], quiet: bool = False) -> None:
        """Run cmd to completion (its stdout goes to our stderr, or nowhere when quiet)."""
        sink = subprocess.DEVNULL if quiet else sys.stderr
        self.child = subprocess.Popen(
            cmd, cwd=self.work, env=self.env, stdout=sink, stderr=sink if quiet else None
        )
        code = self.child.wait()
        self.child = None
        if code != 0:
            raise RuntimeError(f"exit status {code}: {' '.join(cmd)}")

    def worker(self, kind: str, size: int = 0) -> Result:
        result = self.work / f"result-{kind}-{size}.json"
        args = ["--worker", kind, "--work", str(self.work), "--size", str(size)]
        self.run([sys.executable, str(SCRIPT), *args, "--result", str(result)])
        data: Result = json.loads(result.read_text())
        return data

    def capture(
        self, cmd: list[str], env: dict[str, str], cwd: Path | None = None, check: bool = True
    ) -> str:
        """Run cmd to completion and return its stdout (stderr goes to ours)."""
        self.child = subprocess.Popen(
            cmd, cwd=cwd or self.work, env=env, stdout=subprocess.PIPE, text=True
        )
        out, _ = self.child.communicate()
        code, self.child = self.child.returncode, None
        if check and code != 0:
            raise RuntimeError(f"exit status {code}: {' '.join(cmd)}")
        return out

    def timed(self, cmd: list[str]) -> float:
        began = time.perf_counter()
        self.run(cmd, quiet=True)
        return time.perf_counter() - began

    def stop(self) -> None:
        """End the running child (by its own pid), if any."""
        child, self.child = self.child, None
        if child is None or child.poll() is not None:
            return
        child.terminate()
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
