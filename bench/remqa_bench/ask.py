"""Warm `Assistant.ask` latency over a corpus's questions, and whether answers hold the figure."""

from __future__ import annotations

import statistics
import time
from typing import Any

from .common import Result, log, percentile

WARM_UP_QUESTION = "warm up the model"


def _timed_asks(assistant: Any, pairs: list[tuple[str, str]]) -> tuple[list[float], list[bool]]:
    from remqa.answering.figures import contains_figure

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


def measure_ask(assistant: Any, pairs: list[tuple[str, str]], size: int) -> Result:
    """After one warm-up question, two timed passes over the (question, expected figure) pairs."""
    assistant.ask(WARM_UP_QUESTION)  # loads the model, the index and BM25
    first, found = _timed_asks(assistant, pairs)
    second, found_again = _timed_asks(assistant, pairs)
    out: Result = {
        "questions": len(pairs),
        "first_pass_ms": {"p50": statistics.median(first), "p95": percentile(first, 0.95)},
        "second_pass_ms": {"p50": statistics.median(second), "p95": percentile(second, 0.95)},
        "expected_figure_share": sum(found) / len(found),
        "expected_figure_share_second_pass": sum(found_again) / len(found_again),
        "missed": [q for (q, _), hit in zip(pairs, found, strict=True) if not hit],
    }
    log(f"{size}: warm ask p50 {out['first_pass_ms']['p50']:.1f} ms")
    return out
