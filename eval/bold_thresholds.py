"""Choose when a short answer leads in bold, and the reading check: src/remqa/answering/bold.json.

Two tables, per answer type (see remqa/answering/bold.py): the lowest score from which at
least 80% of bold answers are right (F1 >= 0.5 with a gold answer) over at least 20 of them
(train_selector's rule); a type where none reaches it is never bold from that source.
- reading_model: P(the sentence answers) x the reading model's best span score in it, for
  answered questions that ask for no figure;
- figures: P(the figure's sentence answers), for figures chosen by the figure rules.
And the reading check: the P(answers) of the selector x that of the reading model, for the
sentence the selector chose, under which the answer is refused; the highest at which the
held-out answers it refuses are wrong at least CHECK_PRECISION of the time (the evals here
run without the check).

The predictions come from remqa's own answers (`remqa eval`, run here in this process with
every figure in bold so that each is seen):
- the ten SQuAD training articles (`../shared/external/squad-train`), answered with the
  shipped selector: all ten for figures, only the reading model's two held-out articles
  (manifest.json "held_out") for the reading model. The shipped selector was trained on
  these articles too, so its probabilities there are in-sample (they flatter it a little);
  without them too few figure answers remain to choose a threshold for counts and amounts;
- the read parts of the SQuAD and COVID-QA sets, each article or paper group answered by
  selector weights trained without it (the reading model never saw them): held out from
  both models, and the only answers the reading check's threshold is chosen on.
Aggregate parts are never used. Run after retraining the selector or the reading model,
from the repository root (about 10 minutes):

    PYTHONPATH=src .venv/bin/python eval/bold_thresholds.py [--reports DIR] [--check]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from train_selector import (  # noqa: E402  (eval/, beside this script)
    BOLD_PRECISION,
    MIN_BOLD_SUPPORT,
    HeldOut,
    bold_thresholds,
)

from remqa.answering.bold import BOLD_FILE, figure_span_tied  # noqa: E402
from remqa.answering.question import analyze  # noqa: E402
from remqa.answering.reader import Reader  # noqa: E402
from remqa.answering.reader.model import manifest  # noqa: E402
from remqa.evaluation.squad import bold_lead, f1, lead_sentence  # noqa: E402

SQUAD_TRAIN = REPO.parent / "shared" / "external" / "squad-train"
TRAIN_FILE = SQUAD_TRAIN / "squad2-train-first10articles.json"
SETS = {  # report folder -> (--set value, report file)
    "train": (str(TRAIN_FILE), "squad.json"),
    "squad": ("squad", "squad.json"),
    "covidqa": ("covidqa", "covidqa.json"),
}
# The answers the reading check refuses must be wrong at least this often.
CHECK_PRECISION = 0.75
DATA = [TRAIN_FILE, REPO / "eval/squad/squad-dev-3articles.json",
        REPO / "eval/covidqa/covidqa-dev-30papers.json"]  # fmt: skip


class _EveryType(dict[str, float]):
    """A threshold table that bolds every figure: while the evals run, each is seen."""

    def get(self, key: str, default: Any = None) -> float:  # type: ignore[override]
        return 0.0


def run_evals(folder: Path) -> None:
    """`remqa eval` of each set in this process, its report under folder/<name>/."""
    from remqa.answering import answerer
    from remqa.cli import main

    answerer.figure_thresholds = lambda: _EveryType()  # type: ignore[assignment]
    answerer.reading_check_threshold = lambda: None  # type: ignore[assignment]
    for name, (value, _) in SETS.items():
        print(f"remqa eval --set {name} ...", flush=True)
        main(["-q", "eval", "--set", value, "--report", str(folder / name)])


def gold_texts() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path in DATA:
        for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
            for paragraph in article["paragraphs"]:
                for q in paragraph["qas"]:
                    out[q["id"]] = [a["text"] for a in q["answers"]]
    return out


def results(folder: Path, keep: Callable[[str, dict[str, Any]], bool]) -> list[dict[str, Any]]:
    """Results of the read parts that `keep(set name, result)`."""
    out = []
    for name, (_, report) in SETS.items():
        for r in json.loads((folder / name / report).read_text(encoding="utf-8"))["results"]:
            if r["part"] == "read" and keep(name, r):
                out.append(r)
    return out


def answered(folder: Path, keep: Callable[[str, dict[str, Any]], bool]) -> list[dict[str, Any]]:
    """Answered, answerable results of the read parts that `keep(set name, result)`."""
    return [r for r in results(folder, keep) if not (r["impossible"] or r["refused"])]


@cache
def _reader_held_out() -> frozenset[str]:
    """The SQuAD training articles the reading model was not trained on, as files."""
    return frozenset(f"{title}.txt" for title in manifest()["training_data"]["held_out"])


def _unseen_by_reader(name: str, r: dict[str, Any]) -> bool:
    """Not a SQuAD training article the reading model was trained on."""
    return name != "train" or r["article"] in _reader_held_out()


def _chosen_sentence(answer: str) -> str:
    """The cited sentence an answer leads with, without its bold short answer."""
    sentence = lead_sentence(answer).strip()
    bold = bold_lead(answer)
    if bold:  # "**span** — sentence": the sentence alone, as the answerer reads it
        sentence = sentence[len(bold) + len(" — ") :]
    return sentence


def _right(text: str, golds: list[str]) -> bool:
    return max((f1(text, g) for g in golds), default=0.0) >= 0.5


def reading_model_predictions(folder: Path, gold: dict[str, list[str]]) -> list[HeldOut]:
    """The reading model's best span of each chosen sentence, for non-figure questions."""
    reader, out = Reader(), []
    for r in answered(folder, _unseen_by_reader):
        analysis = analyze(r["question"])
        if analysis.wants_figure or r["confidence"] is None:
            continue
        sentence = _chosen_sentence(r["answer"])
        found = reader.spans(r["question"], sentence, limit=1)
        if found:
            start, end, score = found[0]
            p = float(r["confidence"])
            right = _right(sentence[start:end], gold[r["id"]])
            # a span the answerer never bolds (a figure not tied to the question) scores 0
            tied = figure_span_tied(sentence, start, end, r["question"])
            out.append(HeldOut(analysis.answer_type, False, p, p * score if tied else 0.0, right))
    return out


