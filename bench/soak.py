"""Soak: many questions from concurrent gradio_client sessions against the running chat.

    .venv/bin/python bench/soak.py [--questions 200] [--sessions 8] [--out bench/results/soak.json]

Starts the chat on the bundled corpus (a temporary index), asks eval-set questions whose
answers are known, from several client sessions at once, and reports errors, wrong answers,
latency (median, p95) and the server process's memory before and after.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass
class SoakResult:
    questions: int
    sessions: int
    errors: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    rss_before_mb: float = 0.0
    rss_after_mb: float = 0.0

    def summary(self) -> dict[str, object]:
        ordered = sorted(self.latencies_ms)
        return {
            "questions": self.questions, "sessions": self.sessions,
            "errors": len(self.errors), "wrong_answers": len(self.wrong),
            "latency_ms_p50": statistics.median(ordered) if ordered else None,
            "latency_ms_p95": ordered[int(0.95 * (len(ordered) - 1))] if ordered else None,
            "rss_before_mb": round(self.rss_before_mb, 1),
            "rss_after_mb": round(self.rss_after_mb, 1),
        }  # fmt: skip


def rss_mb() -> float:
    """Resident memory of this process (the server runs in it), from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def known_questions() -> list[tuple[str, str]]:
    """(question, expected figure) for eval items that pass in the committed baseline."""
    import yaml

    passing = set(json.loads((REPO / "eval" / "baseline.json").read_text())["passing"])
    items = yaml.safe_load((REPO / "eval" / "questions.yaml").read_text())
    return [
        (i["question"], i["figures"][0])
        for i in items
        if i["type"] == "figure" and i["id"] in passing
    ]


def soak(url: str, questions: int, sessions: int) -> SoakResult:
    """Ask `questions` known questions from `sessions` concurrent client sessions."""
    from gradio_client import Client

    from remqa.answering.figures import contains_figure

    pool = known_questions()
    work = [pool[i % len(pool)] for i in range(questions)]
    result = SoakResult(questions=questions, sessions=sessions)
    lock = threading.Lock()
    local = threading.local()

    def ask(pair: tuple[str, str]) -> None:
        question, figure = pair
        if not hasattr(local, "client"):
            local.client = Client(url, verbose=False)  # one session per worker thread
        started = time.perf_counter()
        try:
            answer = local.client.predict(question, "", api_name="/ask")
        except Exception as exc:  # noqa: BLE001 - counted, the soak goes on
            with lock:
                result.errors.append(f"{question}: {exc}")
            return
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            result.latencies_ms.append(elapsed)
            if not contains_figure(answer["text"], figure):
                result.wrong.append(f"{question}: expected {figure}")

    with ThreadPoolExecutor(max_workers=sessions) as executor:
        list(executor.map(ask, work))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "soak.json")
    args = parser.parse_args()

    from remqa import Settings
    from remqa.server.app import launch

    work = Path(tempfile.mkdtemp(prefix="remqa-soak-"))
    shutil.copytree(REPO / "corpus", work / "corpus")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    settings = Settings(
        corpus_dir=work / "corpus", index_dir=work / "index", show_progress=False, port=port
    )
    app = launch(settings)
    url = app.url
    try:
        soak(url, 8, 1)  # warm up: index built, model loaded
        before = rss_mb()
        result = soak(url, args.questions, args.sessions)
        result.rss_before_mb, result.rss_after_mb = before, rss_mb()
    finally:
        app.close()
        shutil.rmtree(work, ignore_errors=True)
    summary = result.summary()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2) + "\n")
    for key, value in summary.items():
        print(f"{key:<16}{value}")
    print(f"written to {args.out}")
    sys.exit(1 if result.errors or result.wrong else 0)


if __name__ == "__main__":
    main()
