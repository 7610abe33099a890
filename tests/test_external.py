"""The external eval (SQuAD articles remqa was never tuned on): scoring as SQuAD's official
script does it, the plain baseline beside remqa, and its gates in CI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from remqa.evaluation.squad import (
    DEFAULT_SET,
    f1,
    holds,
    lead_sentence,
    lead_span,
    load_squad,
    normalize,
    question_kind,
)
from tests.conftest import REPO


def test_squad_scoring_is_the_official_normalisation() -> None:
    assert normalize("The  Rhine, (river)!") == "rhine river"
    assert f1("the Danube river", "Danube") == pytest.approx(2 * 0.5 * 1 / 1.5)
    assert f1("Cologne", "Berlin") == 0.0
    gold = load_squad(REPO / DEFAULT_SET)[0].questions[0].answers
    assert holds("It flows into the North Sea in the Netherlands.", gold)


def test_lead_is_the_bold_short_answer_else_the_first_sentence() -> None:
    answer = "**Aristotle** — Aristotle held that objects seek a natural state. [1]\n\nMore [2]"
    assert lead_span(answer) == "Aristotle"
    assert lead_sentence(answer).startswith("Aristotle — Aristotle held")
    assert lead_span("Plain sentence here. [1] more") == "Plain sentence here."


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many cantons does the Rhine cross?", "how many"),
        ("How long is the Rhine?", "how long/far/big"),
        ("What year did the union happen?", "when"),
        ("Who had the idea?", "who"),
        ("In which country is the lake?", "which"),
        ("The river ends where?", "where"),
    ],
)
def test_question_kinds(question: str, kind: str) -> None:
    assert question_kind(question) == kind


def test_gold_answers_map_to_exact_file_offsets() -> None:
    for article in load_squad(REPO / DEFAULT_SET):
        for question in article.questions:
            for gold in question.answers:
                assert article.text[gold.start : gold.end] == gold.text


def test_external_eval_gates_pass_with_the_baseline_beside_remqa(tmp_path: Path) -> None:
    """The CI gate on the external articles: each answered by a selector trained without it."""
    result = subprocess.run(
        [sys.executable, "-m", "remqa", "-q", "eval", "--set", "squad",
         "--report", str(tmp_path / "report"),
         "--corpus", str(tmp_path / "corpus"), "--index", str(tmp_path / "index")],
        cwd=REPO, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    report = json.loads((tmp_path / "report" / "squad.json").read_text())
    failed = [g for g in report["gates"] if not g["passed"]]
    assert result.returncode == 0, f"{failed}\n{result.stdout[-3000:]}{result.stderr[-2000:]}"
    remqa, baseline = report["metrics"]["remqa"], report["metrics"]["baseline"]
    assert remqa["answerable"] == 649 and remqa["unanswerable"] == 208
    assert remqa["first_sentence"] > baseline["first_sentence"]
    assert remqa["lead_f1"] > baseline["lead_f1"]
    assert {r["threshold"] for r in report["tradeoff"]} >= {0.1, 0.3}
    assert "plain baseline" in result.stdout and "By question type" in result.stdout
    markdown = (tmp_path / "report" / "squad.md").read_text()
    assert "| measure | remqa | plain baseline |" in markdown


def test_refusal_tradeoff_counts_figure_answers_as_they_were_decided() -> None:
    from remqa.evaluation.external import ExternalResult, refusal_tradeoff

    def result(impossible: bool, refused: bool, confidence: float | None) -> ExternalResult:
        return ExternalResult(id="q", article="a", kind="what", question="?",
                              impossible=impossible, answer="", refused=refused,
                              confidence=confidence)  # fmt: skip

    results = [
        result(False, False, 0.9),  # answerable, sure
        result(False, True, None),  # answerable figure question the binding refused
        result(True, False, 0.2),  # unanswerable, the selector half sure
        result(True, False, None),  # unanswerable figure question the binding answered
    ]
    rows = {r["threshold"]: r for r in refusal_tradeoff(results)}
    assert rows[0.1] == {"threshold": 0.1, "answerable_refused": 0.5, "unanswerable_refused": 0.0}
    assert rows[0.3]["unanswerable_refused"] == 0.5 and rows[0.3]["answerable_refused"] == 0.5
    assert refusal_tradeoff([result(False, True, None)]) == []  # no selector: no trade-off
