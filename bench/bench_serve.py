"""Benchmark: serving other tools. One run measures, on the bundled corpus,

- `Assistant.ask` in process (the baseline every HTTP figure is compared with),
- `POST /api/ask` with one client and with eight at once (p50, p95, errors, questions/s),
- `POST /v1/chat/completions` (the OpenAI shape) with one client,
- Gradio's `/ask` through `gradio_client` with one client and with eight,

against a `remqa serve` in its own process, and ingest with int8 (the default) against fp32
on a generated corpus (bench/corpus_gen.py), alternating runs, each into a fresh index.

    .venv/bin/python bench/bench_serve.py [--rounds 2] [--ingest-chunks 2000]

Prints a table and writes the figures to bench/results/serve.json. Medians and 95th
percentiles over every request; each client asks the eval questions in its own order.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))  # corpus_gen

Timings = dict[str, Any]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(latencies_ms: list[float], wall_s: float, errors: int) -> Timings:
    return {
        "requests": len(latencies_ms) + errors,
        "errors": errors,
        "p50_ms": statistics.median(latencies_ms) if latencies_ms else None,
        "p95_ms": percentile(latencies_ms, 0.95) if latencies_ms else None,
        "questions_per_s": len(latencies_ms) / wall_s if wall_s else None,
    }


def load(
    make_client: Callable[[], Any],
    ask: Callable[[Any, str], Any],
    questions: list[str],
    clients: int,
    rounds: int,
) -> Timings:
    """`clients` threads, each with its own client, each asking every question `rounds`
    times, starting at a different question; every request timed."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def run(offset: int) -> None:
        client = make_client()
        order = questions[offset:] + questions[:offset]
        start.wait()
        for _ in range(rounds):
            for question in order:
                began = time.perf_counter()
                try:
                    ask(client, question)
                except Exception:  # noqa: BLE001 - counted, not fatal
                    with lock:
                        errors[0] += 1
                    continue
                with lock:
                    latencies.append((time.perf_counter() - began) * 1000)

    step = max(1, len(questions) // clients)
    threads = [threading.Thread(target=run, args=(i * step,)) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summary(latencies, time.perf_counter() - began, errors[0])


def api_ask(client: Any, question: str) -> None:
    response = client.post("api/ask", json={"question": question})
    response.raise_for_status()


def chat_completion(client: Any, question: str) -> None:
    body = {"model": "remqa", "messages": [{"role": "user", "content": question}]}
    client.post("v1/chat/completions", json=body).raise_for_status()


def gradio_ask(client: Any, question: str) -> None:
    client.predict(question, "", api_name="/ask")


def gradio_rest(client: Any, question: str) -> None:
    """Gradio's own REST protocol for /ask, without gradio_client: POST, then read the
    event stream until the result."""
    event = client.post("gradio_api/call/ask", json={"data": [question, ""]}).json()["event_id"]
    with client.stream("GET", f"gradio_api/call/ask/{event}") as stream:
        finished = False
        for line in stream.iter_lines():
            if line.startswith(("event: complete", "event: error")):
                finished = True
            elif finished and line.startswith("data:"):
                return


def start_server(work: Path, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    import httpx

    server = subprocess.Popen(
        [sys.executable, "-m", "remqa", "serve", "--port", str(port),
         "--corpus", str(work / "corpus"), "--index", str(work / "index")],
        cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/models", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.kill()
    raise RuntimeError("remqa serve did not start")


def measure_ingest(work: Path, chunks: int, runs: int, env: dict[str, str]) -> Timings:
    """`remqa ingest` of a generated corpus into a fresh index, fp32 and int8 alternating,
    with the model cache already made (a first-ever export is not what is compared)."""
    from corpus_gen import generate

    corpus = work / "ingest-corpus"
    generate(corpus, chunks, 7)
    times: dict[str, list[float]] = {"onnx": [], "onnx-int8": []}
    for run in range(runs + 1):  # run 0 warms the cache and the page cache, untimed
        for backend in times:
            index = work / f"ingest-index-{backend}-{run}"
            began = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "remqa", "--quiet", "ingest", "--corpus", str(corpus),
                 "--index", str(index)],
                env=env | {"REMQA_EMBED_BACKEND": backend}, cwd=work, check=True,
                capture_output=True,
            )  # fmt: skip
            if run:
                times[backend].append(time.perf_counter() - began)
            shutil.rmtree(index, ignore_errors=True)
    from remqa.ingest.chunking import chunk_spans

    made = sum(
        len(chunk_spans(p.read_text(encoding="utf-8"), 60, 1)) for p in corpus.rglob("*.txt")
    )
    fp32, int8 = statistics.median(times["onnx"]), statistics.median(times["onnx-int8"])
    return {
        "chunks": made,
        "fp32_s": fp32,
        "int8_s": int8,
        "fp32_chunks_per_s": made / fp32,
        "int8_chunks_per_s": made / int8,
        "int8_speedup": fp32 / int8,
        "runs": runs,
        "all_s": times,
    }


def in_process(settings: Any, questions: list[str], rounds: int) -> tuple[str, Timings]:
    """`Assistant.ask` in this process: the baseline. Built and let go before the server
    process opens the same index."""
    from remqa import Assistant

    assistant = Assistant(settings)
    assistant.ingest()
    assistant.ask("warm up the model")
    first = load(lambda: assistant, lambda a, q: a.ask(q), questions, 1, 1)
    again = load(lambda: assistant, lambda a, q: a.ask(q), questions, 1, rounds)
    return assistant.index_settings.embed_backend, {"first_time": first, "repeated": again}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=2, help="passes over the questions")
    parser.add_argument("--ingest-chunks", type=int, default=2000, help="generated corpus size")
    parser.add_argument("--ingest-runs", type=int, default=3, help="timed ingests per precision")
    parser.add_argument("--port", type=int, default=7871)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "serve.json")
    args = parser.parse_args()

    import httpx
    from gradio_client import Client

    from remqa import Settings
    from remqa.evaluation.evalset import load_eval_set

    work = Path(tempfile.mkdtemp(prefix="remqa-bench-serve-"))
    shutil.copytree(REPO / "corpus", work / "corpus")
    env = os.environ | {
        "REMQA_MODEL_CACHE_DIR": str(work / "models"),
        "REMQA_SHOW_PROGRESS": "false",
        "REMQA_CHAT_SECRET_FILE": str(work / "chat-secret"),
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    os.environ.update(env)
    questions = [
        i.question for i in load_eval_set(REPO / "eval" / "questions.yaml") if not i.history
    ]
    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
        },
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip(),
        "questions": len(questions),
        "rounds": args.rounds,
    }

    print("in-process ask (baseline) ...", file=sys.stderr)
    settings = Settings(corpus_dir=work / "corpus", index_dir=work / "index", show_progress=False)
    results["embedding"], results["in_process"] = in_process(settings, questions, args.rounds)

    server = start_server(work, args.port, env)
    url = f"http://127.0.0.1:{args.port}/"
    try:

        def http() -> httpx.Client:
            return httpx.Client(base_url=url, timeout=60)

        def gradio() -> Client:
            return Client(url, verbose=False)

        def gradio_plain_http() -> Client:
            # gradio_client builds a new httpx client, loading the CA bundle (~20 ms here),
            # for every request unless told there is no certificate to check (http://).
            return Client(url, verbose=False, ssl_verify=False)

        print("HTTP API ...", file=sys.stderr)
        results["api_ask_1_first_time"] = load(http, api_ask, questions, 1, 1)
        results["api_ask_1"] = load(http, api_ask, questions, 1, args.rounds)
        results["api_ask_8"] = load(http, api_ask, questions, 8, args.rounds)
        results["chat_completions_1"] = load(http, chat_completion, questions, 1, args.rounds)
        results["chat_completions_8"] = load(http, chat_completion, questions, 8, args.rounds)
        print("Gradio /ask ...", file=sys.stderr)
        results["gradio_ask_1"] = load(gradio, gradio_ask, questions, 1, args.rounds)
        results["gradio_ask_1_no_ca_bundle"] = load(
            gradio_plain_http, gradio_ask, questions, 1, args.rounds
        )
        results["gradio_ask_8"] = load(gradio, gradio_ask, questions, 8, args.rounds)
        results["gradio_rest_1"] = load(http, gradio_rest, questions, 1, args.rounds)
    finally:
        server.terminate()
        server.wait(timeout=30)

    print("ingest, int8 against fp32 ...", file=sys.stderr)
    results["ingest"] = measure_ingest(work, args.ingest_chunks, args.ingest_runs, env)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)
    print(f"written to {args.out}")
    shutil.rmtree(work, ignore_errors=True)


