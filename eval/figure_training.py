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

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from remqa import Assistant, Settings
from remqa.answering.answer_types import answer_type
from remqa.answering.learned import LearnedAnswerer
from remqa.answering.model import Scorer, trees_from_lightgbm
from remqa.answering.question import analyze
from remqa.answering.selector import FIGURE_FEATURES
from remqa.evaluation.squad import GoldAnswer, SquadArticle, SquadQuestion, load_squad, write_corpus

REPO = Path(__file__).resolve().parent.parent
EXTERNAL = REPO.parent / "shared" / "external"
SQUAD_TRAIN = EXTERNAL / "squad-train" / "squad2-train-first10articles.json"
COVIDQA = EXTERNAL / "covidqa" / "covidqa-dev-30papers.json"
OWN = REPO / "eval" / "figures" / "questions.json"
WORK = REPO / "eval" / "figures" / "work"
FIGURE_TREES = {"n_estimators": 400, "learning_rate": 0.03, "num_leaves": 15,
                "min_child_samples": 20}  # fmt: skip
TARGET_FALSE_REFUSALS = 0.02
FOLDS = 5
SEED = 7
COVID_GROUPS = 3


@dataclass
class FigureExample:
    """One figure question: its pairs' rows and labels."""

    group: str
    id: str
    impossible: bool
    rows: list[list[float]]
    labels: list[int]


def _require(path: Path) -> None:
    if not path.exists():
        raise SystemExit(
            f"{path} is missing: the figure model trains on the shared external data, "
            "which must sit in ../shared/external beside this repository."
        )


def _own(prefix: str, articles: list[SquadArticle]) -> None:
    """Add our written figure questions about these articles (text 'prefix:<title>')."""
    by_title = {a.title: a for a in articles}
    for item in json.loads(OWN.read_text(encoding="utf-8"))["items"]:
        kind, _, title = item["text"].partition(":")
        if kind != prefix or title not in by_title:
            continue
        article = by_title[title]
        golds: tuple[GoldAnswer, ...] = ()
        if item["answer"] is not None:
            start = int(item["answer_start"])
            golds = (GoldAnswer(item["answer"], start, start + len(item["answer"])),)
        article.questions.append(
            SquadQuestion(item["id"], article.source, item["question"], golds, not golds)
        )


def _read_half(articles: list[SquadArticle]) -> list[SquadArticle]:
    """The COVID-QA papers at even positions of the sorted titles (eval/figures/README.md)."""
    titles = sorted(a.title for a in articles)
    read = set(titles[::2])
    return [a for a in articles if a.title in read]


def collect(
    assistant: Assistant, articles: list[SquadArticle], group_of: dict[str, str]
) -> list[FigureExample]:
    """The pairs of every figure question of these (ingested) articles."""
    assistant.ensure_ready()
    measure, similarity = assistant._answerer, assistant._similarity
    assert measure is not None and similarity is not None
    learned = LearnedAnswerer(measure)  # type: ignore[arg-type]
    out = []
    for article in articles:
        for q in article.questions:
            analysis = analyze(q.question)
            if not analysis.wants_figure:
                continue
            vector = similarity.embed_query(q.question)
            passages = assistant.retriever.retrieve(q.question, vector)
            cands = learned.scored_candidates(analysis, passages, vector)
            pairs = learned.figure_pairs(cands, analysis, answer_type(q.question))
            labels = []
            for pair in pairs:
                cand = cands[pair.candidate]
                start, end = cand.start + pair.figure.start, cand.start + pair.figure.end
                labels.append(int(
                    cand.passage.chunk.source == q.article
                    and any(start < g.end and g.start < end for g in q.answers)
                ))  # fmt: skip
            rows = [list(p.features) for p in pairs]
            out.append(FigureExample(group_of[article.source], q.id, q.impossible, rows, labels))
    return out


def corpus_examples(name: str, articles: list[SquadArticle], groups: dict[str, str],
                    ) -> list[FigureExample]:  # fmt: skip
    settings = Settings(corpus_dir=WORK / name / "corpus", index_dir=WORK / name / "index",
                        show_progress=False)  # fmt: skip
    write_corpus(articles, settings.corpus_dir)
    assistant = Assistant(settings)
    assistant.ingest()
    return collect(assistant, articles, groups)


def external_examples() -> list[FigureExample]:
    """Figure questions of the SQuAD training articles and the read half of COVID-QA."""
    _require(SQUAD_TRAIN)
    _require(COVIDQA)
    train = load_squad(SQUAD_TRAIN)
    _own("squad-train", train)
    papers = _read_half(load_squad(COVIDQA))
    _own("covidqa", papers)
    titles = sorted(a.title for a in papers)
    covid_groups = {a.source: f"covidqa-{titles.index(a.title) % COVID_GROUPS}" for a in papers}
    return corpus_examples(
        "squad-train", train, {a.source: f"train:{a.title}" for a in train}
    ) + corpus_examples("covidqa-read", papers, covid_groups)


def fit_figure_model(train: list[FigureExample], with_threshold: bool = True) -> dict[str, Any]:
    """P(this figure of this sentence answers): a classifier over every pair of every figure
    question, unanswerable ones included; the threshold, from predictions for questions the
    model did not see, refuses TARGET_FALSE_REFUSALS of the answerable ones."""
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
    folds = np.random.default_rng(SEED).integers(0, FOLDS, len(train))
    unseen: list[float] = []
    for k in range(FOLDS):
        fold = [e for e, f in zip(train, folds, strict=True) if f != k]
        spec = fit_figure_model(fold, with_threshold=False)
        held = [e for e, f in zip(train, folds, strict=True) if f == k and not e.impossible]
        unseen += [best_probability(spec, e)[0] for e in held if e.rows]
    return float(np.quantile(unseen, TARGET_FALSE_REFUSALS)) if unseen else 0.0


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
