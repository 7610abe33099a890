"""The external eval (SQuAD articles remqa was never tuned on): scoring as SQuAD's official
script does it, the plain baseline beside remqa, and its gates in CI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from remqa.evaluation.external_metrics import bold_right, overlaps
from remqa.evaluation.external_sets import SETS
from remqa.evaluation.split import by_question, by_title
from remqa.evaluation.squad import (
    DEFAULT_SET,
    GoldAnswer,
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
    # a quoted sentence that itself begins with reference markers is the whole first sentence
    quoted = "[4] [5] By contrast, other species differ."
    assert lead_sentence(f"{quoted} [1]  Also: x [2]", quoted) == quoted
    assert lead_sentence(f"{quoted} [1]") == ""  # without the quote: cut at the first marker


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


# What each external set must show beyond its gates: question counts, and where remqa must
# beat the plain baseline computed in the same run (on all questions).
EXPECTED = {
    "squad": {"answerable": 649, "unanswerable": 208, "beats": ("first_sentence", "lead_f1")},
    "covidqa": {"answerable": 376, "unanswerable": 0, "beats": ("first_sentence",)},
}


@pytest.mark.parametrize("name", ["squad", "covidqa"])
def test_external_eval_gates_pass_with_the_baseline_beside_remqa(name: str, tmp_path: Path) -> None:
    """The CI gate on each external set (SQuAD: each article answered by a selector trained
    without it; COVID-QA: the shipped selector), with the aggregate part kept unread."""
    result = subprocess.run(
        [sys.executable, "-m", "remqa", "-q", "eval", "--set", name,
         "--report", str(tmp_path / "report"),
         "--corpus", str(tmp_path / "corpus"), "--index", str(tmp_path / "index")],
        cwd=REPO, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    report = json.loads((tmp_path / "report" / f"{name}.json").read_text())
    failed = [g for g in report["gates"] if not g["passed"]]
    assert result.returncode == 0, f"{failed}\n{result.stdout[-3000:]}{result.stderr[-2000:]}"
    remqa, baseline = report["metrics"]["remqa"], report["metrics"]["baseline"]
    expected = EXPECTED[name]
    assert remqa["all"]["answerable"] == expected["answerable"]
    assert remqa["all"]["unanswerable"] == expected["unanswerable"]
    for measure in expected["beats"]:
        assert remqa["all"][measure] > baseline["all"][measure], measure
    # read and aggregate are the two halves of all, and both are reported
    assert remqa["read"]["answerable"] + remqa["aggregate"]["answerable"] == expected["answerable"]
    assert remqa["read"]["answerable"] > 0 and remqa["aggregate"]["answerable"] > 0
    assert {"cite_overlap", "bold_precision"} <= remqa["all"].keys()
    assert remqa["all"]["cite_overlap"] >= remqa["all"]["cite_at_1"]  # covering is overlapping
    # no item of the aggregate part is shown anywhere
    aggregate = _aggregate_ids(name)
    assert aggregate and not aggregate & {r["id"] for r in report["results"]}
    assert len(report["results"]) == remqa["read"]["answerable"] + remqa["read"]["unanswerable"]
    markdown = (tmp_path / "report" / f"{name}.md").read_text()
    assert not [i for i in aggregate if f"`{i}`" in markdown]
    assert "| measure | remqa read | remqa aggregate | remqa all | baseline read |" in markdown
    assert "remqa aggregate" in result.stdout and "By question type" in result.stdout
    if name == "squad":
        assert {r["threshold"] for r in report["tradeoff"]} >= {0.1, 0.3}


def _aggregate_ids(name: str) -> set[str]:
    """The ids of the set's aggregate questions, by its split rule (ids only, no results)."""
    from remqa.evaluation.external_sets import SETS

    articles = load_squad(REPO / SETS[name].data)
    part = SETS[name].part_rule(articles)
    return {q.id for a in articles for q in a.questions if part(a, q) == "aggregate"}


def test_refusal_tradeoff_counts_figure_answers_as_they_were_decided() -> None:
    from remqa.evaluation.external_metrics import refusal_tradeoff
    from remqa.evaluation.external_results import ExternalResult

    def result(
        impossible: bool, refused: bool, confidence: float | None, by: str = "selector"
    ) -> ExternalResult:
        # the selector refuses on P(the passages answer), here above its sentence's P
        answerable = min(1.0, confidence + 0.05) if confidence is not None else None
        return ExternalResult(id="q", article="a", kind="what", question="?",
                              impossible=impossible, answer="", refused=refused,
                              confidence=confidence, answered_by=by,
                              answerability=answerable if by == "selector" else None)  # fmt: skip

    results = [
        result(False, False, 0.9),  # answerable, sure
        result(False, True, None, "figure rules"),  # a figure question the rules refused
        # unanswerable: the selector's sentence P 0.27, its P(the passages answer) 0.32
        result(True, False, 0.27),
        # an unanswerable figure question the rules answered; the selector's probability
        # for its sentence (which decides its bold) does not refuse it
        result(True, False, 0.05, "figure rules"),
    ]
    rows = {r["threshold"]: r for r in refusal_tradeoff(results)}
    assert rows[0.1] == {"threshold": 0.1, "answerable_refused": 0.5, "unanswerable_refused": 0.0}
    # at 0.3 the sentence's own P (0.27) would refuse; P(the passages answer) (0.32) does not
    assert rows[0.3]["unanswerable_refused"] == 0.0 and rows[0.3]["answerable_refused"] == 0.5
    assert rows[0.4]["unanswerable_refused"] == 0.5
    figures_only = [results[1], results[3]]
    assert refusal_tradeoff(figures_only) == []  # no selector: no trade-off