def print_table(results: dict[str, Any]) -> None:
    base = results["in_process"]["repeated"]["p50_ms"]
    rows = [
        ("Assistant.ask in process, first time", results["in_process"]["first_time"]),
        ("Assistant.ask in process, asked again", results["in_process"]["repeated"]),
        ("POST /api/ask, 1 client, first time", results["api_ask_1_first_time"]),
        ("POST /api/ask, 1 client", results["api_ask_1"]),
        ("POST /api/ask, 8 clients", results["api_ask_8"]),
        ("POST /v1/chat/completions, 1 client", results["chat_completions_1"]),
        ("POST /v1/chat/completions, 8 clients", results["chat_completions_8"]),
        ("Gradio /ask (gradio_client), 1 client", results["gradio_ask_1"]),
        ("Gradio /ask (gradio_client, ssl_verify=False), 1 client",
         results["gradio_ask_1_no_ca_bundle"]),
        ("Gradio /ask (gradio_client), 8 clients", results["gradio_ask_8"]),
        ("Gradio /ask (its REST protocol, httpx), 1 client", results["gradio_rest_1"]),
    ]
    print("| measure | p50 (ms) | p95 (ms) | x in-process p50 | questions/s | errors |")
    print("| :--- | ---: | ---: | ---: | ---: | ---: |")
    for label, row in rows:
        print(
            f"| {label} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | "
            f"{row['p50_ms'] / base:.2f}x | {row['questions_per_s']:.1f} | {row['errors']} |"
        )
    ingest = results["ingest"]
    print()
    print(f"| ingest of {ingest['chunks']:,} chunks (median of {ingest['runs']}) | s | chunks/s |")
    print("| :--- | ---: | ---: |")
    print(f"| fp32 | {ingest['fp32_s']:.1f} | {ingest['fp32_chunks_per_s']:.0f} |")
    print(f"| int8 (default) | {ingest['int8_s']:.1f} | {ingest['int8_chunks_per_s']:.0f} |")
    print(f"| int8 / fp32 | {ingest['int8_speedup']:.2f}x | |")


if __name__ == "__main__":
    main()
