"""The eval gate: the real assistant passes it, a weakened one fails it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
import yaml

from remqa import Answer, Assistant, Settings
from remqa.evaluation.evalset import load_eval_set
from remqa.evaluation.formats import FORMATS, cut_at_line_break, locate
from remqa.evaluation.gates import Gate, check_gates
from remqa.evaluation.report import evaluate_and_report
from tests.conftest import REPO

EVAL = REPO / "eval"


def test_eval_gates_pass_on_the_bundled_corpus(bundled_index: Settings, tmp_path: Path) -> None:
    """The CI quality gate: every gate in eval/gates.yaml, no baseline regressions, and the
    same answers with the article hard-wrapped, with CRLF, as Markdown, HTML, PDF and .docx."""
    code = evaluate_and_report(
        Assistant(bundled_index),
        EVAL / "questions.yaml",
        tmp_path / "report",
        EVAL / "gates.yaml",
        EVAL / "baseline.json",
        formats=[f for f in FORMATS if f != "original"],
    )
    report = json.loads((tmp_path / "report" / "report.json").read_text())
    failed = [g for g in report["gates"] if not g["passed"]]
    assert code == 0, f"gates failed: {failed}; see {tmp_path / 'report' / 'report.md'}"
    assert report["passed"] and len(report["commit"]) == 40
    assert report["settings"]["llm"] == "extractive"
    item = report["items"][0]
    assert {"id", "answer", "retrieved", "gold_rank", "answer_figures", "checks"} <= set(item)
    assert all({"passed", "reason"} == set(c) for c in item["checks"].values())
    cross = report["llamaindex_cross_check"]
    assert cross["hit_rate"] == pytest.approx(report["metrics"]["hit_at_5"], abs=0.02)
    formats = report["formats"]
    assert list(formats) == list(FORMATS)
    assert {g["name"] for g in report["gates"]} >= {f"format:{f}" for f in FORMATS[1:]}
    for fmt, result in formats.items():
        assert set(result["items"]) == {i["id"] for i in report["items"]}, fmt
        assert result["quotes_cut_at_line_break"] == [], fmt
        assert result["gold_spans_not_found"] == 0, fmt
    markdown = (tmp_path / "report" / "report.md").read_text()
    assert "## Format invariance" in markdown and "| pdf | pass" in markdown


class NeverRefusingAssistant(Assistant):
    """A deliberately weakened answerer: instead of refusing, it quotes the top passage."""

    def ask(self, question: str, history: Sequence[tuple[str, Answer | str]] = ()) -> Answer:
        answer = super().ask(question, history)
        if not answer.refused:
            return answer
        top = self.retriever.retrieve(question)[0].chunk
        from remqa.models import Citation

        quote = top.text
        return Answer(
            question=question,
            text=f"{quote} [1]",
            citations=[Citation(id=1, source=top.source, quote=quote, start=top.start,
                                end=top.end, score=1.0)],
        )  # fmt: skip


def test_weakened_answerer_fails_the_gate(bundled_index: Settings, tmp_path: Path) -> None:
    items = yaml.safe_load((EVAL / "questions.yaml").read_text())
    subset = [i for i in items if i["type"] == "unanswerable"] + items[:10]
    subset_path = tmp_path / "subset.yaml"
    subset_path.write_text(yaml.safe_dump(subset))
    code = evaluate_and_report(
        NeverRefusingAssistant(bundled_index),
        subset_path,
        tmp_path / "report",
        EVAL / "gates.yaml",
        EVAL / "baseline.json",
    )
    assert code == 1
    report = json.loads((tmp_path / "report" / "report.json").read_text())
    failed = {g["name"] for g in report["gates"] if not g["passed"]}
    assert {"refusal_accuracy", "no_regressions"} <= failed
    markdown = (tmp_path / "report" / "report.md").read_text()
    assert markdown.startswith("# remqa eval report: FAILED")
    assert markdown.index("## Failures") < markdown.index("## Passing items")
    assert "answered instead of refusing" in markdown


def test_gate_limits_and_regressions() -> None:
    gates = [Gate(metric="hit_at_5", min=0.98), Gate(metric="false_refusals", max=0)]
    metrics: dict[str, float | int] = {"hit_at_5": 0.97, "false_refusals": 0}
    results = check_gates(metrics, gates, {"a"}, {"a", "b"}, no_regressions=True)
    assert [(r.name, r.passed) for r in results] == [
        ("hit_at_5", False),
        ("false_refusals", True),
        ("no_regressions", False),
    ]
    assert results[-1].value == "b"


def test_eval_set_meets_its_own_rules() -> None:
    items = load_eval_set(EVAL / "questions.yaml")
    by_type = {t: [i for i in items if i.type == t] for t in {i.type for i in items}}
    assert len(items) >= 60
    assert len(by_type["unanswerable"]) >= 10
    assert sum(i.near_miss for i in by_type["unanswerable"]) >= 5
    assert all(i.history for i in by_type["follow-up"])
    result = subprocess.run(
        [sys.executable, str(EVAL / "build_spans.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_cli_eval_prints_table_and_writes_reports(bundled_index: Settings, tmp_path: Path) -> None:
    items = yaml.safe_load((EVAL / "questions.yaml").read_text())
    small = [i for i in items if i["id"] in {"antimony-share-china", "pentagon-funding-amount"}]
    assert len(small) == 2
    (tmp_path / "small.yaml").write_text(yaml.safe_dump(small))
    result = subprocess.run(
        [sys.executable, "-m", "remqa", "eval", "--set", "small.yaml", "--report", "out",
         "--gates", str(EVAL / "gates.yaml"), "--baseline", "none.json",
         "--corpus", str(bundled_index.corpus_dir), "--index", str(bundled_index.index_dir)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "figure_accuracy_first_sentence" in result.stdout and "All gates passed" in result.stdout
    assert (tmp_path / "out" / "report.json").exists() and (tmp_path / "out" / "report.md").exists()


def test_items_outside_a_partial_run_are_not_regressions() -> None:
    results = check_gates({}, [], {"a"}, {"a", "b"}, no_regressions=True, run_ids={"a"})
    assert results[-1].passed and results[-1].value == "none"


def test_gold_quotes_are_found_across_wrapping_and_cut_quotes_are_seen() -> None:
    wrapped = "China accounts for 48% of global antimony\nproduction, and 98.8% of gal-\nlium."
    where = locate("global antimony production, and 98.8% of gallium", wrapped)
    assert where is not None and wrapped[where[0] : where[1]].endswith("gal-\nlium")
    assert locate("something else entirely", wrapped) is None
    cut_end = wrapped.index("\n")
    assert cut_at_line_break(wrapped[:cut_end], wrapped, cut_end)
    assert not cut_at_line_break(wrapped, wrapped + "\nNext one.", len(wrapped))


def test_a_rebaselined_item_leaves_the_answer_measures_but_not_the_promises() -> None:
    from remqa.evaluation.scoring import Check, ItemResult, summarize

    def result(item_id: str, why: str, refused: bool, invented: bool) -> ItemResult:
        checks = {"not_refused": Check(passed=not refused),
                  "no_invented_figures": Check(passed=not invented)}  # fmt: skip
        return ItemResult(id=item_id, type="figure", question="q", answer="a",
                          refused=refused, checks=checks, rebaselined=why)  # fmt: skip

    kept = result("kept", "", refused=False, invented=False)
    rebaselined = result("word-list", "passed only through a synonym list", True, False)
    metrics = summarize([kept, rebaselined])
    assert metrics["false_refusals"] == 0  # the re-baselined refusal is not counted ...
    assert (metrics["rebaselined_items"], metrics["rebaselined_passed"]) == (1, 0)  # ... but shown
    assert metrics["items"] == 2
    invented = result("word-list", "passed only through a synonym list", False, True)
    assert summarize([kept, invented])["invented_figures"] == 1  # a promise holds for every item
    assert summarize([kept, result("x", "", True, False)])["false_refusals"] == 1
