"""Pure pieces of the answer engine: question analysis, figure binding, follow-ups."""

from __future__ import annotations

import pytest

from remqa.answering.binding import bind
from remqa.answering.figures import find_figures
from remqa.answering.followup import resolve_followup
from remqa.answering.question import analyze
from remqa.answering.terms import term_forms
from remqa.retrieval.expansion import expand_query
from remqa.text.words import (
    find_acronyms,
    lone_names,
    spells_acronym,
    stem,
    stems_match,
    tokenize,
)


@pytest.mark.parametrize(
    ("question", "kinds", "unit"),
    [
        ("What share of gallium production does China have?", {"percent"}, None),
        ("What percentage of output is exported?", {"percent"}, None),
        ("How much is the germanium market worth?", {"money"}, None),
        ("How many tons did the world produce?", {"quantity"}, None),
        ("When did mining restart?", {"year"}, None),
        ("In which year did exports stop?", {"year"}, None),
        ("By how many times will output grow?", {"multiplier"}, None),
        ("How many rare earth mines are there in China?", {"count"}, "mines"),
        ("How many people work at the mine?", {"count"}, "people"),
        # a modal verb ends the counted noun phrase, as "are" and "work" do
        ("How many people may have left the city?", {"count"}, "people"),
        ("How many patients could the ward take?", {"count"}, "patients"),
        # "factor" asks for a multiplier only as one ("by what factor", "a factor of")
        ("By what factor did output rise?", {"multiplier"}, None),
        ("Output rose by a factor of how much?", {"multiplier"}, None),
        ("What is a key factor in managing outbreaks?", set(), None),
        ("Which company makes the magnets?", set(), None),
        ("Who announced the eightfold rise?", set(), None),
        ("Where is the mine located?", set(), None),
        # A place asked for is a name, whatever figures the question holds.
        ("Which country holds 70% of the reserves?", set(), None),
        # A cue word asks for a figure only when it is what the question asks about.
        ("What is China's stake in scandium mining?", {"percent"}, None),
        ("Contrast Russia's portion of reserves with its portion of output.", {"percent"}, None),
        ("What part of the Rhine flows through the city?", set(), None),
        ("A small fraction of the flow goes to what lake?", set(), None),
        ("The church supports federal funding for what purpose?", set(), None),
        # "when" asks for a time as the question word, not when it joins a clause.
        ("Since when has the plant been closed?", {"year"}, None),
        ("By when should the factory start operating?", {"year"}, None),
        ("When Augustus died?", {"year"}, None),
        ("What happens when two magnets touch?", set(), None),
        ("When the river leaves the lake, which way does it flow?", set(), None),
        ("What keeps a box from moving when it is pushed?", set(), None),
    ],
)
def test_expected_answer_kind(question: str, kinds: set[str], unit: str | None) -> None:
    analysis = analyze(question)
    assert analysis.kinds == kinds
    assert analysis.count_unit == unit


@pytest.mark.parametrize(
    ("question", "answer_type", "wants_name"),
    [
        ("Who described the three laws?", "name", True),
        ("In which city did the treaty get signed?", "place", True),
        ("What percentage of people voted?", "amount", False),
        ("How large is the lake?", "measure", False),
        ("What area does the park cover?", "place", False),  # a size, not a place's name
        ("Which river flows through Basel?", "place", True),
        ("What is the translation of Oude Maas?", "thing", False),
        # a length of time asked for by name is a measure, not a date
        ("What is the median time until death?", "measure", False),
        ("What is the incubation period of the virus?", "measure", False),
    ],
)
def test_one_reading_gives_the_answer_type_and_whether_a_name_is_wanted(
    question: str, answer_type: str, wants_name: bool
) -> None:
    analysis = analyze(question)
    assert (analysis.answer_type, analysis.wants_name) == (answer_type, wants_name)


def test_names_and_years_are_entities_and_cue_words_are_not_terms() -> None:
    analysis = analyze(
        "What share of rare earth output did the US Geological Survey report in 2014?"
    )
    terms = {t.text: t for t in analysis.terms}
    assert "share" not in terms and "What" not in terms
    assert terms["Geological"].entity and terms["Survey"].entity
    assert terms["Geological"].group == terms["Survey"].group == terms["US"].group
    assert terms["2014"].year and terms["2014"].entity
    assert not terms["rare"].entity


