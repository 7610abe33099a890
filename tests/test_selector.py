"""The learned answer selector: answer types, candidate spans, the JSON model format, and the
shipped weights."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from remqa import Assistant, Settings
from remqa.answering.answer_types import typed_spans
from remqa.answering.features import FEATURES
from remqa.answering.model import Scorer, trees_from_lightgbm
from remqa.answering.question import analyze
from remqa.answering.selector import (
    ANSWERABILITY_SENTENCES,
    SHIPPED,
    answerability,
    load_selector,
    quoted_answerability,
)
from remqa.answering.spans import SPAN_FEATURES, candidate_spans
from remqa.errors import RemqaError
from tests.conftest import shipped_weights_with, write_corpus


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Who had the idea of a natural state for objects at rest?", "name"),
        ("Which official announced the target?", "name"),
        ("When was the church founded?", "date"),
        ("In what year did the union take place?", "date"),
        ("Where does the river end?", "place"),
        ("Which city lies on the lake?", "place"),
        ("How many cantons does it cross?", "count"),
        ("How much did the dredging cost?", "amount"),
        ("How long is the Rhine?", "measure"),
        ("Why did the plant close?", "reason"),
        ("What is the translation of Oude Maas?", "thing"),
        ("Since when was the Rhine a border?", "date"),
        ("When the river leaves the lake, which way does it flow?", "thing"),
        ("What occurs when electron clouds overlap?", "thing"),
    ],
)
def test_answer_type_from_question_words(question: str, kind: str) -> None:
    assert analyze(question).answer_type == kind


def test_typed_spans_find_names_dates_and_counts_not_in_the_question() -> None:
    sentence = "In 1687 Isaac Newton published the Principia, which lists three laws of motion."
    assert [s.text for s in typed_spans(sentence, "name", {"newton"})] == ["Principia"]
    assert [s.text for s in typed_spans(sentence, "date", set())] == ["1687"]
    assert "three laws" in [s.text for s in typed_spans(sentence, "count", set())]


@pytest.mark.parametrize(
    ("sentence", "dates"),
    [
        ("The ice began to thaw about 22,000 years ago, and forests returned by 9000 BP.",
         ["22,000 years ago", "9000 BP"]),
        ("Since ~3000 yr BP, people farmed the delta.", ["3000 yr BP"]),
        ("The Earth formed 4.5 billion years ago.", ["4.5 billion years ago"]),
        ("Rome was founded in 753 BC, Britain invaded in AD 43 and Rome fell in 476 CE.",
         ["753 BC", "AD 43", "476 CE"]),
        ("A fort stood there from 300 B.C. on.", ["300 B.C."]),
        ("We ran 5 ad campaigns over 3 years.", []),  # "ad" a word, "3 years" a length
        ("The bridge was rebuilt in AD 1342.", ["AD 1342"]),  # the year with its era, whole
        ("We enrolled 120 AD patients in March 2020.", ["March 2020"]),  # AD: a disease
    ],
)  # fmt: skip
def test_a_time_counted_back_or_by_an_era_is_a_date(sentence: str, dates: list[str]) -> None:
    """ "When did the forests return?" may be answered by "9000 BP" as by a year."""
    assert [s.text for s in typed_spans(sentence, "date", set())] == dates


def test_candidate_spans_are_exact_and_never_cut_a_figure() -> None:
    sentence = "In general, more than 95% of the metals are mined in China."
    spans = candidate_spans(sentence, "count", {"mine", "china"})
    assert spans and all(sentence[c.span.start : c.span.end] == c.span.text for c in spans)
    assert all(len(c.features) == len(SPAN_FEATURES) for c in spans)
    texts = [c.span.text for c in spans]
    assert "more than 95%" in texts and "95" not in texts


def test_tree_model_in_json_scores_as_lightgbm_does() -> None:
    import lightgbm  # the training extra (in the test extra too); answering needs none

    rng = np.random.default_rng(0)
    x = rng.normal(size=(500, 4))
    y = (x[:, 0] + x[:, 1] * x[:, 2] > 0).astype(int)
    model = lightgbm.LGBMClassifier(n_estimators=20, num_leaves=7, verbose=-1).fit(x, y)
    spec = json.loads(
        json.dumps(
            {"kind": "trees", "features": list("abcd"),
             "trees": trees_from_lightgbm(model.booster_.dump_model())}
        )
    )  # fmt: skip
    ours = Scorer(spec, list("abcd")).score(x)
    assert np.allclose(ours, model.booster_.predict(x, raw_score=True))


def test_linear_model_and_platt_scaling() -> None:
    spec = {"kind": "linear", "features": ["a", "b"], "mean": [1.0, 0.0], "scale": [2.0, 1.0],
            "coef": [1.0, -1.0], "bias": 0.5, "platt": [2.0, 0.0]}  # fmt: skip
    scorer = Scorer(spec, ["a", "b"])
    assert scorer.score([[3.0, 1.0]])[0] == pytest.approx(0.5)
    assert scorer.probability([[3.0, 1.0]])[0] == pytest.approx(1 / (1 + np.exp(-1.0)))
    with pytest.raises(ValueError, match="other features"):
        Scorer(spec, ["a", "c"])


def test_shipped_weights_load_without_training_libraries() -> None:
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    assert data["sentence"]["features"] == list(FEATURES)
    assert data["span"]["features"] == list(SPAN_FEATURES)
    assert not any(name.startswith("rare") for name in data["trained_on"])  # not the bundled
    selector = load_selector()
    assert 0.0 < selector.threshold < 0.5
    rows = np.zeros((3, len(FEATURES)))
    assert selector.sentence.probability(rows).shape == (3,)


def test_broken_weights_give_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "weights.json"
    bad.write_text('{"sentence": {}}', encoding="utf-8")
    with pytest.raises(RemqaError, match="train_selector.py"):
        load_selector(bad)
    with pytest.raises(RemqaError, match="not found"):
        load_selector(tmp_path / "missing.json")


DOCS = {
    "physics.txt": (
        "The idea that objects have a natural state of rest came from Aristotle. "
        "Galileo Galilei later showed that a moving object keeps moving unless a force acts. "
        "Isaac Newton published his laws of motion in 1687.\n\n"
        "The zorblax reactor at Quillon produces 412 megawatts of power."
    )
}


def test_the_answerer_quotes_the_answering_sentence_and_cites_it(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    corpus = write_corpus(tmp_path / "corpus", DOCS)
    assistant = Assistant(make_settings(corpus))
    answer = assistant.ask("Who came up with the idea of a natural state of rest for objects?")
    assert not answer.refused and answer.confidence is not None
    assert "came from Aristotle. [1]" in answer.text  # bold or not: its type's threshold
    c = answer.citations[0]
    assert assistant.source_text(c.source)[c.start : c.end] == c.quote
    when = assistant.ask("When did Newton publish his laws of motion?")
    assert "in 1687. [1]" in when.text and not when.refused


def test_answerability_reads_the_most_likely_sentences_together() -> None:
    assert answerability([], None) == 0.0
    assert answerability([0.4], 0.4) == pytest.approx(0.4)
    assert answerability([0.5, 0.5], 0.5) == pytest.approx(0.75)  # two half chances
    # only the ANSWERABILITY_SENTENCES most likely count, whatever the order given
    many = [0.01] + [0.5] * (ANSWERABILITY_SENTENCES + 3)
    assert answerability(many, 0.5) == pytest.approx(1 - 0.5**ANSWERABILITY_SENTENCES)
    # no sentence the rules let it quote, or only one far less likely than the likeliest
    assert answerability([0.9, 0.8], None) == 0.0
    assert answerability([0.9, 0.8, 0.1], 0.1) == 0.0
    assert answerability([0.9, 0.8, 0.1], 0.8) == pytest.approx(1 - 0.1 * 0.2 * 0.9)


def test_the_answer_quotes_the_first_allowed_sentence_in_the_rankers_order() -> None:
    """One rule for the answerer and for training: the quoted sentence is the first the rules
    allow in the ranker's order (not the likeliest), and its P decides answerability."""
    p = [0.9, 0.8, 0.1]
    assert quoted_answerability([1, 2], p) == (1, answerability(p, 0.8))
    assert quoted_answerability([2, 1], p) == (2, 0.0)  # ranked first, far less likely
    assert quoted_answerability([], p) == (None, 0.0)  # the rules allow none


