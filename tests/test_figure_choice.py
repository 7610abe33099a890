"""The figure model's rules (which figures may answer) and what it reads about each pair."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from remqa import Assistant, Settings
from remqa.answering.figure_choice import PAIR_FEATURES, eligible_figures, pair_features
from remqa.answering.question import analyze
from remqa.text.words import tokenize
from tests.conftest import shipped_weights_with, write_corpus

SENTENCE = (
    "China accounts for 48% of global antimony production, 59.2% of refined germanium "
    "production and 98.8% of gallium production."
)


@pytest.mark.parametrize(
    ("question", "text", "allowed"),
    [
        ("What share of gallium does China produce?", SENTENCE, ["48%", "59.2%", "98.8%"]),
        # the asked kind only
        ("How many plants were built in 2019?", "In 2019 it built 12 plants for $3 million.",
         ["12"]),
        # a quantity of the asked dimension only: heavy wants a mass
        ("How heavy is the module?", "The module weighs 21.4 kg and draws 300 W.", ["21.4 kg"]),
        # the question's own year is not its answer
        ("What happened after 1998 in what year?", "After 1998, the mine reopened in 2004.",
         ["2004"]),
        # "how many megawatts" is a quantity in that unit
        ("How many megawatts does the plant make?", "The plant makes 412 MW at full load.",
         ["412 MW"]),
        # a length of time is a count of a time unit ("over 11-13" days): not a count of
        # cases, not a year
        ("How long did the outbreak last?",
         "In 2012 the outbreak caused 8098 cases over 11-13 days (ref 1,2).", ["over 11-13"]),
        ("What is the median time until recovery?",
         "Since 2012, 2494 cases were seen; the median time until recovery was 21 days.",
         ["21"]),
        ("What is the incubation period of the virus?",
         "By 2016 the virus had an incubation period of two weeks in 552 cases.",
         ["two"]),
        # "how long" may ask for a length too
        ("How long is the bridge?", "The bridge, opened in 1932, is 1,149 metres long.",
         ["1,149 metres"]),
        # "how old" asks for an age, a length of time: not the count of patients, not a year
        ("How old was the girl?", "In 2019, a 6-year-old girl was one of 14 patients.",
         ["6-year-old"]),
    ],
)  # fmt: skip
def test_only_figures_of_the_asked_kind_may_answer(
    question: str, text: str, allowed: list[str]
) -> None:
    assert [f.text for f in eligible_figures(text, analyze(question))] == allowed


def _subject(question: str, text: str) -> list[tuple[object, float]]:
    asked = {t.stem for t in tokenize(question) if len(t.text) > 3}
    return [(t, 1.0) for t in tokenize(text) if t.stem in asked]


def _features(question: str, text: str, noun: float = 0.0) -> dict[str, dict[str, float]]:
    pairs = pair_features(
        text, analyze(question), _subject(question, text), lambda s: 1.0, lambda n: noun
    )  # type: ignore[arg-type]
    return {f.text: dict(zip(PAIR_FEATURES, values, strict=True)) for f, values in pairs}


def test_the_figure_tied_to_the_asked_words_binds_strongest() -> None:
    found = _features("What share of gallium production does China have?", SENTENCE)
    assert found["98.8%"]["bind_rank_inv"] == 1.0
    assert found["98.8%"]["in_phrase"] > found["48%"]["in_phrase"]
    assert found["48%"]["unasked_ties"] > found["98.8%"]["unasked_ties"]


def test_the_counted_noun_is_matched_as_written_through_the_lexicon_and_by_meaning() -> None:
    text = "The hospital employs about 4,210 full-time nurses and 900 doctors."
    found = _features("How many nurses work at the hospital?", text, noun=0.7)
    # "full-time" stands between the count and its noun
    assert found["about 4,210"]["noun_exact"] == 1.0 and found["900"]["noun_exact"] == 0.0
    assert found["about 4,210"]["noun_cos"] == 0.7
    assert found["about 4,210"]["noun_asked"] == 1.0
    related = _features("How many physicians work at the hospital?", text)
    assert related["900"]["noun_related"] == 1.0 and related["900"]["noun_exact"] == 0.0


def test_a_figure_with_another_between_it_and_the_asked_words_is_marked() -> None:
    found = _features("What share of gallium production does China have?", SENTENCE)
    assert found["98.8%"]["figure_between"] == 0.0
    assert found["98.8%"]["near_words"] > found["48%"]["near_words"]


def _weights_with_figure_model(tmp_path: Path, threshold: float) -> Path:
    """The shipped weights plus a one-split figure model: a pair is likely (p 0.95) when its
    figure is the one bound most strongly to the question's words, else unlikely (0.05)."""
    from remqa.answering.selector import FIGURE_FEATURES

    split = FIGURE_FEATURES.index("bind_rank_inv")
    tree = {"feature": [split], "threshold": [0.75], "left": [-1], "right": [-2],
            "leaf": [-2.944, 2.944]}  # fmt: skip
    figure = {"kind": "trees", "features": list(FIGURE_FEATURES), "trees": [tree],
              "platt": [1.0, 0.0], "threshold": threshold}  # fmt: skip
    return shipped_weights_with(tmp_path / f"weights-{threshold}.json", {"figure": figure})