SENTENCE = (
    "China accounts for 48% of global antimony production, 59.2% of refined germanium "
    "production and 98.8% of gallium production."
)


@pytest.mark.parametrize(
    ("sentence", "subject", "expected"),
    [
        (SENTENCE, "gallium", "98.8%"),
        (SENTENCE, "germanium", "59.2%"),
        (SENTENCE, "antimony", "48%"),
        ("China dominates bismuth (70%), tungsten (86%) and fluorite (56%).", "tungsten", "86%"),
        ("China dominates bismuth (70%), tungsten (86%) and fluorite (56%).", "bismuth", "70%"),
        (
            "Its share in the gallium market exceeds 90%, in the German market - 80%.",
            "German",
            "80%",
        ),
        ("In 2017, mining resumed, and by 2022, the mine accounted for 14%.", "resumed", "2017"),
        # a year that ends its clause dates the words before it, not the next clause's
        (
            "A road crossed the pass in AD 120, and a bridge replaced the ford in 1342.",
            "bridge",
            "1342",
        ),
        (
            "A road crossed the pass in AD 120, and a bridge replaced the ford in 1342.",
            "road",
            "AD 120",
        ),
    ],
)
def test_figure_binds_to_its_own_subject(sentence: str, subject: str, expected: str) -> None:
    figures = find_figures(sentence)
    tokens = [(t, 1.0) for t in tokenize(sentence) if t.text == subject]
    assert tokens
    wanted = [f for f in figures if f.kind == find_figures(expected)[0].kind]
    assert bind(sentence, figures, wanted, tokens)[0][0].text.endswith(expected)


def _similar(word: str, others: list[str]) -> list[float]:
    """Stands in for the embedding model: elements are alike, and so are countries."""
    groups = [{"gallium", "germanium", "antimony", "vanadium", "tungsten"}, {"china", "russia"}]
    return [
        1.0 if any(word.lower() in g and o.lower() in g for g in groups) else 0.0 for o in others
    ]


@pytest.mark.parametrize(
    ("previous", "follow", "expected"),
    [
        ("What share of world gallium production does China have?", "And germanium?",
         "What share of world germanium production does China have?"),
        ("How much is the gallium market worth?", "And the germanium market?",
         "How much is the germanium market worth?"),
        ("What is China's share of tungsten production?", "How about vanadium?",
         "What is China's share of vanadium production?"),
        ("How much of global reserves does China hold?", "And Russia?",
         "How much of global reserves does Russia hold?"),
        ("How many tons were produced in 2014?", "And ten years later?",
         "How many tons were produced in 2024?"),
        ("How many tons were produced in 2014?", "What about two years earlier?",
         "How many tons were produced in 2012?"),
        ("When did mining restart?", "What share of ore output did Mountain Pass have in 2022?",
         "What share of ore output did Mountain Pass have in 2022?"),
    ],
)  # fmt: skip
def test_follow_up_resolution(previous: str, follow: str, expected: str) -> None:
    assert resolve_followup(follow, previous, _similar) == expected


def test_follow_up_with_pronoun_carries_previous_terms() -> None:
    resolved = resolve_followup(
        "How much will it make per year?",
        "When will Rusatom MetalTech open its neodymium magnet plant?",
        _similar,
    )
    assert resolved.startswith("How much will it make per year")
    assert "neodymium" in resolved and "MetalTech" in resolved


def test_no_history_leaves_the_question_alone() -> None:
    assert resolve_followup("And germanium?", None, _similar) == "And germanium?"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [("produc", "product", True), ("german", "germanium", True), ("licenc", "licens", True),
     ("mine", "mini", False), ("rare", "rarely", False), ("gallium", "germanium", False)],
)  # fmt: skip
def test_stems_match(a: str, b: str, same: bool) -> None:
    assert stems_match(a, b) is same


def test_acronyms_defined_in_text_are_found_and_spelled() -> None:
    assert find_acronyms("rare earth metals (REM) are rare")["rem"] == ("rare", "earth", "metal")
    assert find_acronyms("some words (XYZ) here") == {}
    tokens = tokenize("According to the US Geological Survey, output rose.")
    assert [t.text for t in spells_acronym("USGS", tokens)] == ["US", "Geological", "Survey"]
    assert "REM" in expand_query("rare earth mines in China", {"rem": ("rare", "earth", "metal")})


