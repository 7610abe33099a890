"""Train the answer selector and the short-answer model; write their weights as JSON.

    .venv/bin/pip install -e '.[train]'          # scikit-learn and LightGBM, for training only
    .venv/bin/python eval/train_selector.py      # fit, report leave-one-article-out, write
    .venv/bin/python eval/train_selector.py --check   # fit and report, write nothing

Training data: the external SQuAD articles in eval/squad/ and the questions we wrote about
them (eval/squad/own-questions.json), never the bundled article, whose eval stays held out.
For every question the real pipeline retrieves passages and the answerer measures each
candidate sentence (remqa.answering.features); a sentence is a positive when it holds a
gold answer span. The short-answer model learns which span of an answering sentence is the
answer (remqa.answering.spans; a span is a positive when its SQuAD F1 with a gold answer is
at least 0.5).

Writes src/remqa/answering/selector.json (fitted on every article: what remqa ships) and
eval/squad/selector/without-<article>.json (one per left-out article: what
`remqa eval --set squad` answers that article's questions with, so no article is answered by
a model that saw it). The refusal threshold is the probability below which only
TARGET_FALSE_REFUSALS of the training articles' answerable questions fall.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

import figure_training  # noqa: E402  (eval/, beside this script)

from remqa import Assistant, Settings  # noqa: E402
from remqa.answering.answer_types import answer_type  # noqa: E402
from remqa.answering.features import FEATURES, content_stems, feature_rows  # noqa: E402
from remqa.answering.model import Scorer, trees_from_lightgbm  # noqa: E402
from remqa.answering.question import analyze  # noqa: E402
from remqa.answering.spans import SPAN_FEATURES, candidate_spans  # noqa: E402
from remqa.evaluation.squad import (  # noqa: E402
    GoldAnswer,
    SquadArticle,
    SquadQuestion,
    f1,
    load_squad,
    write_corpus,
)

WORK = REPO / "eval" / "squad" / "work"
SHIPPED = REPO / "src" / "remqa" / "answering" / "selector.json"
LOAO = REPO / "eval" / "squad" / "selector"
OWN = REPO / "eval" / "squad" / "own-questions.json"
TARGET_FALSE_REFUSALS = 0.015
SPAN_POSITIVE_F1 = 0.5
CALIBRATION_FOLDS = 5
SEED = 7
SENTENCE_TREES = {"n_estimators": 500, "learning_rate": 0.02, "num_leaves": 7,
                  "min_child_samples": 30}  # fmt: skip
ANSWER_TREES = {"n_estimators": 300, "learning_rate": 0.03, "num_leaves": 15,
                "min_child_samples": 30}  # fmt: skip
SPAN_TREES = {"n_estimators": 200, "learning_rate": 0.05, "num_leaves": 15,
              "min_child_samples": 20}  # fmt: skip


@dataclass
class Example:
    """One question: its candidates' rows and labels, and its span rows (answerable only)."""

    article: str
    id: str
    impossible: bool
    rows: list[list[float]]
    labels: list[int]
    span_rows: list[list[float]]
    span_gains: list[float]  # the SQuAD F1 of each span with the best gold answer


def own_questions(articles: list[SquadArticle], path: Path = OWN) -> None:
    """Add the questions we wrote (answerable with an exact span, or unanswerable) to their
    articles, with gold spans at file offsets."""
    if not path.exists():
        return
    by_title = {a.title: a for a in articles}
    for n, item in enumerate(json.loads(path.read_text(encoding="utf-8"))):
        article = by_title[item["article"]]
        paragraphs = article.text.split("\n\n")
        offset = sum(len(p) + 2 for p in paragraphs[: item["paragraph"]])
        golds: tuple[GoldAnswer, ...] = ()
        if item["answerable"]:
            at = paragraphs[item["paragraph"]].find(item["answer"])
            if at < 0:
                raise SystemExit(f"own question {n}: answer not in its paragraph")
            start = offset + at
            golds = (GoldAnswer(item["answer"], start, start + len(item["answer"])),)
        article.questions.append(
            SquadQuestion(f"own-{n}", article.source, item["question"], golds,
                          not item["answerable"])
        )  # fmt: skip


def collect(assistant: Assistant, articles: list[SquadArticle]) -> list[Example]:
    assistant.ensure_ready()
    answerer, similarity = assistant._answerer, assistant._similarity
    assert answerer is not None and similarity is not None
    examples = []
    for article in articles:
        for q in article.questions:
            analysis = analyze(q.question)
            kind = answer_type(q.question)
            vector = similarity.embed_query(q.question)
            passages = assistant.retriever.retrieve(q.question, vector)
            cands = answerer.scored_candidates(analysis, passages, vector)
            rows = feature_rows(cands, analysis, kind, answerer.stats.idf)
            labels = [
                int(c.passage.chunk.source == q.article
                    and any(c.start <= g.start and g.end <= c.end for g in q.answers))
                for c in cands
            ]  # fmt: skip
            span_rows: list[list[float]] = []
            gains: list[float] = []
            if 1 in labels:
                sentence = cands[labels.index(1)].text
                for span in candidate_spans(sentence, kind, set(content_stems(q.question))):
                    span_rows.append(list(span.features))
                    gains.append(max(f1(span.span.text, g.text) for g in q.answers))
            examples.append(Example(q.article, q.id, q.impossible, rows, labels, span_rows, gains))
    return examples


