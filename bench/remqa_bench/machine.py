"""The machine and checkout a run was measured on: CPU, RAM, Python, packages, git commit."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .common import REPO, Result

PACKAGES = [
    "remqa",
    "llama-index-core",
    "llama-index-embeddings-huggingface",
    "llama-index-vector-stores-chroma",
    "chromadb",
    "sentence-transformers",
    "onnxruntime",
    "torch",
    "transformers",
]


def machine() -> Result:
    """CPU, cores, RAM, Python and package versions of this machine."""
    cpu = "unknown"
    ram = 0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) * 1024
    except OSError:
        pass
    versions: dict[str, str] = {}
    for name in PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "ram_bytes": ram,
        "load_average_at_start": list(os.getloadavg()),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": versions,
    }


def git_commit() -> Result:
    """The commit checked out, and whether tracked files differ from it (read-only git)."""
    env = os.environ | {"GIT_OPTIONAL_LOCKS": "0"}  # never writes the index

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, env=env, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    return {
        "commit": git("rev-parse", "HEAD") or "unknown",
        "modified_files": bool(git("status", "--porcelain", "--untracked-files=no")),
    }
