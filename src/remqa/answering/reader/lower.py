"""The reading model's lower part: the packaged embeddings (and any frozen layers) as ONNX,
made once per machine.

It lives in the embedding model's cache folder (REMQA_MODEL_CACHE_DIR or the user cache), in
a subfolder named by a key: the model package's version, a hash of its weights, the export
options and how many layers are cut; the int8 file's name adds the quantization and
onnxruntime's version. The export runs in a child process (export.py) under a file lock, the
way index/model_cache.py makes the embedding model's files, so the asking process never
loads torch and two first runs export once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any, Literal

from remqa.answering.reader.export import LOWER_FP32
from remqa.index.model_cache import (
    PACKAGE,
    WEIGHTS,
    default_cache_dir,
    made_once,
    quantization_key,
    run_export,
    weights_digest,
)
from remqa.index.onnx_export import EXPORT_OPTIONS, model_dir

logger = logging.getLogger(__name__)

Precision = Literal["fp32", "int8"]


def lower_key(layers: int, cache: Path) -> dict[str, Any]:
    """Everything the fp32 lower part depends on: it names its folder."""
    return {
        "package": f"{PACKAGE}=={version(PACKAGE)}",
        "weights_sha256": weights_digest(model_dir() / WEIGHTS, cache),
        "export": {
            "opset": EXPORT_OPTIONS["opset"],
            "attention": "eager",
            "part": "lower",
            "layers": layers,
            "output": "hidden states",
        },  # fmt: skip
    }


def _digest(key: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]


def lower_file(precision: Precision, layers: int, cache: Path) -> Path:
    folder = cache / f"reader-lower{layers}-{version(PACKAGE)}-{_digest(lower_key(layers, cache))}"
    name = LOWER_FP32 if precision == "fp32" else f"lower-int8-{_digest(quantization_key())}.onnx"
    return folder / name


def cached_lower(precision: Precision, layers: int, cache: Path | None = None) -> Path:
    """The lower part's ONNX file, exported into the cache first if it is not there.
    Raises ModelCacheError (saying what to set) when it can be neither found nor made."""
    cache = (cache or default_cache_dir()).expanduser().resolve()
    return made_once(
        lambda: lower_file(precision, layers, cache),
        cache,
        lambda target: _export_in_child(target, layers, cache),
    )


def _export_in_child(target: Path, layers: int, cache: Path) -> None:
    logger.info("Preparing the reading model for this machine (once): %s", target)
    int8_file = "" if target.name == LOWER_FP32 else target.name
    manifest: dict[str, Any] = {"export": lower_key(layers, cache), "fp32": LOWER_FP32}
    if int8_file:
        manifest["int8"] = {"file": int8_file, "quantization": quantization_key()}
    command = [sys.executable, "-m", "remqa.answering.reader.export", str(target.parent),
               "--layers", str(layers), "--int8-file", int8_file,
               "--manifest", json.dumps(manifest, indent=1)]  # fmt: skip
    run_export(
        command,
        what="the reading model's lower part",
        slow="try again on a less busy machine.",
        failed="Check that torch is installed (scripts/install.sh installs it).",
    )