def fit_sentence_model(train: list[Example]) -> dict[str, Any]:
    """LightGBM lambdarank over each question's candidates (what matters is which sentence
    is best), then Platt scaling of its scores into P(this sentence answers), fitted on
    every candidate, unanswerable questions' included."""
    import lightgbm as lgb
    from sklearn.linear_model import LogisticRegression

    ranked = [e for e in train if 1 in e.labels]
    model = lgb.LGBMRanker(objective="lambdarank", **SENTENCE_TREES, random_state=SEED,
                           deterministic=True, n_jobs=1, verbose=-1)  # fmt: skip
    model.fit(
        np.array([r for e in ranked for r in e.rows]),
        np.array([v for e in ranked for v in e.labels]),
        group=[len(e.rows) for e in ranked],
    )
    trees = trees_from_lightgbm(model.booster_.dump_model())
    scorer = Scorer({"kind": "trees", "features": list(FEATURES), "trees": trees}, FEATURES)
    every = [e for e in train if e.rows]
    scores = np.concatenate([scorer.score(e.rows) for e in every]).reshape(-1, 1)
    labels = np.array([v for e in every for v in e.labels])
    platt = LogisticRegression().fit(scores, labels)
    return {
        "kind": "trees",
        "features": list(FEATURES),
        "trees": trees,
        "platt": [float(platt.coef_[0][0]), float(platt.intercept_[0])],
    }


def fit_answer_model(train: list[Example]) -> dict[str, Any]:
    """P(this sentence answers the question), a classifier over every candidate of every
    question, unanswerable ones included: its probability for the chosen sentence decides
    refusal (a ranker only knows which sentence is best, not whether the best is good)."""
    import lightgbm as lgb

    x = np.array([r for e in train for r in e.rows])
    y = np.array([v for e in train for v in e.labels])
    model = lgb.LGBMClassifier(**ANSWER_TREES, random_state=SEED, deterministic=True,
                               n_jobs=1, verbose=-1).fit(x, y)  # fmt: skip
    return {
        "kind": "trees",
        "features": list(FEATURES),
        "trees": trees_from_lightgbm(model.booster_.dump_model()),
        "platt": [1.0, 0.0],  # a binary model's raw score is already a log-odds
    }


def fit_span_model(train: list[Example]) -> dict[str, Any]:
    import lightgbm as lgb

    with_spans = [e for e in train if e.span_rows]
    x = np.array([r for e in with_spans for r in e.span_rows])
    grades = np.array([min(3, int(g * 3.99)) for e in with_spans for g in e.span_gains])
    model = lgb.LGBMRanker(objective="lambdarank", **SPAN_TREES, random_state=SEED,
                           deterministic=True, n_jobs=1, verbose=-1)  # fmt: skip
    model.fit(x, grades, group=[len(e.span_rows) for e in with_spans])
    # Platt scaling: the ranker's best score per sentence -> P(that span is right).
    best_scores, right = [], []
    scorer = Scorer({"kind": "trees", "features": list(SPAN_FEATURES),
                     "trees": trees_from_lightgbm(model.booster_.dump_model())},
                    SPAN_FEATURES)  # fmt: skip
    for e in with_spans:
        scores = scorer.score(e.span_rows)
        best = int(np.argmax(scores))
        best_scores.append(scores[best])
        right.append(int(e.span_gains[best] >= SPAN_POSITIVE_F1))
    from sklearn.linear_model import LogisticRegression

    platt = LogisticRegression().fit(np.array(best_scores).reshape(-1, 1), right)
    return {
        "kind": "trees",
        "features": list(SPAN_FEATURES),
        "trees": trees_from_lightgbm(model.booster_.dump_model()),
        "platt": [float(platt.coef_[0][0]), float(platt.intercept_[0])],
    }


def chosen_probabilities(
    sentence: dict[str, Any], answer: dict[str, Any], examples: list[Example]
) -> list[float]:
    """For each question, the answer model's probability for the sentence the ranker picks."""
    ranker, classifier = Scorer(sentence, FEATURES), Scorer(answer, FEATURES)
    out = []
    for e in examples:
        if not e.rows:
            out.append(0.0)
            continue
        best = int(np.argmax(ranker.score(e.rows)))
        out.append(float(classifier.probability([e.rows[best]])[0]))
    return out


