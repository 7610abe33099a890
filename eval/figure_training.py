"""The figure model's training data and fitting; run by eval/train_selector.py.

Figure questions (how many, how much, what share, what year...) from three kinds of text,
each answered by the real pipeline (retrieval, candidate sentences, their measures):
- the SQuAD development articles in eval/squad/ (crowd questions and ours), one group each;
- the ten SQuAD 2.0 training articles in ../shared/external/squad-train/ (crowd questions)
  and the questions we wrote about them (eval/figures/questions.json), one group each;
- the COVID-QA papers of the read half (eval/figures/README.md) with their expert questions
  and ours, in three groups of papers.
Every (sentence, eligible figure) pair is a row (the sentence's features, then the pair's);
a pair is a positive when its figure overlaps a gold answer's span in the source file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from training_data import ReadQuestion

from remqa.answering.model import Scorer, trees_from_lightgbm
from remqa.answering.selector import FIGURE_FEATURES

FIGURE_TREES = {"n_estimators": 400, "learning_rate": 0.03, "num_leaves": 15,
                "min_child_samples": 20}  # fmt: skip
MAX_FALSE_REFUSALS = 0.05  # of answerable figure questions, on unseen predictions
FOLDS = 5
SEED = 7


@dataclass
class FigureExample:
    """One figure question: its pairs' rows and labels."""

    group: str
    id: str
    impossible: bool
    rows: list[list[float]]
    labels: list[int]


def figure_example(read: ReadQuestion) -> FigureExample:
    """The (sentence, figure) pairs of a figure question, labelled."""
    cands = read.candidates
    pairs = read.answerer.figure_pairs(cands, read.analysis, read.kind)
    golds = read.question.answers
    labels = []
    for pair in pairs:
        cand = cands[pair.candidate]
        start, end = cand.start + pair.figure.start, cand.start + pair.figure.end
        labels.append(int(
            cand.passage.chunk.source == read.question.article
            and any(start < g.end and g.start < end for g in golds)
        ))  # fmt: skip
    rows = [list(p.features) for p in pairs]
    return FigureExample(read.group, read.question.id, read.question.impossible, rows, labels)


def fit_figure_model(train: list[FigureExample], with_threshold: bool = True) -> dict[str, Any]:
    """P(this figure of this sentence answers): a classifier over every pair of every figure
    question, unanswerable ones included; the threshold, from predictions for questions the
    model did not see, balances the two kinds of error (_threshold)."""
    import lightgbm as lgb

    x = np.array([r for e in train for r in e.rows])
    y = np.array([v for e in train for v in e.labels])
    model = lgb.LGBMClassifier(**FIGURE_TREES, random_state=SEED, deterministic=True,
                               n_jobs=1, verbose=-1).fit(x, y)  # fmt: skip
    spec: dict[str, Any] = {
        "kind": "trees",
        "features": list(FIGURE_FEATURES),
        "trees": trees_from_lightgbm(model.booster_.dump_model()),
        "platt": [1.0, 0.0],
        "threshold": 0.0,
    }
    if with_threshold:
        spec["threshold"] = round(_threshold(train), 4)
    return spec


def best_probability(spec: dict[str, Any], example: FigureExample) -> tuple[float, bool]:
    """(the model's probability for its chosen pair, whether that pair is right)."""
    if not example.rows:
        return 0.0, False
    chances = Scorer(spec, FIGURE_FEATURES).probability(example.rows)
    best = int(np.argmax(chances))
    return float(chances[best]), example.labels[best] == 1


def _threshold(train: list[FigureExample]) -> float:
    """The threshold that best separates, on predictions for questions the model did not
    see (5 folds), unanswerable figure questions (refused) from answerable ones (answered):
    the most of the first refused for the fewest of the second, with at most
    MAX_FALSE_REFUSALS of the answerable ones refused."""
    folds = np.random.default_rng(SEED).integers(0, FOLDS, len(train))
    answerable: list[float] = []
    unanswerable: list[float] = []
    for k in range(FOLDS):
        fold = [e for e, f in zip(train, folds, strict=True) if f != k]
        spec = fit_figure_model(fold, with_threshold=False)
        for e in (e for e, f in zip(train, folds, strict=True) if f == k):
            p = best_probability(spec, e)[0]
            (unanswerable if e.impossible else answerable).append(p)
    if not answerable:
        return 0.0
    a, u = np.array(answerable), np.array(unanswerable)
    cap = float(np.quantile(a, MAX_FALSE_REFUSALS))
    candidates = [t for t in np.unique(np.concatenate([a, u])) if t <= cap] or [0.0]
    gain = [float(np.mean(u < t) if len(u) else 0.0) - float(np.mean(a < t)) for t in candidates]
    return float(candidates[int(np.argmax(gain))])


def evaluate(spec: dict[str, Any], test: list[FigureExample]) -> dict[str, float]:
    """On held-out questions: the chosen figure right, and refusals."""
    right, refused_a, refused_u = [], [], []
    for e in test:
        p, ok = best_probability(spec, e)
        refused = p < spec["threshold"]
        if e.impossible:
            refused_u.append(refused)
        else:
            refused_a.append(refused)
            right.append(ok and not refused)
    return {
        "questions": len(test),
        "figure_right": round(float(np.mean(right)), 4) if right else 0.0,
        "answerable_refused": round(float(np.mean(refused_a)), 4) if refused_a else 0.0,
        "unanswerable_refused": round(float(np.mean(refused_u)), 4) if refused_u else 0.0,
    }
