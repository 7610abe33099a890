"""The text layer: wrapped lines read as paragraphs, with exact offsets back to the source."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remqa.models import Chunk
from remqa.text.reflow import display_text, reflow, wrap_width
from remqa.text.sentences import split_sentences

PARAGRAPHS = [
    "In 2017, rare earth mining in the United States resumed at the Mountain Pass mine in "
    "California, which had been closed since 2002 after an environmental accident.",
    "China accounts for 48% of global antimony production, 59.2% of refined germanium "
    "production and 98.8% of gallium production. The markets are small.",
    "Quillon Industries built the zorblax reactor in 1987; maintenance of the reactor costs "
    "$31 million per year, according to the operator's annual statement of accounts.",
]


def units(text: str) -> list[str]:
    return [line for line in reflow(text).text.split("\n") if line]


def assert_maps_back(text: str) -> None:
    """Every clean character comes from the source: the same character, or a space for white
    space, or part of a spelled-out ligature."""
    clean = reflow(text, hyphen_breaks_words=True)
    for i, char in enumerate(clean.text):
        source_char = text[clean.to_source(i)]
        if char.isspace():
            assert source_char.isspace()
        elif source_char != char:
            assert 0xFB00 <= ord(source_char) <= 0xFB06 or source_char in "ĲĳЈ", (i, char)


@pytest.mark.parametrize("width", [72, 40, 60])
@pytest.mark.parametrize("separator", ["\n\n", "\n"])
def test_wrapped_paragraphs_read_as_the_paragraphs_they_were(width: int, separator: str) -> None:
    indent = "    " if separator == "\n" else ""  # no blank line: an indented first line
    text = separator.join(textwrap.fill(p, width, initial_indent=indent) for p in PARAGRAPHS)
    assert units(text) == PARAGRAPHS
    assert_maps_back(text)


def test_one_paragraph_per_line_is_left_as_it_is() -> None:
    text = "\n".join(PARAGRAPHS) + "\n"
    clean = reflow(text)
    assert clean.text == text.rstrip("\n")
    assert clean.breakpoints(0, len(clean.text)) == []  # the identity
    assert wrap_width(text) is None


def test_sentences_of_wrapped_text_are_whole_and_quote_exact_source() -> None:
    text = "\n\n".join(textwrap.fill(p, 40) for p in PARAGRAPHS)
    clean = reflow(text)
    sentences = [clean.text[s:e] for s, e in split_sentences(clean.text)]
    assert "The markets are small." in sentences
    first = sentences[0]
    assert first.startswith("In 2017, rare earth mining") and first.endswith("accident.")
    start, end = clean.source_span(0, len(first))
    assert "\n" in text[start:end]  # the quote spans line breaks in the source ...
    assert display_text(text[start:end]) == first  # ... and reads as the sentence


def test_a_word_hyphenated_across_lines_is_joined() -> None:
    text = (
        "The court found the evidence signif-\nicant and the claim was filed on time by the\n"
        "plaintiff, whose counsel had asked for a hear-\ning before the end of the month.\n"
    )
    clean = reflow(text, hyphen_breaks_words=True)
    assert "evidence significant and" in clean.text
    assert "a hearing before" in clean.text
    s = clean.text.index("significant")
    start, end = clean.source_span(s, s + len("significant"))
    assert text[start:end] == "signif-\nicant"


def test_a_compound_hyphen_at_a_line_end_is_kept_when_the_text_writes_it_so() -> None:
    body = "Rare-earth magnets are made in China, and the supply of rare-\nearth magnets is tight"
    text = textwrap.fill(PARAGRAPHS[0], 60) + "\n\n" + body + " for every buyer in the west.\n"
    assert "supply of rare-earth magnets" in reflow(text, hyphen_breaks_words=True).text


def test_ligatures_are_spelled_out_and_map_to_their_glyph() -> None:
    text = "The ﬁrst ﬂoor was ﬁlled."
    clean = reflow(text)
    assert clean.text == "The first floor was filled."
    s = clean.text.index("filled")
    assert text[slice(*clean.source_span(s, s + 6))] == "ﬁlled"
    assert_maps_back(text)


def test_label_value_lines_list_items_and_headings_stay_units() -> None:
    text = (
        "Product datasheet\n\n"
        + textwrap.fill(PARAGRAPHS[0], 50)
        + "\nModules per box: 31 pieces\nWeight: 20.5 kg\nColour: grey\n"
        "- first item of a list\n- second item of it\n## A heading\n"
        + textwrap.fill(PARAGRAPHS[1], 50)
    )
    got = units(text)
    assert got == [
        "Product datasheet",
        PARAGRAPHS[0],
        "Modules per box: 31 pieces",
        "Weight: 20.5 kg",
        "Colour: grey",
        "- first item of a list",
        "- second item of it",
        "## A heading",
        PARAGRAPHS[1],
    ]


def test_chunk_maps_clean_offsets_to_source_offsets() -> None:
    text = "Intro line.\n\n" + textwrap.fill(PARAGRAPHS[1], 30)
    clean = reflow(text)
    cs = clean.text.index("China")
    ce = len(clean.text)
    start, end = clean.source_span(cs, ce)
    chunk = Chunk(
        id="x",
        source="a.txt",
        start=start,
        end=end,
        text=clean.text[cs:ce],
        raw=text[start:end],
        offset_map=tuple(clean.breakpoints(cs, ce)),
    )
    for s, e in split_sentences(chunk.text):
        a, b = chunk.source_span(s, e)
        assert display_text(chunk.quote(a, b)) == chunk.text[s:e]
        assert text[a:b] == chunk.quote(a, b)
        assert chunk.to_clean(a) == s


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(
        st.text(alphabet="abcdefghij", min_size=1, max_size=12), min_size=5, max_size=120
    ),
    width=st.integers(min_value=20, max_value=90),
    blank=st.booleans(),
)
def test_any_wrapping_maps_back_exactly(words: list[str], width: int, blank: bool) -> None:
    half = len(words) // 2
    paragraphs = [" ".join(words[:half]) + ".", " ".join(words[half:]) + "."]
    text = ("\n\n" if blank else "\n").join(textwrap.fill(p, width) for p in paragraphs)
    assert_maps_back(text)
    clean = reflow(text)
    # Every word survives, in order.
    assert clean.text.split() == text.split()


def test_text_laid_out_by_a_loader_is_never_joined() -> None:
    """Table rows of similar length look like wrapped prose; extracted text says otherwise."""
    rows = "\n".join(
        f"{name} {a} {b} V" for name, a, b in [
            ("Open-circuit voltage", "37.6", "35.3"), ("Voltage at maximum", "31.5", "29.3"),
            ("Short-circuit current", "14.1", "11.4"), ("Current at maximum", "13.2", "10.6"),
            ("Maximum power output", "41.5", "31.1"),
        ]
    )  # fmt: skip
    assert wrap_width(rows) is not None  # as plain text they would read as one paragraph
    assert reflow(rows, may_be_wrapped=False).text == rows