def threshold_for(train: list[Example]) -> float:
    """The probability under which TARGET_FALSE_REFUSALS of answerable questions fall, taken
    on predictions for questions the models did not see (5 folds of the training questions):
    on its own training questions a model is over-confident, and the threshold too high."""
    folds = np.random.default_rng(SEED).integers(0, CALIBRATION_FOLDS, len(train))
    unseen: list[float] = []
    for k in range(CALIBRATION_FOLDS):
        fold = [e for e, f in zip(train, folds, strict=True) if f != k]
        held = [e for e, f in zip(train, folds, strict=True) if f == k and not e.impossible]
        unseen += chosen_probabilities(fit_sentence_model(fold), fit_answer_model(fold), held)
    return float(np.quantile(unseen, TARGET_FALSE_REFUSALS))


def fit(train: list[Example], articles: list[str]) -> dict[str, Any]:
    return {
        "version": 2,
        "trained_on": sorted(articles),
        "sentence": fit_sentence_model(train),
        "answer": fit_answer_model(train),
        "span": fit_span_model(train),
        "refusal_threshold": round(threshold_for(train), 4),
        "target_false_refusals": TARGET_FALSE_REFUSALS,
    }


def evaluate(weights: dict[str, Any], test: list[Example]) -> dict[str, float]:
    """Top-1 sentence, refusals and span F1 on held-out questions (candidate-level)."""
    confidence = chosen_probabilities(weights["sentence"], weights["answer"], test)
    ranker = Scorer(weights["sentence"], FEATURES)
    span = Scorer(weights["span"], SPAN_FEATURES)
    threshold = weights["refusal_threshold"]
    top, refused_a, refused_u, span_f1 = [], [], [], []
    for e, p in zip(test, confidence, strict=True):
        refused = p < threshold
        if e.impossible:
            refused_u.append(refused)
            continue
        refused_a.append(refused)
        top.append(bool(e.rows) and e.labels[int(np.argmax(ranker.score(e.rows)))] == 1)
        if e.span_rows:
            s = span.score(e.span_rows)
            span_f1.append(e.span_gains[int(np.argmax(s))])
    return {
        "top1": round(float(np.mean(top)), 4),
        "answerable_refused": round(float(np.mean(refused_a)), 4),
        "unanswerable_refused": round(float(np.mean(refused_u)), 4) if refused_u else 0.0,
        "span_f1_in_answering_sentence": round(float(np.mean(span_f1)), 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report only, write nothing")
    parser.add_argument(
        "--figure-model",
        action="store_true",
        help="also train the figure model (eval/figure_training.py) and write it into the "
        "weights; without it, figure questions go through the figure binding",
    )
    args = parser.parse_args(argv)
    articles = load_squad(REPO / "eval" / "squad" / "squad-dev-3articles.json")
    own_questions(articles)
    settings = Settings(corpus_dir=WORK / "corpus", index_dir=WORK / "index",
                        show_progress=False)  # fmt: skip
    write_corpus(articles, settings.corpus_dir)
    assistant = Assistant(settings)
    assistant.ingest()
    examples = collect(assistant, articles)
    # The figure model: the dev articles' figure questions, and those of other text.
    figures: list[figure_training.FigureExample] = []
    if args.figure_model:
        figures = figure_training.collect(
            assistant, articles, {a.source: a.source for a in articles}
        )
        figures += figure_training.external_examples()
    sources = sorted({a.source for a in articles})
    report: dict[str, Any] = {}
    held_out: dict[str, dict[str, Any]] = {}
    for source in sources:
        train = [e for e in examples if e.article != source]
        weights = fit(train, [s for s in sources if s != source])
        if figures:
            weights["figure"] = figure_training.fit_figure_model(
                [e for e in figures if e.group != source]
            )
        held_out[source] = weights
        squad_only = [e for e in examples if e.article == source and not e.id.startswith("own-")]
        report[source] = evaluate(weights, squad_only)
        print(f"without {source}: {report[source]}")
    figure_report = {}
    for group in sorted({e.group for e in figures}):
        spec = figure_training.fit_figure_model([e for e in figures if e.group != group])
        figure_report[group] = figure_training.evaluate(
            spec, [e for e in figures if e.group == group]
        )
        print(f"figures without {group}: {figure_report[group]}")
    shipped = fit(examples, sources)
    shipped["leave_one_article_out"] = report
    if figures:
        shipped["figure"] = figure_training.fit_figure_model(figures)
        shipped["figure_leave_one_group_out"] = figure_report
    if args.check:
        return 0
    LOAO.mkdir(parents=True, exist_ok=True)
    for source, weights in held_out.items():
        path = LOAO / f"without-{Path(source).stem}.json"
        path.write_text(json.dumps(weights, separators=(",", ":")) + "\n", encoding="utf-8")
    SHIPPED.write_text(json.dumps(shipped, separators=(",", ":")) + "\n", encoding="utf-8")
    print(
        f"wrote {SHIPPED.relative_to(REPO)} and {len(held_out)} files in {LOAO.relative_to(REPO)}/"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