def test_brackets_after_a_figure_say_what_it_is() -> None:
    sentence = (
        "The markets amount to $430 million (100 tons of gallium) and $230 million "
        "(60 tons of germanium) per year."
    )
    figures = find_figures(sentence)
    money = [f for f in figures if f.kind == "money"]
    for subject, expected in (("gallium", "$430 million"), ("germanium", "$230 million")):
        tokens = [(t, 1.0) for t in tokenize(sentence) if t.text == subject]
        assert bind(sentence, figures, money, tokens)[0][0].text == expected


def test_words_of_an_expression_are_matched_as_written() -> None:
    terms = {t.text: t for t in analyze("How large are Russia's rare earth reserves?").terms}
    assert terms["rare"].literal and terms["earth"].literal
    assert not terms["reserves"].literal


@pytest.mark.parametrize(
    ("question", "rank"),
    [
        ("Where does Russia rank worldwide by reserves?", True),
        ("What position did the firm occupy among the owners?", True),
        ("Which place did the team finish in?", True),
        ("What year did the flood take place?", False),
        ("The church ranks as the largest what?", False),
        ("Which group identifies with the pro-life position?", False),
        ("Where is the natural place for earth and water?", False),
    ],
)
def test_a_rank_is_asked_for_only_by_rank_words_or_what_position(question: str, rank: bool) -> None:
    assert analyze(question).wants_rank is rank


def test_a_name_stands_for_the_names_wordnet_gives_for_it() -> None:
    # no alias list written for one article: WordNet's names for a place or body
    assert (stem("china"),) in term_forms("Beijing", name=True)
    assert (stem("united"), stem("states")) in term_forms("America", name=True)
    assert (stem("russia"),) in term_forms("Moscow", name=True)
    assert term_forms("plant", name=True) == term_forms("plant")  # not a name: none added
    assert (stem("china"),) not in term_forms("Beijing")  # not a name of one word: no names
    expanded = expand_query("When did Beijing restrict exports?", {}).split()
    assert "china" in expanded and "prc" in expanded
    assert "red" not in expanded  # only one-word names widen the keyword query


def test_a_common_word_is_matched_as_written_with_no_synonym_list() -> None:
    # the article-fitted synonym list is gone: "facilities" is not the article's "plants",
    # neither in matching nor in the keyword query; paraphrase is the selector's evidence
    assert term_forms("facilities") == ((stem("facilities"),),)
    assert term_forms("output") == ((stem("output"),),)
    question = "How many facilities had the largest global output?"
    assert expand_query(question, {}) == question


def test_words_about_a_document_are_question_terms_like_any_other() -> None:
    # no stopwords chosen for one article's questions: a corpus of reports matches "report"
    terms = {t.text.lower() for t in analyze("What did the annual report say about exports?").terms}
    assert {"annual", "report", "say", "exports"} <= terms
    assert "the" not in terms and "about" not in terms


def test_what_a_count_counts_is_read_through_wordnet() -> None:
    from remqa.text.lexicon import stands_for

    assert stands_for(stem("varieties"), "kinds")  # "how many kinds" is answered by varieties
    assert stands_for(stem("mining"), "mine")  # a derived form
    assert not stands_for(stem("tons"), "kinds")
    assert not stands_for(stem("species"), "kinds")  # no hand-written list says so


def test_one_rule_tells_a_name_of_one_word_for_question_and_keyword_query() -> None:
    tokens = tokenize("Is the United Methodist Church in Beijing or The Hague?")
    assert [tokens[i].text for i in sorted(lone_names(tokens))] == ["Beijing", "Hague"]
    analysis = analyze("Did the United Methodist Church open in Beijing in 2008?")
    assert {t.text for t in analysis.terms if t.alone} == {"Beijing"}  # not the year either
    united = expand_query("Where is the United Methodist Church based?", {}).split()
    assert "unite" not in united and "union" not in united  # part of a longer name


def test_a_modal_verb_is_not_a_term_but_the_month_may_is() -> None:
    assert "may" not in {t.text.lower() for t in analyze("What may cause the flood?").terms}
    assert "May" in {t.text for t in analyze("What happened in May 2020?").terms}