def test_learned_answerer_refuses_below_its_threshold(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    corpus = write_corpus(tmp_path / "corpus", DOCS)
    question = "Who came up with the idea of a natural state of rest for objects?"
    strict = Assistant(make_settings(corpus, refusal_threshold=1.0))
    answer = strict.ask(question)
    assert answer.refused and answer.citations == [] and answer.confidence is not None
    assert answer.answerability is not None and answer.answerability < 1.0
    # Refusal reads P(the passages answer) from the likeliest sentences together, which is
    # more than the chosen sentence's own P: a threshold between the two answers.
    answered = Assistant(make_settings(corpus)).ask(question)
    p, together = answered.confidence, answered.answerability
    assert p is not None and together is not None and together > p
    between = Assistant(make_settings(corpus, refusal_threshold=(p + together) / 2))
    assert not between.ask(question).refused
    # A figure question with no figure of the asked kind is refused whatever the model says.
    lenient = Assistant(make_settings(corpus, refusal_threshold=0.0))
    assert lenient.ask("What percentage of the power does the zorblax reactor export?").refused


GUILD = {"guild.txt": "The movement which became the guild began in the mid-18th century.\n"}


def test_learned_answerer_answers_when_without_a_year(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    corpus = write_corpus(tmp_path / "corpus", GUILD)
    assistant = Assistant(make_settings(corpus))
    answer = assistant.ask("When did the movement that became the guild begin?")
    assert not answer.refused and "mid-18th century" in answer.text


def test_training_reads_eligibility_as_the_answerer_does(
    tmp_path: Path, make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A "what year" question's sentence that gives a century, not a year, is eligible only
    once its dates are read (Answerer.give_dates): the answerer quotes it, and training must
    mark it eligible too, on copies (the figure model reads the candidates as measured)."""
    from remqa.answering.answerer import Answerer

    corpus = write_corpus(tmp_path / "corpus", GUILD)
    assistant = Assistant(make_settings(corpus))
    assistant.ensure_ready()
    assert assistant._answerer is not None and assistant._similarity is not None
    question = "In what year did the movement that became the guild begin?"
    analysis = analyze(question)
    vector = assistant._similarity.embed_query(question)
    passages = assistant.retriever.retrieve(question, vector)
    cands = assistant._answerer.reader.scored_candidates(analysis, passages, vector)
    assert [Answerer.eligible(c, analysis) for c in cands] == [False]  # as measured
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parent.parent / "eval"))
    from train_selector import eligibility

    assert eligibility(cands, analysis) == [True]
    assert [Answerer.eligible(c, analysis) for c in cands] == [False]  # left as measured
    assert "mid-18th century" in assistant.ask(question).text


def test_antonym_and_negation_features() -> None:
    from remqa.answering.features import _antonym, _lemmas, _negated
    from remqa.text.words import tokenize

    question = tokenize("What is the smallest denomination?")
    assert _antonym(question, _lemmas(tokenize("It is the largest denomination."))) == 1.0
    assert _antonym(question, _lemmas(tokenize("It is the smallest denomination."))) == 0.0
    assert _negated(tokenize("It isn't clean.")) and not _negated(tokenize("It is clean."))


def test_a_name_in_the_question_is_not_matched_by_a_lower_case_word(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    """ "Newton's apple" is not about the unit "newton": the only mass in the documents is
    not given as the apple's."""
    docs = {"force.txt": "The kilogram-force is the force of standard gravity on one kilogram "
            "of mass; the newton is the SI unit of force.\n"}  # fmt: skip
    corpus = write_corpus(tmp_path / "corpus", docs)
    assistant = Assistant(make_settings(corpus))
    assert assistant.ask("What was the mass of Newton's apple tree?").refused


def _weights_with_bold_thresholds(tmp_path: Path, thresholds: dict[str, float]) -> Path:
    path = tmp_path / f"bold-{len(list(tmp_path.glob('bold-*')))}.json"
    return shipped_weights_with(path, {"bold_thresholds": thresholds})


def test_a_short_answer_is_bold_only_above_its_types_threshold(
    tmp_path: Path, make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    from remqa.answering import answerer

    # the span ranker's thresholds (selector.json): the reading model bolds no type here
    monkeypatch.setattr(answerer, "reading_model_thresholds", lambda: {})
    corpus = write_corpus(tmp_path / "corpus", DOCS)
    question = "Who came up with the idea of a natural state of rest for objects?"
    sure = make_settings(
        corpus, selector_weights=_weights_with_bold_thresholds(tmp_path, {"name": 0.0})
    )
    answer = Assistant(sure).ask(question)
    assert answer.text.startswith("**Aristotle** — ") and answer.answered_by == "selector"
    # A type whose threshold no answer reaches, or one without a threshold, leads with the
    # sentence itself.
    for thresholds in ({"name": 1.5}, {"date": 0.0}):
        weights = _weights_with_bold_thresholds(tmp_path, thresholds)
        plain = Assistant(sure.model_copy(update={"selector_weights": weights})).ask(question)
        assert not plain.refused and plain.text.startswith("The idea that objects"), thresholds
        assert "**" not in plain.text


def test_weights_say_which_model_answered_a_figure_question(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    # weights without a figure model: the hand-set choice answers
    path = shipped_weights_with(tmp_path / "no-figure-model.json", {}, drop=("figure",))
    corpus = write_corpus(tmp_path / "corpus", DOCS)
    assistant = Assistant(make_settings(corpus, selector_weights=path))
    answer = assistant.ask("How much power does the zorblax reactor at Quillon produce?")
    assert answer.answered_by == "figure rules" and "412 megawatts" in answer.text
    refused = assistant.ask("What percentage of the power does the zorblax reactor export?")
    assert refused.refused and refused.answered_by == "figure rules"


def test_a_figure_leads_in_bold_only_when_its_sentence_likely_answers(
    tmp_path: Path, make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The figure rules choose the figure; the selector's P(its sentence answers), the
    answer's confidence, decides against the answer type's figure threshold whether it
    leads in bold. Without one for the type, the sentence leads, the figure in it."""
    from remqa.answering import answerer

    corpus = write_corpus(tmp_path / "corpus", DOCS)
    path = shipped_weights_with(tmp_path / "no-figure-model.json", {}, drop=("figure",))
    assistant = Assistant(make_settings(corpus, selector_weights=path))
    question = "How much power does the zorblax reactor at Quillon produce?"
    for thresholds, bold in (({"amount": 0.0}, True), ({"amount": 2.0}, False), ({}, False)):
        monkeypatch.setattr(answerer, "figure_thresholds", lambda t=thresholds: t)
        answer = assistant.ask(question)
        assert answer.answered_by == "figure rules" and answer.confidence is not None
        assert 0.0 < answer.confidence < 1.0
        assert answer.text.startswith("**412 megawatts** — ") == bold, (thresholds, answer.text)
        assert "412 megawatts" in answer.text.split("[1]")[0]