def _gold(*spans: tuple[int, int]) -> tuple[GoldAnswer, ...]:
    return tuple(GoldAnswer("x" * (end - start), start, end) for start, end in spans)


@pytest.mark.parametrize(
    ("start", "end", "golds", "expected"),
    [
        (10, 20, [(15, 25)], True),  # shares 15-19
        (10, 20, [(0, 11)], True),  # shares one character
        (10, 20, [(20, 30)], False),  # touches at the end: [10, 20) and [20, 30) share nothing
        (10, 20, [(0, 10)], False),  # touches at the start
        (10, 20, [(12, 14)], True),  # inside
        (10, 20, [(0, 40)], True),  # around
        (10, 20, [(30, 40), (19, 21)], True),  # any gold will do
        (10, 20, [], False),
    ],
)
def test_first_citation_overlaps_gold(
    start: int, end: int, golds: list[tuple[int, int]], expected: bool
) -> None:
    assert overlaps(start, end, _gold(*golds)) is expected


@pytest.mark.parametrize(
    ("bold", "span", "gold_text", "expected"),
    [
        ("Aristotle", (5, 14), "Aristotle", True),  # found in the quote, on the gold span
        ("Plato", (40, 45), "Aristotle", False),  # found in the quote, elsewhere
        ("98.8 percent", None, "98.8 percent of gallium", True),  # not in the quote: by text
        ("ACE2", None, "the ACE2 receptor", True),
        ("the", None, "the ACE2 receptor", False),  # nothing left once normalised
        ("TMPRSS2", None, "the ACE2 receptor", False),
    ],
)
def test_bold_short_answer_is_right_on_a_gold_span(
    bold: str, span: tuple[int, int] | None, gold_text: str, expected: bool
) -> None:
    golds = (GoldAnswer(gold_text, 5, 5 + len(gold_text)),)
    assert bold_right(bold, span, golds) is expected


def test_papers_alternate_between_read_and_aggregate_in_title_order() -> None:
    parts = by_title(["covid_paper_9", "covid_paper_10", "covid_paper_2", "covid_paper_10"])
    # sorted as text: covid_paper_10, covid_paper_2, covid_paper_9
    assert parts == {"covid_paper_10": "read", "covid_paper_2": "aggregate",
                     "covid_paper_9": "read"}  # fmt: skip
    papers = by_title(a.title for a in load_squad(REPO / SETS["covidqa"].data))
    assert list(papers.values()).count("read") == list(papers.values()).count("aggregate") == 15


@pytest.mark.parametrize(
    ("question_id", "part"),
    [
        ("a", "aggregate"),  # sha1 86f7...
        ("b", "aggregate"),  # sha1 e9d7...
        ("d", "read"),  # sha1 3c36...
        ("e", "read"),  # sha1 58e6...
        ("x1", "read"),  # sha1 16d4...
    ],
)
def test_squad_questions_split_by_the_first_hex_digit_of_their_id(
    question_id: str, part: str
) -> None:
    assert by_question(question_id) == part


def test_covidqa_gold_answers_map_to_exact_file_offsets() -> None:
    articles = load_squad(REPO / SETS["covidqa"].data)
    assert sum(len(a.questions) for a in articles) == 376
    for article in articles:
        for question in article.questions:
            for gold in question.answers:
                assert article.text[gold.start : gold.end] == gold.text


@pytest.mark.parametrize("value", ["covid", "squad2", "SQuAD"])
def test_an_unknown_set_name_is_a_one_line_error(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from remqa.cli import main

    monkeypatch.chdir(tmp_path)  # a bare word that is no file there
    assert main(["-q", "eval", "--set", value]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and f"Unknown eval set '{value}'" in err
    assert "--set squad or --set covidqa" in err


def test_weights_left_out_by_group_are_found_through_the_groups_map(tmp_path: Path) -> None:
    from remqa.evaluation.external_report import loao_weights

    (tmp_path / "without-covidqa-1.json").write_text("{}", encoding="utf-8")
    (tmp_path / "groups.json").write_text(
        json.dumps({"paper-a.txt": "without-covidqa-1.json", "paper-b.txt": "without-x.json"}),
        encoding="utf-8",
    )
    assert loao_weights("paper-a.txt", tmp_path) == tmp_path / "without-covidqa-1.json"
    assert loao_weights("paper-b.txt", tmp_path) is None  # mapped, but not built
    assert loao_weights("paper-c.txt", tmp_path) is None  # aggregate half: shipped weights
    other = tmp_path / "squad"
    other.mkdir()
    (other / "without-Rhine.json").write_text("{}", encoding="utf-8")
    assert loao_weights("Rhine.txt", other) == other / "without-Rhine.json"


def test_another_squad_format_file_is_built_beside_the_squad_sets_work_not_into_it() -> None:
    """Its articles must not join the SQuAD set's corpus, where the next `--set squad`
    would answer over them too."""
    from remqa.evaluation.external_sets import SETS, external_set

    other = external_set("/data/my-articles.json")
    assert other is not None and other.data == Path("/data/my-articles.json")
    assert other.work != SETS["squad"].work
    assert other.work.parent == SETS["squad"].work.parent
    assert other.gates == SETS["squad"].gates
