"""The texts the learned models train on, beside the SQuAD development articles in eval/squad/:
the ten SQuAD 2.0 training articles (../shared/external/squad-train/, crowd questions, and
the figure questions we wrote about them) and the read half of COVID-QA (eval/figures/README.md:
the papers at even positions of the sorted titles, with their expert questions and ours).
The aggregate half of COVID-QA is never read or trained on: it is measured only.

Each text is a group: a SQuAD training article on its own, the COVID-QA read papers in three
groups, so that weights trained without a group can answer its questions out of sample.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from remqa import Assistant, Settings
from remqa.answering.answer_types import AnswerType
from remqa.answering.answerer import Answerer
from remqa.answering.candidates import Candidate
from remqa.answering.question import QuestionAnalysis, analyze
from remqa.evaluation.squad import GoldAnswer, SquadArticle, SquadQuestion, load_squad, write_corpus

REPO = Path(__file__).resolve().parent.parent
EXTERNAL = REPO.parent / "shared" / "external"
SQUAD_TRAIN = EXTERNAL / "squad-train" / "squad2-train-first10articles.json"
COVIDQA = EXTERNAL / "covidqa" / "covidqa-dev-30papers.json"
OWN_FIGURES = REPO / "eval" / "figures" / "questions.json"
WORK = REPO / "eval" / "figures" / "work"
COVID_GROUPS = 3


@dataclass
class TrainingCorpus:
    """An ingested corpus of training texts, its articles with questions, and their groups."""

    assistant: Assistant
    articles: list[SquadArticle]
    group_of: dict[str, str]  # article source -> group


def _require(path: Path) -> None:
    if not path.exists():
        raise SystemExit(
            f"{path} is missing: the models train on the shared external data, which must "
            "sit in ../shared/external beside this repository."
        )


def add_own_figure_questions(prefix: str, articles: list[SquadArticle]) -> None:
    """Add our written figure questions about these articles (text 'prefix:<title>')."""
    by_title = {a.title: a for a in articles}
    for item in json.loads(OWN_FIGURES.read_text(encoding="utf-8"))["items"]:
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


def read_half(articles: list[SquadArticle]) -> list[SquadArticle]:
    """The COVID-QA papers at even positions of the sorted titles (eval/figures/README.md)."""
    titles = sorted(a.title for a in articles)
    read = set(titles[::2])
    return [a for a in articles if a.title in read]


def covid_groups(papers: list[SquadArticle]) -> dict[str, str]:
    """Each read-half paper's group, covidqa-0 .. covidqa-2, by its sorted title."""
    titles = sorted(a.title for a in papers)
    return {a.source: f"covidqa-{titles.index(a.title) % COVID_GROUPS}" for a in papers}


def ingested(name: str, articles: list[SquadArticle], groups: dict[str, str]) -> TrainingCorpus:
    settings = Settings(corpus_dir=WORK / name / "corpus", index_dir=WORK / name / "index",
                        show_progress=False)  # fmt: skip
    write_corpus(articles, settings.corpus_dir)
    assistant = Assistant(settings)
    assistant.ingest()
    assistant.ensure_ready()
    return TrainingCorpus(assistant, articles, groups)


def external_corpora() -> list[TrainingCorpus]:
    """The SQuAD training articles and the read half of COVID-QA, ingested, with their
    crowd or expert questions and the figure questions we wrote about them."""
    _require(SQUAD_TRAIN)
    _require(COVIDQA)
    train = load_squad(SQUAD_TRAIN)
    add_own_figure_questions("squad-train", train)
    papers = read_half(load_squad(COVIDQA))
    add_own_figure_questions("covidqa", papers)
    return [
        ingested("squad-train", train, {a.source: f"train:{a.title}" for a in train}),
        ingested("covidqa-read", papers, covid_groups(papers)),
    ]


@dataclass
class ReadQuestion:
    """One training question as the real pipeline reads it: the candidate sentences of the
    passages it retrieves, measured. The selector's and the figure model's examples are both
    made from it, so each question is retrieved and measured once."""

    group: str
    question: SquadQuestion
    analysis: QuestionAnalysis
    kind: AnswerType
    candidates: list[Candidate]
    answerer: Answerer


def read_questions(
    assistant: Assistant,
    articles: list[SquadArticle],
    group_of: dict[str, str],
    figures_only: bool = False,
) -> Iterator[ReadQuestion]:
    """Every question of these (ingested) articles, read; with `figures_only`, only those
    that ask for a figure (the figure model's)."""
    assistant.ensure_ready()
    answerer, similarity = assistant._answerer, assistant._similarity
    assert answerer is not None and similarity is not None
    for article in articles:
        for q in article.questions:
            analysis = analyze(q.question)
            if figures_only and not analysis.wants_figure:
                continue
            vector = similarity.embed_query(q.question)
            passages = assistant.retriever.retrieve(q.question, vector)
            cands = answerer.reader.scored_candidates(analysis, passages, vector)
            yield ReadQuestion(
                group_of[q.article], q, analysis, analysis.answer_type, cands, answerer
            )
