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

from remqa.answering.figure_rules import choose_bound_figures
from remqa.answering.model import Scorer, trees_from_lightgbm
from remqa.answering.selector import FIGURE_FEATURES

FIGURE_TREES = {"n_estimators": 400, "learning_rate": 0.03, "num_leaves": 15,
                "min_child_samples": 20}  # fmt: skip
FOLDS = 5
SEED = 7
OWN_CHOICE_PRECISION = 0.75  # of the model's own answers right (3 in 4), on unseen predictions
MIN_SUPPORT = 20


@dataclass
class FigureExample:
    """One figure question: its pairs' rows and labels, whether the hand-set figure choice
    chose a figure, and which pairs' sentences name what was asked (the model's own choice
    is limited to those)."""

    group: str
    id: str
    impossible: bool
    rows: list[list[float]]
    labels: list[int]
    rules_chose: bool
    named: list[bool]


def figure_example(read: ReadQuestion) -> FigureExample:
    """The (sentence, figure) pairs of a figure question, labelled."""
    cands = read.candidates
    rules_chose = bool(choose_bound_figures(cands, read.analysis, 1))
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
    named = [cands[p.candidate].entities_ok for p in pairs]
    return FigureExample(
        read.group, read.question.id, read.question.impossible, rows, labels, rules_chose, named
    )


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


def best_probability(scorer: Scorer, example: FigureExample) -> tuple[float, bool]:
    """(the model's probability for its chosen pair, whether that pair is right): its best
    pair of a sentence that names what was asked, as the answerer chooses."""
    named = [i for i, ok in enumerate(example.named) if ok]
    if not named:
        return 0.0, False
    chances = scorer.probability([example.rows[i] for i in named])
    best = int(np.argmax(chances))
    return float(chances[best]), example.labels[named[best]] == 1


def _threshold(train: list[FigureExample]) -> float:
    """From which probability the model's own choice answers a figure question the hand-set
    choice found no figure for: the lowest at which, on predictions for questions the model
    did not see (5 folds), those answers are right at least OWN_CHOICE_PRECISION of the
    time, over at least MIN_SUPPORT of them. (As the only chooser, with a threshold that
    balanced the two kinds of refusal, it lost a third of the bundled eval's figure answers:
    the hand-set choice still answers first.)"""
    folds = np.random.default_rng(SEED).integers(0, FOLDS, len(train))
    scored: list[tuple[float, bool]] = []  # (best probability, right), unanswerable: wrong
    for k in range(FOLDS):
        fold = [e for e, f in zip(train, folds, strict=True) if f != k]
        scorer = Scorer(fit_figure_model(fold, with_threshold=False), FIGURE_FEATURES)
        for e in (e for e, f in zip(train, folds, strict=True) if f == k and not e.rules_chose):
            p, right = best_probability(scorer, e)
            if p > 0.0:
                scored.append((p, right and not e.impossible))
    scored.sort(reverse=True)
    threshold, right = 1.0, 0
    for k, (p, ok) in enumerate(scored, start=1):
        right += ok
        if k >= MIN_SUPPORT and right >= OWN_CHOICE_PRECISION * k:
            threshold = p
    return threshold


def evaluate(spec: dict[str, Any], test: list[FigureExample]) -> dict[str, float]:
    """On held-out questions the hand-set choice found no figure for: how many the model's
    own choice answers, how often rightly, and the unanswerable ones it refuses."""
    own = [e for e in test if not e.rules_chose]
    scorer = Scorer(spec, FIGURE_FEATURES)  # built once: its trees are parsed on building
    answered, right, refused_u = [], [], []
    for e in own:
        p, ok = best_probability(scorer, e)
        answers = p > 0.0 and p >= spec["threshold"]
        if e.impossible:
            refused_u.append(not answers)
        else:
            answered.append(answers)
            right.append(answers and ok)
    return {
        "questions": len(test),
        "without_hand_set_figure": len(own),
        "answered": round(float(np.mean(answered)), 4) if answered else 0.0,
        "right": round(float(np.mean(right)), 4) if right else 0.0,
        "unanswerable_refused": round(float(np.mean(refused_u)), 4) if refused_u else 0.0,
    }
