"""Tests for remqa.answering.figures: parsing, normalising and comparing figures in English text."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remqa.answering.figures import (
    Figure,
    contains_figure,
    figures_of_kind,
    find_figures,
    parse_figure,
    same_figure,
    with_time_unit,
)

ARTICLE = "rare-earths-us-china-russia.txt"
CORPUS = Path(__file__).resolve().parent.parent / "corpus" / ARTICLE


def summary(text: str) -> list[tuple[str, float, float, str | None]]:
    """(kind, low, high, unit) of every figure in text: the shape most tests compare."""
    return [(f.kind, f.low, f.high, f.unit) for f in find_figures(text)]


def corpus_text() -> str:
    if not CORPUS.exists():
        pytest.skip(f"corpus article not found: {CORPUS}")
    return CORPUS.read_text(encoding="utf-8")


# --- equality rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("98.8%", "98.8 percent"),
        ("98.8%", "98.8 per cent"),
        ("98.8%", "98.8 %"),
        ("270 thousand tons", "270,000 tonnes"),
        ("270 thousand tons", "270000 t"),
        ("270 thousand tons", "270 kt"),
        ("$15 billion", "US$15bn"),
        ("$15 billion", "$15bn"),
        ("$15 billion", "15 billion dollars"),
        ("$15 billion", "USD 15 billion"),
        ("$15 billion", "$15,000 million"),
        ("$430 million", "$430m"),
        ("$430 million", "430 million dollars"),
        ("$430 million", "$430M"),
        ("80-95%", "80–95%"),
        ("80-95%", "80 to 95%"),
        ("80-95%", "80-95 percent"),
        ("80-95%", "80% to 95%"),
        ("80-95%", "between 80 and 95%"),
        ("1960-1980", "1960–1980"),
        ("eightfold", "8-fold"),
        ("eightfold", "eight-fold"),
        ("two times", "twice"),
        ("2x", "twice"),
        ("tenfold", "10 times"),
        ("more than 95%", "95%"),  # qualifier is ignored
        ("17 metals", "17"),  # a count's unit is ignored when one side has none
        ("17 metals", "17 rare earth metals"),
        ("over 30 mines", "30 mines"),
        ("2017", "2017"),
        ("$0.1 billion", "$100 million"),  # float scaling within tolerance
    ],
)
def test_same_figure(a: str, b: str) -> None:
    fa, fb = parse_figure(a), parse_figure(b)
    assert same_figure(fa, fb)
    assert same_figure(fb, fa)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("98.8%", "9.88%"),
        ("98.8%", "98.8"),  # a bare number is a count, not a percentage
        ("390 thousand tons", "39 thousand tons"),
        ("270 thousand tons", "270 thousand"),
        ("$430 million", "$430 billion"),
        ("$430 million", "430 million"),
        ("$15 billion", "€15 billion"),
        ("80-95%", "80%"),
        ("80-95%", "95%"),
        ("80-95%", "80-90%"),
        ("80-95%", "80-95"),
        ("1960-1980", "1960"),
        ("2017", "2018"),
        ("1,000 tons", "1000"),
        ("eightfold", "8"),
        ("eightfold", "8%"),
        ("17 metals", "17 mines"),
        ("5%", "5 percentage points"),
    ],
)
def test_not_same_figure(a: str, b: str) -> None:
    fa, fb = parse_figure(a), parse_figure(b)
    assert not same_figure(fa, fb)
    assert not same_figure(fb, fa)


# --- parsing single figures -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kind", "low", "high", "unit"),
    [
        ("98.8%", "percent", 98.8, 98.8, "%"),
        ("59.2%", "percent", 59.2, 59.2, "%"),
        ("$430 million", "money", 430e6, 430e6, "USD"),
        ("$15bn", "money", 15e9, 15e9, "USD"),
        ("€2.5 billion", "money", 2.5e9, 2.5e9, "EUR"),
        ("270 thousand tons", "quantity", 270e3, 270e3, "t"),
        ("658 million tons", "quantity", 658e6, 658e6, "t"),
        ("28.5 million tons", "quantity", 28.5e6, 28.5e6, "t"),
        ("1,000 tons per year", "quantity", 1000.0, 1000.0, "t"),
        ("2 Mt", "quantity", 2e6, 2e6, "t"),
        ("80-95%", "percent", 80.0, 95.0, "%"),
        ("$5-10 million", "money", 5e6, 10e6, "USD"),
        ("10-15 mines", "count", 10.0, 15.0, "mine"),
        ("2-3 times", "multiplier", 2.0, 3.0, None),
        ("2017", "year", 2017.0, 2017.0, None),
        ("in December 2024", "year", 2024.0, 2024.0, None),
        ("1960-1980", "year", 1960.0, 1980.0, None),
        ("2023-24", "year", 2023.0, 2024.0, None),
        ("between 2010 and 2020", "year", 2010.0, 2020.0, None),
        ("eightfold", "multiplier", 8.0, 8.0, None),
        ("8-fold", "multiplier", 8.0, 8.0, None),
        ("two times", "multiplier", 2.0, 2.0, None),
        ("twice", "multiplier", 2.0, 2.0, None),
        ("2x", "multiplier", 2.0, 2.0, None),
        ("tenfold", "multiplier", 10.0, 10.0, None),
        ("1.5 times", "multiplier", 1.5, 1.5, None),
        ("17 metals", "count", 17.0, 17.0, "metal"),
        ("29 species", "count", 29.0, 29.0, "species"),
        ("200 operating industries", "count", 200.0, 200.0, "industry"),
        ("eight national projects", "count", 8.0, 8.0, "project"),
        ("twenty-five boxes", "count", 25.0, 25.0, "box"),
        ("98.8", "count", 98.8, 98.8, None),
        ("1,000", "count", 1000.0, 1000.0, None),
        ("3000", "count", 3000.0, 3000.0, None),  # outside 1000-2100: not a year
        ("eight", "count", 8.0, 8.0, None),  # a lone number word is accepted as gold
        ("eight tons", "quantity", 8.0, 8.0, "t"),
        ("about eight percent", "percent", 8.0, 8.0, "%"),
        ("two million", "count", 2e6, 2e6, None),
        ("12.5 percentage points", "percent", 12.5, 12.5, "pp"),
    ],
)
def test_parse_figure(value: str, kind: str, low: float, high: float, unit: str | None) -> None:
    fig = parse_figure(value)
    assert (fig.kind, fig.low, fig.high, fig.unit) == (kind, low, high, unit)
    assert fig.is_range == (low != high)
    assert fig.text == value[fig.start : fig.end]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "no figure"),
        ("gallium", "no figure"),
        ("[1]", "no figure"),
        ("4th place", "no figure"),
        ("48% and 59.2%", "found 2"),
        ("from 110 thousand tons in 2014", "found 2"),
    ],
)
def test_parse_figure_errors(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_figure(value)


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("more than 95%", "gt"),
        ("over 30 mines", "gt"),
        ("exceeds 90%", "gt"),
        ("exceed 28.5 million tons", "gt"),
        ("at least $5 billion", "gt"),
        ("up to 38%", "lt"),
        ("less than 10%", "lt"),
        ("does not exceed 1%", "lt"),
        ("not exceeding 5 tons", "lt"),
        ("about 70%", "approx"),
        ("Approximately 80%", "approx"),
        ("nearly 20%", "approx"),
        ("approx. 20%", "approx"),
        ("~20%", "approx"),
        ("about two times", "approx"),
        ("20%", None),
    ],
)
def test_qualifier(text: str, qualifier: str | None) -> None:
    fig = parse_figure(text)
    assert fig.qualifier == qualifier
    assert fig.start == 0  # the qualifier belongs to the matched text
    assert text.startswith(fig.text)


# --- what is and is not a figure ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "[1]",
        "[2][3]",
        "as shown [12], [4, 5] and [6-8].",
        "4th place",
        "the 21st century",
        "One of the largest American mines",
        "China then closed the top three.",
        "Three Gorges",
        "one of the new ship-to-shore kind",  # no plural noun after it: not a count
        "two-thirds",
        "COVID-19 and F-35",
        "H2O and Q3",
        "0x1F",
        "",
    ],
)
def test_not_figures(text: str) -> None:
    assert find_figures(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(70%)", [("percent", 70.0, 70.0, "%")]),
        (
            "bismuth (70%)[2][3], tungsten (86%)[4]",
            [("percent", 70.0, 70.0, "%"), ("percent", 86.0, 86.0, "%")],
        ),
        ("In 2017, output rose", [("year", 2017.0, 2017.0, None)]),
        ("by 2030 eightfold", [("year", 2030.0, 2030.0, None), ("multiplier", 8.0, 8.0, None)]),
        ("1,000 tons", [("quantity", 1000.0, 1000.0, "t")]),
        ("It fell from 80 to 75%", [("count", 80.0, 80.0, None), ("percent", 75.0, 75.0, "%")]),
        (
            "from 2014 to 390 tons",
            [("year", 2014.0, 2014.0, None), ("quantity", 390.0, 390.0, "t")],
        ),
        ("three new mines, two of them", [("count", 3.0, 3.0, "mine")]),
        # the counted noun after hyphenated or two modifiers: a number word still counts it
        ("Six new ship-to-shore cranes arrived", [("count", 6.0, 6.0, "crane")]),
        ("two well-known ports", [("count", 2.0, 2.0, "port")]),
        ("five major oil companies", [("count", 5.0, 5.0, "company")]),
        ("12 anti-aircraft guns", [("count", 12.0, 12.0, "gun")]),
        ("score 3-2", [("count", 3.0, 3.0, None), ("count", 2.0, 2.0, None)]),
        ("v1.2 build", []),
    ],
)
def test_find_figures_in_snippets(
    text: str, expected: list[tuple[str, float, float, str | None]]
) -> None:
    assert summary(text) == expected


@pytest.mark.parametrize(
    ("text", "figure_text"),
    [
        ("China accounts for 80-95% of it", "80-95%"),
        ("between 80 and 95% of it", "between 80 and 95%"),  # "between" is part of the range
        ("from 1960 to 1980", "1960"),  # a change from one value to another, not a range
        ("in 1960-1980", "1960-1980"),
        ("about 1,000 tons per year", "about 1,000 tons"),
        ("17 metals", "17"),  # a count's noun is recorded in `unit`, not in the text
    ],
)
def test_matched_text(text: str, figure_text: str) -> None:
    fig = find_figures(text)[0]
    assert fig.text == figure_text == text[fig.start : fig.end]


def test_contains_figure_and_figures_of_kind() -> None:
    text = "Output reached 270,000 tonnes (about 70%) in 2024 [1], up eightfold."
    assert contains_figure(text, "270 thousand tons")
    assert contains_figure(text, "70 per cent")
    assert contains_figure(text, parse_figure("8-fold"))
    assert not contains_figure(text, "80%")
    assert not contains_figure(text, "1")  # the citation marker is not a figure
    years = figures_of_kind(text, {"year"})
    assert [f.text for f in years] == ["2024"]
    assert [f.kind for f in figures_of_kind(text, {"percent", "multiplier"})] == [
        "percent",
        "multiplier",
    ]


def test_figure_is_frozen() -> None:
    fig, field = parse_figure("5%"), "low"
    with pytest.raises(AttributeError):
        setattr(fig, field, 6.0)


# --- the article the assistant answers questions about ------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "China accounts for 48% of global antimony production, 59.2% of refined germanium "
            "production and 98.8% of gallium production.",
            [
                ("percent", 48.0, 48.0, "%"),
                ("percent", 59.2, 59.2, "%"),
                ("percent", 98.8, 98.8, "%"),
            ],
        ),
        (
            "amounting to $430 million (100 tons of gallium) and $230 million (60 tons of "
            "germanium) per year.",
            [
                ("money", 430e6, 430e6, "USD"),
                ("quantity", 100.0, 100.0, "t"),
                ("money", 230e6, 230e6, "USD"),
                ("quantity", 60.0, 60.0, "t"),
            ],
        ),
        (
            "global REM production increased from 110 thousand tons in 2014 to 390 thousand tons "
            "in 2024.",
            [
                ("quantity", 110e3, 110e3, "t"),
                ("year", 2014.0, 2014.0, None),
                ("quantity", 390e3, 390e3, "t"),
                ("year", 2024.0, 2024.0, None),
            ],
        ),
        (
            "Russia expects to increase the production of rare and rare earth metals by 2030 "
            "eightfold and reduce the share of imports in consumption to 15%.",
            [
                ("year", 2030.0, 2030.0, None),
                ("multiplier", 8.0, 8.0, None),
                ("percent", 15.0, 15.0, "%"),
            ],
        ),
        (
            "Depending on the type of metal, China accounts for 80-95% of world production.",
            [("percent", 80.0, 95.0, "%")],
        ),
        (
            "China is the absolute leader in REM production (more than 200 operating industries, "
            "over 30 mines and more than 10 processing plants).",
            [
                ("count", 200.0, 200.0, "industry"),
                ("count", 30.0, 30.0, "mine"),
                ("count", 10.0, 10.0, "plant"),
            ],
        ),
        (
            "The total Russian reserves of rare metals (29 species), including REM, amount to "
            "658 million tons.",
            [("count", 29.0, 29.0, "species"), ("quantity", 658e6, 658e6, "t")],
        ),
        (
            "This is about 20% of the world's reserves (4th place in the world).",
            [("percent", 20.0, 20.0, "%")],
        ),
        (
            "The mine provided the world's largest production of rare earths in 1960-1980.",
            [("year", 1960.0, 1980.0, None)],
        ),
        (
            "ahead of the USSR in terms of production volumes by about two times. China then "
            "closed the top three. One of the largest American mines Mountain Pass",
            [("multiplier", 2.0, 2.0, None)],
        ),
        (
            "presented eight national projects to achieve technological leadership",
            [("count", 8.0, 8.0, "project")],
        ),
        (
            "plans to launch a neodymium magnet plant with a production volume of about 1,000 "
            "tons per year",
            [("quantity", 1000.0, 1000.0, "t")],
        ),
        (
            "Investments in such a project could amount to $15 billion.",
            [("money", 15e9, 15e9, "USD")],
        ),
    ],
)
def test_corpus_sentences(
    sentence: str, expected: list[tuple[str, float, float, str | None]]
) -> None:
    assert " ".join(sentence.split()) in " ".join(corpus_text().split())
    assert summary(sentence) == expected


# Every figure in the article, in order: all must parse sensibly.
CORPUS_FIGURES = [
    ("17", "count"), ("2019", "year"), ("2024", "year"), ("2024", "year"), ("2024", "year"),
    ("48%", "percent"), ("59.2%", "percent"), ("98.8%", "percent"), ("2023", "year"),
    ("2010", "year"), ("up to 38%", "percent"), ("80-95%", "percent"), ("2024", "year"),
    ("270 thousand tons", "quantity"), ("about 70%", "percent"),
    ("Approximately 80%", "percent"), ("110 thousand tons", "quantity"), ("2014", "year"),
    ("390 thousand tons", "quantity"), ("2024", "year"), ("more than 200", "count"),
    ("over 30", "count"), ("more than 10", "count"), ("2024", "year"),
    ("$430 million", "money"), ("100 tons", "quantity"), ("$230 million", "money"),
    ("60 tons", "quantity"), ("exceeds 90%", "percent"), ("80%", "percent"),
    ("100%", "percent"), ("more than 95%", "percent"), ("70%", "percent"), ("86%", "percent"),
    ("56%", "percent"), ("56%", "percent"), ("62%", "percent"), ("about 40%", "percent"),
    ("1986", "year"), ("about two times", "multiplier"), ("1960-1980", "year"),
    ("1974", "year"), ("78%", "percent"), ("2017", "year"), ("2022", "year"),
    ("14%", "percent"), ("2030", "year"), ("eightfold", "multiplier"), ("15%", "percent"),
    ("29", "count"), ("658 million tons", "quantity"), ("15", "count"),
    ("exceed 28.5 million tons", "quantity"), ("18", "count"), ("about 20%", "percent"),
    ("does not exceed 1%", "percent"), ("70%", "percent"), ("60.2%", "percent"),
    ("2024", "year"), ("eight", "count"), ("2028", "year"), ("about 1,000 tons", "quantity"),
    ("$15 billion", "money"),
]  # fmt: skip


def test_whole_corpus() -> None:
    text = corpus_text()
    figures = find_figures(text)
    assert [(f.text, f.kind) for f in figures] == CORPUS_FIGURES
    for f in figures:
        assert text[f.start : f.end] == f.text
        assert f.low <= f.high
    by_text = {f.text: f for f in figures}
    assert by_text["up to 38%"].qualifier == "lt"
    assert by_text["does not exceed 1%"].qualifier == "lt"
    assert by_text["exceeds 90%"].qualifier == "gt"
    assert by_text["about 70%"].qualifier == "approx"
    assert by_text["17"].unit == "metal"
    assert by_text["15"].unit == "type"
    assert by_text["18"].unit == "field"
    assert by_text["exceed 28.5 million tons"].low == 28.5e6
    assert contains_figure(text, "98.8%")
    assert contains_figure(text, "US$15bn")
    assert contains_figure(text, "270,000 tonnes")
    assert contains_figure(text, "8-fold")
    assert not contains_figure(text, "9.88%")
    assert not contains_figure(text, "80%-90%")


# --- robustness -----------------------------------------------------------------------------


def check_offsets(text: str, figures: list[Figure]) -> None:
    end = 0
    for f in figures:
        assert f.text == text[f.start : f.end]
        assert end <= f.start < f.end
        assert f.low <= f.high
        end = f.end


TOKENS = [
    "1", "12", "2017", "1,000", "98.8", "%", " percent", "$", "US$", "bn", "m", " million",
    " thousand", " tons", " t", "-", "–", " to ", " and ", "between ", "from ", "[1]", "[",
    "]", "(", ")", ",", ".", " ", "more than ", "about ", "eight", "fold", " times", "x",
    "twice", " mines", "th", "\n", "\x00", "é",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_random_unicode_never_raises(text: str) -> None:
    check_offsets(text, find_figures(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=30).map("".join))
def test_random_figure_like_text(text: str) -> None:
    figures = find_figures(text)
    check_offsets(text, figures)
    for f in figures:  # every figure found re-parses to itself
        assert f.kind == "count" or same_figure(parse_figure(f.text), f)


@settings(max_examples=200, deadline=None)
@given(
    value=st.decimals(min_value=0, max_value=10**6, places=2).map("{:f}".format),
    template=st.sampled_from(["{}%", "{} percent", "${} million", "{} thousand tons", "{}x"]),
    before=st.sampled_from(["", "In 2024, ", "about ", "("]),
    after=st.sampled_from(["", ".", " of output", ")", "[1]"]),
)
def test_figure_round_trip(value: str, template: str, before: str, after: str) -> None:
    gold = template.format(value)
    text = before + gold + after
    assert contains_figure(text, gold), (text, find_figures(text))


def finishes(text: str) -> list[Figure]:
    """find_figures under a watchdog: catastrophic regex backtracking shows up as a hang
    (minutes to forever), not as slowness, so the limit is far above any real run. Speed
    itself is not asserted here."""
    result: list[list[Figure]] = []
    worker = threading.Thread(target=lambda: result.append(find_figures(text)), daemon=True)
    worker.start()
    worker.join(timeout=HANG_SECONDS)
    assert result, f"find_figures did not finish within {HANG_SECONDS} s: it hangs"
    return result[0]


HANG_SECONDS = 120


def test_large_digit_punctuation_input_does_not_hang() -> None:
    rng = random.Random(1234)
    text = "".join(rng.choice("0123456789.,-–%$ []()x") for _ in range(1_000_000))
    check_offsets(text, finishes(text))


@pytest.mark.parametrize(
    "text",
    [
        "1,000" * 50_000 + "x",
        "1" * 250_000 + "x",
        "1" + " " * 250_000 + "x",
        "over " * 50_000,
        "[1" * 125_000,
        "1." * 125_000,
        "2," * 125_000,
        "one " * 60_000,
        "1 " + "a" * 250_000,
        "-" * 250_000 + "1",
    ],
)
def test_no_catastrophic_backtracking(text: str) -> None:
    check_offsets(text, finishes(text))


@pytest.mark.parametrize(
    ("text", "kind", "unit", "value"),
    [
        ("5m away", "quantity", "m", 5.0),  # a bare 'm' is metres, not millions
        ("removed 184,000 cubic metres of silt", "quantity", "m3", 184_000.0),
        ("revenue of 41.7 million kronor", "money", "SEK", 41.7e6),
        ("meadows of 38 hectares", "quantity", "ha", 38.0),
        ("a 415 W module", "quantity", "W", 415.0),
        ("discharges 2,900 m3/s", "quantity", "m3/s", 2900.0),
        ("reaches 3,150 kelvin at full load", "quantity", "K", 3150.0),
        ("a $5K grant", "money", "USD", 5000.0),  # the symbol K stays "thousand"
    ],
)
def test_units_of_measure_and_currencies(text: str, kind: str, unit: str, value: float) -> None:
    (figure,) = find_figures(text)
    assert (figure.kind, figure.unit, figure.low) == (kind, unit, value)


def test_common_words_are_not_units() -> None:
    assert [(f.kind, f.unit) for f in find_figures("at 5 in the morning")] == [("count", None)]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("pass an approved five-year course of study", 5.0, "year"),
        ("a 10-day strike", 10.0, "day"),
        ("a twenty-five-year plan", 25.0, "year"),
        ("a 30-second clip", 30.0, "second"),
        ("A 6-year-old girl was admitted", 6.0, "year"),  # an age
        ("a 3-months-old infant", 3.0, "month"),
    ],
)
def test_a_span_of_time_written_as_one_word_is_a_count(text: str, value: float, unit: str) -> None:
    [figure] = find_figures(text)
    assert (figure.kind, figure.low, figure.unit) == ("count", value, unit)
    assert text[figure.start : figure.end] == figure.text  # exact source text


@pytest.mark.parametrize(
    ("text", "stated", "value"),
    [
        ("A road crossed the pass in AD 120, and", "AD 120", 120.0),
        ("Rome was founded in 753 BC.", "753 BC", -753.0),
        ("the city was sacked about 300 B.C. and", "300 B.C.", -300.0),
        ("Rome fell in 476 CE.", "476 CE", 476.0),
        ("In 43 AD legions landed in Kent.", "43 AD", 43.0),  # a word of time leads
        ("Pine forest covered the slopes by 8,500 BP.", "8,500 BP", 1950.0 - 8500.0),
        ("The bridge was rebuilt in AD 1342.", "AD 1342", 1342.0),
    ],
)
def test_a_number_with_its_era_is_a_year_that_keeps_its_era(
    text: str, stated: str, value: float
) -> None:
    [figure] = find_figures(text)
    assert (figure.text, figure.kind, figure.low) == (stated, "year", value)
    assert text[figure.start : figure.end] == figure.text  # exact source text
    assert same_figure(figure, parse_figure(stated))


def test_a_year_before_christ_is_not_the_same_year_after() -> None:
    assert not same_figure(parse_figure("753 BC"), parse_figure("753 AD"))
    assert same_figure(parse_figure("AD 1342"), parse_figure("1342"))


@pytest.mark.parametrize(
    "text", ["We enrolled 120 AD patients.", "5 CE-marked devices", "12 ADs", "in ad 43", "5 ce"]
)
def test_era_letters_that_abbreviate_something_else_are_no_year(text: str) -> None:
    assert [f for f in find_figures(text) if f.kind == "year"] == []


@pytest.mark.parametrize(
    ("text", "fraction", "value"),
    [
        ("Two thirds of the water flow goes west", "Two thirds", 66.7),
        ("The branch carries one ninth of the flow", "one ninth", 11.1),
        ("a quarter of all exports", "a quarter", 25.0),
        ("three quarters of the members voted", "three quarters", 75.0),
        ("half of the output is sold abroad", "half", 50.0),
    ],
)
def test_a_fraction_of_something_is_a_share(text: str, fraction: str, value: float) -> None:
    [figure] = find_figures(text)
    assert (figure.text, figure.kind, figure.low) == (fraction, "percent", value)
    assert text[figure.start : figure.end] == figure.text  # exact source text
    assert same_figure(figure, parse_figure(f"{value}%"))


@pytest.mark.parametrize(
    "text", ["on the third of May", "the third largest producer", "cut by half", "one third"]
)
def test_ordinals_and_lone_fraction_words_are_not_shares(text: str) -> None:
    assert [f for f in find_figures(text) if f.kind == "percent"] == []


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        ("The outbreak lasted 19 days in all.", "19 days"),
        ("The strike lasted three weeks.", "three weeks"),
        ("Symptoms began after 11-13 days.", "11-13 days"),
        ("A five-year course of study.", "five-year"),  # the unit is part of the figure
        ("The group has 17 metals.", "17"),  # not a time: the number alone
        ("For 300 long years it stood.", "300"),  # the unit not right after: the number
    ],
)
def test_a_span_of_time_is_stated_with_its_unit(text: str, stated: str) -> None:
    figure = find_figures(text)[0]
    assert with_time_unit(figure, text) == stated


@pytest.mark.parametrize(
    ("text", "stated", "low", "high"),
    [
        ("an estimated 35\u202f000 to 60\u202f000 ventilators",
         "an estimated 35\u202f000 to 60\u202f000", 35000.0, 60000.0),
        ("over 250 000 deaths are reported", "over 250 000", 250000.0, 250000.0),
        ("some 1\u00a0234\u00a0567 voters", "1\u00a0234\u00a0567", 1234567.0, 1234567.0),
    ],
)  # fmt: skip
def test_thousands_grouped_by_a_space_are_one_number(
    text: str, stated: str, low: float, high: float
) -> None:
    [figure] = find_figures(text)
    assert (figure.text, figure.low, figure.high) == (stated, low, high)


def test_a_space_groups_only_three_digits() -> None:
    # a year then a count, and a decimal then a number: two figures each
    assert [f.text for f in find_figures("In 2019 100 people came")] == ["2019", "100"]
    assert [f.text for f in find_figures("rates of 12 3456 were")] == ["12", "3456"]
