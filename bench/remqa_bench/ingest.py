"""remqa ingest from an empty index and re-ingest unchanged, in the per-size remqa worker."""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from .ask import measure_ask
from .common import Clock, Result, disk_usage, log, peak_rss_bytes
from .encode import measure_raw_encode


def measure_ingest(assistant: Any, size: int, words: int) -> Result:
    """Wall and CPU time of `Assistant.ingest()` from an empty index, as rates."""
    with Clock() as clock:
        report = assistant.ingest()
    out = clock.rates(chunks=report.chunks_total, words=words) | {
        "chunks": report.chunks_total,
        "chunks_embedded": report.chunks_embedded,
    }
    log(f"{size}: ingest {report.chunks_total} chunks in {clock.seconds:.1f} s")
    return out


def measure_reingest(assistant: Any, size: int) -> Result:
    """A second `Assistant.ingest()` of the unchanged corpus: time and chunks embedded."""
    began = time.perf_counter()
    again = assistant.ingest()
    out: Result = {
        "seconds": time.perf_counter() - began,
        "chunks_embedded": again.chunks_embedded,
        "unchanged_files": len(again.unchanged),
    }
    log(f"{size}: re-ingest {out['seconds']:.2f} s, {again.chunks_embedded} embedded")
    return out


def worker_remqa(work: Path, size: int) -> Result:
    """remqa at one size: ingest, re-ingest, warm ask, peak RSS, disk; then raw encoding."""
    # Libraries are imported before the clock starts, as on the LlamaIndex side; so are the
    # modules the raw encode uses afterwards.
    import chromadb  # noqa: F401
    import llama_index.core  # noqa: F401
    import onnxruntime  # noqa: F401
    import tokenizers  # noqa: F401

    import remqa.index.embedding  # noqa: F401
    import remqa.index.onnx_embed  # noqa: F401
    import remqa.ingest.chunking  # noqa: F401
    from remqa import Assistant, Settings

    spec = json.loads((work / f"corpus-{size}.json").read_text())
    pairs = [(q, f) for q, f in spec["questions"]]
    settings = Settings(
        corpus_dir=work / f"corpus-{size}",
        index_dir=work / f"index-{size}",
        model_cache_dir=work / "models",
        show_progress=False,
    )
    out: Result = {}

    log(f"{size}: remqa ingest from an empty index")
    assistant = Assistant(settings)
    out["ingest"] = measure_ingest(assistant, size, spec["words"])
    out["reingest"] = measure_reingest(assistant, size)
    out["ask"] = measure_ask(assistant, pairs, size)

    out["peak_rss_bytes"] = peak_rss_bytes()
    out["torch_loaded_before_peak"] = "torch" in sys.modules
    out["index_bytes"] = disk_usage(settings.index_dir)

    log(f"{size}: remqa ingest from an empty index, int8 (REMQA_EMBED_BACKEND=onnx-int8)")
    int8 = settings.model_copy(
        update={"embed_backend": "onnx-int8", "index_dir": work / f"index-{size}-int8"}
    )
    out["ingest_int8"] = measure_ingest(Assistant(int8), size, spec["words"])
    shutil.rmtree(int8.index_dir, ignore_errors=True)

    raw = measure_raw_encode(settings, size)  # chunk_texts, embedded_tokens, raw_encode
    out["chunk_texts"] = raw["chunk_texts"]
    out["embedded_tokens"] = raw["embedded_tokens"]
    out["ingest"]["embedded_tokens_per_s"] = raw["embedded_tokens"] / out["ingest"]["seconds"]
    out["raw_encode"] = raw["raw_encode"]
    out["int8_cosine_to_fp32"] = raw["int8_cosine_to_fp32"]
    fp32_raw = raw["raw_encode"]["onnx"]["chunks_per_s"]
    out["ingest_vs_fp32_raw"] = out["ingest"]["chunks_per_s"] / fp32_raw
    out["ingest_int8_vs_fp32_raw"] = out["ingest_int8"]["chunks_per_s"] / fp32_raw
    return out