HOSPITAL = (
    "St Ilva General Hospital opened in 1961. Today the hospital has about 4,210 full-time "
    "nursing staff and 900 physicians."
)


def test_weights_with_a_figure_model_answer_where_the_hand_set_choice_finds_no_figure(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    corpus = write_corpus(tmp_path / "corpus", {"metals.txt": SENTENCE, "ilva.txt": HOSPITAL})
    settings = make_settings(corpus, selector_weights=_weights_with_figure_model(tmp_path, 0.5))
    Assistant(settings).ingest()
    assistant = Assistant(settings)
    # The hand-set choice binds 98.8% to "gallium production": it answers, in bold.
    bound = assistant.ask("What share of gallium production does China have?")
    assert bound.answered_by == "figure rules" and "98.8%" in bound.text.split("[1]")[0]
    # "nurses" is not what the sentence counts ("nursing staff"): the hand-set choice finds
    # no figure, the model's best pair answers, the sentence leading (never bold).
    question = "How many nurses work at St Ilva General Hospital?"
    answer = assistant.ask(question)
    assert answer.answered_by == "figure model" and not answer.refused
    assert answer.confidence == pytest.approx(0.95, 0.01)
    assert answer.text.startswith("Today the hospital has about 4,210") and "**" not in answer.text
    # Under the model's threshold, or about a name no sentence holds, it refuses.
    strict = settings.model_copy(
        update={"selector_weights": _weights_with_figure_model(tmp_path, 0.99)}
    )
    assert Assistant(strict).ask(question).refused
    elsewhere = assistant.ask("What share of gallium production does Australia have?")
    assert elsewhere.refused and elsewhere.answered_by == "figure model"


@pytest.mark.parametrize(
    ("line", "counted", "expected"),
    [
        ("Modules per box: 31 pieces", "modules", True),  # the label names what is counted
        ("Modules per box: 31 pieces", "boxes", True),
        ("Modules per box: 31 pieces", "pallets", False),  # another noun
        ("31 modules: see the box", "modules", False),  # the figure is in the label
        ("The box holds 31 pieces", "modules", False),  # no label: value line
        ("Modules per box: 31 pieces", None, False),  # not a "how many" question
    ],
)
def test_a_label_says_what_its_value_counts(line: str, counted: str | None, expected: bool) -> None:
    from remqa.answering.binding import labelled_count
    from remqa.answering.figures import find_figures

    counts = [f for f in find_figures(line) if f.kind == "count"]
    assert counts
    assert labelled_count(line, counts[0], counted) is expected


def test_a_count_of_one_unit_of_time_does_not_answer_another(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    """WordNet's "days" may mean "years" ("in my days"); a unit of time is exact all the same."""
    corpus = write_corpus(tmp_path / "corpus", {
        "case.txt": "A 6-year-old girl was admitted 6 weeks after a rhinovirus infection.",
    })  # fmt: skip
    assistant = Assistant(make_settings(corpus))
    assistant.ingest()
    days = assistant.ask("How many days after the infection was the girl admitted?")
    assert not days.text.startswith("**6")  # neither "6 weeks" nor "6-year-old" is in days
    weeks = assistant.ask("How many weeks after the infection was the girl admitted?")
    assert not weeks.refused and "6 weeks" in weeks.text
