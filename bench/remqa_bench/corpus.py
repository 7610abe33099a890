"""The generated corpus of one size: writing it (bench/corpus_gen.py) and counting what it holds."""

from __future__ import annotations

import json
import time
from pathlib import Path

from .common import Result, corpus_files, log


def corpus_stats(folder: Path) -> Result:
    """Files, words, characters and remqa chunks of a generated corpus."""
    from remqa.ingest.chunking import chunk_spans

    files = corpus_files(folder)
    texts = [f.read_text(encoding="utf-8") for f in files]
    return {
        "files": len(files),
        "chunks": sum(len(chunk_spans(t, 60, 1)) for t in texts),
        "words": sum(len(t.split()) for t in texts),
        "chars": sum(len(t) for t in texts),
    }


def generate_corpus(
    work: Path, size: int, seed: int
) -> tuple[Result, list[tuple[str, str]], float]:
    """Write corpus-<size>/ and corpus-<size>.json (its stats and questions, which the workers
    read) under work; return the stats, the (question, figure) pairs and the seconds taken."""
    # bench/ is on sys.path: it is the folder of bench/run.py, the script being run.
    from corpus_gen import generate

    corpus = work / f"corpus-{size}"
    log(f"{size}: generating the corpus (seed {seed})")
    began = time.perf_counter()
    pairs = generate(corpus, size, seed)
    stats = corpus_stats(corpus)
    (work / f"corpus-{size}.json").write_text(json.dumps(stats | {"questions": pairs}))
    seconds = time.perf_counter() - began
    log(f"{size}: {stats['files']} files, {stats['chunks']} chunks, {stats['words']:,} words")
    return stats, pairs, seconds
