"""Benchmark: questions scoped to chosen files. Warm `Assistant.ask` on a corpus of several
files (the bundled article and the three SQuAD articles of eval/squad/), asking the bundled
eval questions

- over all documents,
- scoped to the bundled article alone (dense: Chroma `where`; BM25: a weight mask),
- scoped to the bundled article and one other file,

each question asked `--rounds` times, modes interleaved so that load on the machine falls on
all of them alike. The index is built once in a temporary folder.

    .venv/bin/python bench/bench_scope.py [--rounds 3]

Prints median and 95th percentile per mode, of the whole `ask` and of retrieval alone (the
query already embedded), and writes them to bench/results/scope.json.
"""

from __future__ import annotations

import argparse
import inspect
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
ARTICLE = "rare-earths-us-china-russia.txt"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "bench/results/scope.json")
    args = parser.parse_args()

    from remqa import Assistant, Settings
    from remqa.evaluation.evalset import load_eval_set
    from remqa.evaluation.squad import load_squad, write_corpus

    work = Path(tempfile.mkdtemp(prefix="remqa-bench-scope-"))
    try:
        corpus = work / "corpus"
        write_corpus(load_squad(), corpus)
        shutil.copy(REPO / "corpus" / ARTICLE, corpus / ARTICLE)
        settings = Settings(corpus_dir=corpus, index_dir=work / "index", show_progress=False)
        assistant = Assistant(settings)
        assistant.ingest()
        files = sorted(p.name for p in corpus.iterdir())
        other = next(f for f in files if f != ARTICLE)
        questions = [i.question for i in load_eval_set(REPO / "eval/questions.yaml")]
        modes: dict[str, list[str] | None] = {"all documents": None}
        if "sources" in inspect.signature(assistant.ask).parameters:
            modes |= {"one file": [ARTICLE], "two files": [ARTICLE, other]}
        for question in questions[:5]:  # warm: model, index, caches
            assistant.ask(question)
        times: dict[str, list[float]] = {mode: [] for mode in modes}
        retrieval: dict[str, list[float]] = {mode: [] for mode in modes}
        retriever = assistant.retriever
        vectors = {q: assistant.similarity.embed_query(q) for q in questions}
        for _ in range(args.rounds):
            for question in questions:
                for mode, sources in modes.items():
                    extra: dict[str, Any] = {"sources": sources} if sources else {}
                    start = time.perf_counter()
                    assistant.ask(question, **extra)
                    times[mode].append((time.perf_counter() - start) * 1000)
                    start = time.perf_counter()
                    retriever.retrieve(question, vectors[question], **extra)
                    retrieval[mode].append((time.perf_counter() - start) * 1000)
        result = {
            "files": len(files),
            "chunks": len(assistant.retriever.chunks),
            "questions": len(questions),
            "rounds": args.rounds,
            "modes": {
                mode: {
                    "p50_ms": round(statistics.median(ms), 2),
                    "p95_ms": round(percentile(ms, 0.95), 2),
                    "retrieve_p50_ms": round(statistics.median(retrieval[mode]), 2),
                    "retrieve_p95_ms": round(percentile(retrieval[mode], 0.95), 2),
                }
                for mode, ms in times.items()
            },
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{result['files']} files, {result['chunks']} chunks, {result['questions']} questions")
    print(f"  {'':14s} {'ask p50':>9s} {'p95':>9s} {'retrieve p50':>13s} {'p95':>9s}  (ms)")
    for mode, f in result["modes"].items():
        print(
            f"  {mode:14s} {f['p50_ms']:9.2f} {f['p95_ms']:9.2f} "
            f"{f['retrieve_p50_ms']:13.2f} {f['retrieve_p95_ms']:9.2f}"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