def figure_predictions(folder: Path, gold: dict[str, list[str]]) -> list[HeldOut]:
    """Each figure the figure rules chose, with P(its sentence answers)."""
    out = []
    for r in answered(folder, lambda name, r: r.get("answered_by") == "figure rules"):
        p, figure = float(r["confidence"]), bold_lead(r["answer"])
        kind = analyze(r["question"]).answer_type
        out.append(HeldOut(kind, False, p, p, _right(figure, gold[r["id"]])))
    return out


def reading_check(folder: Path) -> dict[str, Any]:
    """The threshold on P(selector) x P(reading model) of the chosen sentence under which an
    answer is refused: the highest at which the answers it refuses, over at least
    MIN_BOLD_SUPPORT of them, are wrong (an unanswerable question, or a first sentence
    without a gold answer) at least CHECK_PRECISION of the time. Held-out answers the
    selector decided (the figure binding's are never checked), on the SQuAD and COVID-QA
    read parts only: the score is the selector's probability itself, which on the SQuAD
    training articles is in-sample (the shipped selector was trained on them)."""
    reader = Reader()
    held = results(folder, lambda name, r: name != "train" and r.get("answered_by") == "selector")
    score = {  # result id -> its checked score; refusals have none
        r["id"]: float(r["confidence"])
        * reader.score(r["question"], [_chosen_sentence(r["answer"])])[0]
        for r in held
        if not r["refused"]
    }
    ranked = sorted((score[r["id"]], r["impossible"] or not r["first_sentence"]) for r in held
                    if r["id"] in score)  # fmt: skip
    threshold, wrong = 0.0, 0
    for k in range(1, len(ranked)):
        wrong += ranked[k - 1][1]
        if k >= MIN_BOLD_SUPPORT and wrong >= CHECK_PRECISION * k:
            threshold = ranked[k][0]  # refuses exactly the k lowest

    def refused_share(impossible: bool, check: float) -> float:
        rows = [r for r in held if r["impossible"] == impossible]
        refused = sum(r["refused"] or score[r["id"]] < check for r in rows)
        return round(refused / len(rows), 3) if rows else 0.0

    refused = [wrong for value, wrong in ranked if value < threshold]
    return {
        "threshold": round(threshold, 4),
        "precision": CHECK_PRECISION,
        "held_out": {
            "answers": len(ranked),
            "refused": len(refused),
            "refused_wrong": sum(refused),
            "answerable_refused": [refused_share(False, 0.0), refused_share(False, threshold)],
            "unanswerable_refused": [refused_share(True, 0.0), refused_share(True, threshold)],
        },  # each pair: without the check, with it
    }


def table(held: list[HeldOut]) -> dict[str, Any]:
    """The thresholds, with their coverage and precision on the predictions they came from."""
    thresholds = bold_thresholds(held, refusal=None)  # held: answers, none refused
    bold = [h for h in held if h.kind in thresholds and h.bold >= thresholds[h.kind]]
    return {
        "thresholds": thresholds,
        "held_out": {
            "answers": len(held),
            "by_type": dict(sorted(Counter(h.kind for h in held).items())),
            "right_by_type": dict(sorted(Counter(h.kind for h in held if h.right).items())),
            "bold": len(bold),
            "coverage": round(len(bold) / len(held), 3) if held else 0.0,
            "precision": round(sum(h.right for h in bold) / len(bold), 3) if bold else 0.0,
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Choose, per answer type, when the reading model's span and a figure "
        "question's figure lead in bold, from held-out remqa answers; writes "
        "src/remqa/answering/bold.json.",
    )
    parser.add_argument(
        "--reports",
        type=Path,
        help="reuse the eval reports in this folder (train/, squad/, covidqa/, made by an "
        "earlier run of this script) instead of running the evals",
    )
    parser.add_argument("--check", action="store_true", help="print, do not write")
    args = parser.parse_args(argv)
    folder = args.reports or REPO / "eval" / "squad" / "work" / "bold-reports"
    if args.reports is None:
        run_evals(folder)
    gold = gold_texts()
    result = {
        "precision": BOLD_PRECISION,
        "min_support": MIN_BOLD_SUPPORT,
        "chosen_on": "remqa answers held out from the models behind them: SQuAD training "
        "articles and the read parts of the SQuAD and COVID-QA sets (eval/bold_thresholds.py)",
        "reading_model": table(reading_model_predictions(folder, gold)),
        "figures": table(figure_predictions(folder, gold)),
        "reading_check": reading_check(folder),
    }
    print(json.dumps(result, indent=1))
    if not args.check:
        BOLD_FILE.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {BOLD_FILE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
