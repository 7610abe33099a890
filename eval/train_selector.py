"""Train the answer selector and the short-answer model; write their weights as JSON.

    .venv/bin/pip install -e '.[train]'          # scikit-learn and LightGBM, for training only
    .venv/bin/python eval/train_selector.py      # fit, report leave-one-article-out, write
    .venv/bin/python eval/train_selector.py --check   # fit and report, write nothing
    .venv/bin/python eval/train_selector.py --figure-model-only   # only the figure model

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
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

import figure_training  # noqa: E402  (eval/, beside this script)
import training_data  # noqa: E402

from remqa import Assistant, Settings  # noqa: E402
from remqa.answering.answerer import Answerer  # noqa: E402
from remqa.answering.candidates import Candidate  # noqa: E402
from remqa.answering.features import FEATURES, content_stems, feature_rows  # noqa: E402
from remqa.answering.model import Scorer, trees_from_lightgbm  # noqa: E402
from remqa.answering.question import QuestionAnalysis  # noqa: E402
from remqa.answering.selector import quoted_answerability  # noqa: E402
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
COVID_LOAO = REPO / "eval" / "covidqa" / "selector"
HELD_OUT = WORK / "held-out"
OWN = REPO / "eval" / "squad" / "own-questions.json"
TARGET_FALSE_REFUSALS = 0.04  # of answerable training questions, on unseen predictions
SPAN_POSITIVE_F1 = 0.5
BOLD_PRECISION = 0.80  # of bold short answers right, per answer type, on unseen questions
MIN_BOLD_SUPPORT = 20  # bold answers a threshold must hold over
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

    group: str  # what is left out together: an article, or a group of papers
    article: str
    id: str
    impossible: bool
    rows: list[list[float]]
    labels: list[int]
    span_rows: list[list[float]]
    span_gains: list[float]  # the SQuAD F1 of each span with the best gold answer
    kind: str = "other"  # the answer type asked for
    question: str = ""
    texts: list[str] = field(default_factory=list)  # the candidate sentences, as rows
    golds: list[str] = field(default_factory=list)  # the gold answers' text
    # Which candidates the answerer's rules let it quote (Answerer.eligible), as it reads
    # P(the passages answer) (selector.answerability).
    eligible: list[bool] = field(default_factory=list)


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


def example(read: training_data.ReadQuestion) -> Example:
    """The selector's example of one read question: each candidate's row, a positive when
    it holds a gold answer, and the spans of the answering sentence with their F1."""
    q, cands, kind = read.question, read.candidates, read.kind
    rows = feature_rows(cands, read.analysis, kind, read.answerer.stats.idf)
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
    return Example(read.group, q.article, q.id, q.impossible, rows, labels, span_rows, gains,
                   kind, q.question, [c.text for c in cands], [g.text for g in q.answers],
                   eligibility(cands, read.analysis))  # fmt: skip


def eligibility(cands: list[Candidate], analysis: QuestionAnalysis) -> list[bool]:
    """Which candidates the answerer's rules let it quote, read as the answerer reads them
    (a "when" question's sentences given their dates first), on copies: the figure model's
    examples are made from the candidates as measured."""
    dated = [replace(c) for c in cands]
    Answerer.give_dates(dated, analysis)
    return [Answerer.eligible(c, analysis) for c in dated]


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


class Chosen(NamedTuple):
    """What the selector's models say about one question's candidates."""

    confidence: float  # the answer model's P for the sentence the ranker picks
    answerable: float  # answerability() of the candidates: what refusal is decided on
    best: int | None  # the ranker's pick (None: no candidates)


def chosen_probabilities(
    sentence: dict[str, Any], answer: dict[str, Any], examples: list[Example]
) -> list[Chosen]:
    """For each question, the ranker's pick, the answer model's probability for it, and
    answerability() of its candidates."""
    ranker, classifier = Scorer(sentence, FEATURES), Scorer(answer, FEATURES)
    out = []
    for e in examples:
        if not e.rows:
            out.append(Chosen(0.0, 0.0, None))
            continue
        rank, p = ranker.score(e.rows), classifier.probability(e.rows)
        best = int(np.argmax(rank))
        # what the answerer quotes: the ranker's best of the sentences its rules allow
        allowed = [int(i) for i in np.argsort(-rank, kind="stable") if e.eligible[i]]
        _, answerable = quoted_answerability(allowed, [float(q) for q in p])
        out.append(Chosen(float(p[best]), answerable, best))
    return out


@dataclass
class HeldOut:
    """What the models said about one answerable question they did not see."""

    kind: str
    impossible: bool
    confidence: float  # P(the chosen sentence answers)
    bold: float  # confidence x P(the chosen sentence's best span is the answer); 0: no span
    right: bool  # that span is a gold answer (SQuAD F1 >= 0.5)
    # P(the passages answer): answerability() of the candidates, what refusal reads;
    # None in predictions kept before it existed (--thresholds-only then needs a training).
    answerable: float | None = None


def held_out_predictions(train: list[Example]) -> list[HeldOut]:
    """Predictions for the training questions, each by models fitted without it (5 folds):
    on its own training questions a model is over-confident."""
    folds = np.random.default_rng(SEED).integers(0, CALIBRATION_FOLDS, len(train))
    out: list[HeldOut] = []
    for k in range(CALIBRATION_FOLDS):
        fold = [e for e, f in zip(train, folds, strict=True) if f != k]
        held = [e for e, f in zip(train, folds, strict=True) if f == k]
        sentence, answer, span = (
            fit_sentence_model(fold),
            fit_answer_model(fold),
            fit_span_model(fold),
        )
        spans = Scorer(span, SPAN_FEATURES)
        for e, (p, answerable, picked) in zip(
            held, chosen_probabilities(sentence, answer, held), strict=True
        ):
            bold, right = 0.0, False
            if picked is not None and not e.impossible:
                text = e.texts[picked]
                found = candidate_spans(text, e.kind, set(content_stems(e.question)))  # type: ignore[arg-type]
                if found:
                    rows = [list(s.features) for s in found]
                    best = int(np.argmax(spans.score(rows)))
                    bold = p * float(spans.probability([rows[best]])[0])
                    right = (
                        max((f1(found[best].span.text, g) for g in e.golds), default=0.0)
                        >= SPAN_POSITIVE_F1
                    )
            out.append(HeldOut(e.kind, e.impossible, p, bold, right, answerable))
    return out


def refusal_threshold(held: list[HeldOut]) -> float:
    """The answerability under which TARGET_FALSE_REFUSALS of answerable questions fall."""
    answerable = [_answerable(h) for h in held if not h.impossible]
    return float(np.quantile(answerable, TARGET_FALSE_REFUSALS))


def _answerable(h: HeldOut) -> float:
    if h.answerable is None:
        raise SystemExit("The kept held-out predictions predate answerability: run a full "
                         "training (python eval/train_selector.py).")  # fmt: skip
    return h.answerable


def bold_thresholds(held: list[HeldOut], refusal: float | None) -> dict[str, float]:
    """Per answer type, the lowest bold score from which at least BOLD_PRECISION of the bold
    answers (of questions not refused at `refusal`; None: all are answers) are right, over
    at least MIN_BOLD_SUPPORT of them; a type where no threshold reaches it gets none (never
    bold)."""
    out: dict[str, float] = {}
    for kind in sorted({h.kind for h in held}):
        answered = [
            h
            for h in held
            if h.kind == kind
            and not h.impossible
            and (refusal is None or _answerable(h) >= refusal)
            and h.bold > 0
        ]
        answered.sort(key=lambda h: -h.bold)
        best: float | None = None
        right = 0
        for n, h in enumerate(answered, start=1):
            right += h.right
            if n >= MIN_BOLD_SUPPORT and right / n >= BOLD_PRECISION:
                best = h.bold
        if best is not None:
            out[kind] = round(best, 4)
    return out


def fit(train: list[Example], articles: list[str], name: str) -> dict[str, Any]:
    """The models fitted on `train`, with their thresholds; the held-out predictions the
    thresholds come from are kept in HELD_OUT/<name>.json (see --thresholds-only)."""
    held = held_out_predictions(train)
    HELD_OUT.mkdir(parents=True, exist_ok=True)
    (HELD_OUT / f"{name}.json").write_text(json.dumps([asdict(h) for h in held]), "utf-8")
    weights = {
        "version": 2,
        "trained_on": sorted(articles),
        "sentence": fit_sentence_model(train),
        "answer": fit_answer_model(train),
        "span": fit_span_model(train),
    }
    return set_thresholds(weights, held)


def set_thresholds(weights: dict[str, Any], held: list[HeldOut]) -> dict[str, Any]:
    refusal = refusal_threshold(held)
    weights["refusal_threshold"] = round(refusal, 4)
    weights["target_false_refusals"] = TARGET_FALSE_REFUSALS
    weights["bold_thresholds"] = bold_thresholds(held, refusal)
    weights["bold_precision"] = BOLD_PRECISION
    return weights


def thresholds_only() -> int:
    """Re-derive every written weights file's thresholds from its kept held-out predictions,
    with today's TARGET_FALSE_REFUSALS and BOLD_PRECISION, without fitting anything."""
    files = {"shipped": SHIPPED} | {
        p.stem.removeprefix("without-"): p for folder in (LOAO, COVID_LOAO)
        for p in folder.glob("without-*.json")
    }  # fmt: skip
    for name, path in files.items():
        kept = HELD_OUT / f"{name}.json"
        if not kept.exists():
            raise SystemExit(f"{kept} is missing: run a full training first.")
        held = [HeldOut(**h) for h in json.loads(kept.read_text(encoding="utf-8"))]
        weights = set_thresholds(json.loads(path.read_text(encoding="utf-8")), held)
        write_weights(path, weights)
        print(f"{path.relative_to(REPO)}: refusal {weights['refusal_threshold']}, "
              f"bold {weights['bold_thresholds']}")  # fmt: skip
    return 0


def evaluate(weights: dict[str, Any], test: list[Example]) -> dict[str, float]:
    """Top-1 sentence, refusals and span F1 on held-out questions (candidate-level)."""
    chosen = chosen_probabilities(weights["sentence"], weights["answer"], test)
    span = Scorer(weights["span"], SPAN_FEATURES)
    threshold = weights["refusal_threshold"]
    top, refused_a, refused_u, span_f1 = [], [], [], []
    for e, (_, answerable, picked) in zip(test, chosen, strict=True):
        refused = answerable < threshold
        if e.impossible:
            refused_u.append(refused)
            continue
        refused_a.append(refused)
        top.append(picked is not None and e.labels[picked] == 1)
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
    global TARGET_FALSE_REFUSALS, BOLD_PRECISION  # noqa: PLW0603 - this run's choice
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report only, write nothing")
    parser.add_argument(
        "--no-figure-model",
        action="store_true",
        help="leave the figure model out of the weights (a figure question the hand-set "
        "figure choice finds no figure for is then refused)",
    )
    parser.add_argument(
        "--figure-model-only",
        action="store_true",
        help="fit only the figure model, on the figure questions, and write it into the "
        "weights already written (shipped and held out), the sentence models unchanged "
        "(about 10 minutes)",
    )
    parser.add_argument(
        "--thresholds-only",
        action="store_true",
        help="only re-derive the written weights' refusal and bold thresholds from the "
        "held-out predictions the last full training kept (seconds, no fitting)",
    )
    parser.add_argument(
        "--target-false-refusals",
        type=float,
        default=TARGET_FALSE_REFUSALS,
        help="share of answerable training questions (unseen predictions) "
        f"under the refusal threshold (default {TARGET_FALSE_REFUSALS})",
    )
    parser.add_argument(
        "--bold-precision",
        type=float,
        default=BOLD_PRECISION,
        help="share of bold short answers that must be right, per answer "
        f"type, on unseen predictions (default {BOLD_PRECISION})",
    )
    args = parser.parse_args(argv)
    TARGET_FALSE_REFUSALS, BOLD_PRECISION = args.target_false_refusals, args.bold_precision
    if args.thresholds_only:
        return thresholds_only()
    articles = load_squad(REPO / "eval" / "squad" / "squad-dev-3articles.json")
    own_questions(articles)
    settings = Settings(corpus_dir=WORK / "corpus", index_dir=WORK / "index",
                        show_progress=False)  # fmt: skip
    write_corpus(articles, settings.corpus_dir)
    assistant = Assistant(settings)
    assistant.ingest()
    dev_groups = {a.source: a.source for a in articles}
    corpora = training_data.external_corpora()
    examples: list[Example] = []
    figures: list[figure_training.FigureExample] = []
    texts = [(assistant, articles, dev_groups)]
    texts += [(c.assistant, c.articles, c.group_of) for c in corpora]
    with_figures = not args.no_figure_model
    for reader, read_articles, groups in texts:
        for read in training_data.read_questions(
            reader, read_articles, groups, figures_only=args.figure_model_only
        ):
            if not args.figure_model_only:
                examples.append(example(read))
            if read.analysis.wants_figure and with_figures:
                figures.append(figure_training.figure_example(read))
    print(f"{len(examples)} questions to train on, {len(figures)} figure questions")
    # Weights for each group the evals answer: the SQuAD dev articles and the COVID-QA
    # read-half groups (the aggregate half was never trained on: the shipped weights).
    left_out = sorted(dev_groups) + sorted({g for g in corpora[-1].group_of.values()})
    figure_held_out, figure_shipped = figure_models(figures, left_out)
    if args.figure_model_only:
        if not args.check:
            add_figure_models(figure_held_out, figure_shipped)
        return 0
    report: dict[str, Any] = {}
    held_out: dict[str, dict[str, Any]] = {}
    for group in left_out:
        train = [e for e in examples if e.group != group]
        weights = fit(train, [g for g in left_out if g != group], Path(group).stem)
        if group in figure_held_out:
            weights["figure"] = figure_held_out[group]
        held_out[group] = weights
        test = [e for e in examples if e.group == group and not e.id.startswith("own-")]
        report[group] = evaluate(weights, test)
        print(f"without {group}: {report[group]}")
    shipped = fit(examples, sorted({e.group for e in examples}), "shipped")
    shipped["leave_one_group_out"] = report
    shipped.update(figure_shipped)
    if args.check:
        return 0
    write_held_out(held_out, corpora[-1].group_of)
    write_weights(SHIPPED, shipped)
    print(f"wrote {SHIPPED.relative_to(REPO)}, {LOAO.relative_to(REPO)}/ and "
          f"{COVID_LOAO.relative_to(REPO)}/")  # fmt: skip
    return 0


def figure_models(
    figures: list[figure_training.FigureExample], left_out: list[str]
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """The figure model trained without each left-out group, and what the shipped weights
    add: the model trained on every figure question and its report leaving out each group
    (empty without figure questions)."""
    if not figures:
        return {}, {}
    held_out = {
        group: figure_training.fit_figure_model([e for e in figures if e.group != group])
        for group in left_out
    }
    report = {}
    for group in sorted({e.group for e in figures}):
        spec = held_out.get(group) or figure_training.fit_figure_model(
            [e for e in figures if e.group != group]
        )
        report[group] = figure_training.evaluate(spec, [e for e in figures if e.group == group])
        print(f"figures without {group}: {report[group]}")
    shipped = {
        "figure": figure_training.fit_figure_model(figures),
        "figure_leave_one_group_out": report,
    }
    return held_out, shipped


def held_out_path(group: str) -> Path:
    """The weights file the external evals answer a left-out group's questions with."""
    folder = COVID_LOAO if group.startswith("covidqa-") else LOAO
    return folder / f"without-{Path(group).stem}.json"


def write_weights(path: Path, weights: dict[str, Any]) -> None:
    """Weights as compact JSON (the files are read, not diffed by hand)."""
    path.write_text(json.dumps(weights, separators=(",", ":")) + "\n", encoding="utf-8")


def add_figure_models(held_out: dict[str, dict[str, Any]], shipped: dict[str, Any]) -> None:
    """Write the figure models into the weights files already written, the rest as it was."""
    paths = {SHIPPED: shipped}
    for group, spec in held_out.items():
        paths[held_out_path(group)] = {"figure": spec}
    for path, added in paths.items():
        weights = json.loads(path.read_text(encoding="utf-8"))
        weights.update(added)
        write_weights(path, weights)
        print(f"wrote the figure model into {path.relative_to(REPO)}")


def write_held_out(held_out: dict[str, dict[str, Any]], covid_group_of: dict[str, str]) -> None:
    """One weights file per left-out group, and for COVID-QA a map from each read-half paper
    to the file of its group (the external eval looks there first)."""
    for folder in (LOAO, COVID_LOAO):
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.json"):
            old.unlink()
    for group, weights in held_out.items():
        write_weights(held_out_path(group), weights)
    papers = {source: f"without-{group}.json" for source, group in covid_group_of.items()}
    (COVID_LOAO / "groups.json").write_text(json.dumps(papers, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
