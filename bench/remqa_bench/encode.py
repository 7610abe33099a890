"""Raw encoding with ONNX Runtime and PyTorch (the compute limit); the run's one ONNX export."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from .common import MAX_TOKENS, Clock, Result, corpus_files, log


def worker_prepare(work: Path) -> Result:
    """Export the ONNX models once for the whole run (every worker then reuses them)."""
    from remqa import Settings
    from remqa.index.embedding import load_embedder

    began = time.perf_counter()
    for backend in ("onnx", "onnx-int8"):
        settings = Settings(index_dir=work / "prepare-index", model_cache_dir=work / "models")
        load_embedder(settings.model_copy(update={"embed_backend": backend}))
    return {"onnx_export_seconds": time.perf_counter() - began}


def measure_raw_encode(settings: Any, size: int) -> Result:
    """`chunk_texts`, `embedded_tokens` and `raw_encode` (one entry per backend) for the corpus
    in settings.corpus_dir, cut into the same chunk texts as remqa's index holds."""
    from tokenizers import Tokenizer

    from remqa.index.embedding import load_embed_model, load_embedder
    from remqa.index.onnx_export import model_dir
    from remqa.ingest.chunking import chunk_spans

    out: Result = {}
    # The same chunk texts as the index holds, cut by remqa's own chunker; and the tokens
    # the model reads for them (after the memory reading, so they do not count in it).
    texts: list[str] = []
    for path in corpus_files(settings.corpus_dir):
        text = path.read_text(encoding="utf-8")
        texts += [text[s:e] for s, e in chunk_spans(text, settings.chunk_max_words, 1)]
    tokenizer = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
    tokens = sum(min(len(e.ids), MAX_TOKENS) for e in tokenizer.encode_batch(texts))
    out["chunk_texts"] = len(texts)
    out["embedded_tokens"] = tokens
    raw: Result = {}
    log(f"{size}: raw encode of the same {len(texts)} chunks, ONNX Runtime fp32 (the default)")
    fp32 = load_embedder(settings.model_copy(update={"embed_backend": "onnx"}))
    fp32.get_text_embedding_batch(texts[:32])  # first-run setup outside the clock
    with Clock() as clock:
        fp32_vectors = np.asarray(fp32.get_text_embedding_batch(texts), dtype=np.float32)
    raw["onnx"] = clock.rates(chunks=len(texts), embedded_tokens=tokens)
    log(f"{size}: raw encode, ONNX Runtime int8 per-channel (opt-in)")
    int8 = load_embedder(settings.model_copy(update={"embed_backend": "onnx-int8"}))
    int8.get_text_embedding_batch(texts[:32])
    with Clock() as clock:
        int8_vectors = np.asarray(int8.get_text_embedding_batch(texts), dtype=np.float32)
    raw["onnx_int8"] = clock.rates(chunks=len(texts), embedded_tokens=tokens)
    cosine = (fp32_vectors * int8_vectors).sum(axis=1)  # both are L2-normalised
    out["int8_cosine_to_fp32"] = {
        "mean": float(cosine.mean()),
        "min": float(cosine.min()),
        "p1": float(np.quantile(cosine, 0.01)),
    }
    log(f"{size}: raw encode, PyTorch sentence-transformers")
    model = load_embed_model()._model
    model.encode(texts[:64], batch_size=64, show_progress_bar=False)  # first-call setup
    with Clock() as clock:
        model.encode(texts, batch_size=64, show_progress_bar=False)
    raw["torch"] = clock.rates(chunks=len(texts), embedded_tokens=tokens)
    out["raw_encode"] = raw
    return out
