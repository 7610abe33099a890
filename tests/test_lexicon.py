"""The WordNet lexicon: base forms, words that stand for a word, opposites, expressions."""

from __future__ import annotations

import gzip
import json

import pytest

from remqa.text.lexicon import (
    LEXICON,
    base_forms,
    in_compounds,
    opposite_words,
    other_names,
    related_words,
)


@pytest.mark.parametrize(
    ("word", "base"),
    [("largest", "large"), ("mines", "mine"), ("biggest", "big"), ("mice", "mouse")],
)
def test_base_forms_follow_wordnet_morphology(word: str, base: str) -> None:
    assert base in base_forms(word)
    assert base_forms(word)[0] == word


@pytest.mark.parametrize(
    ("word", "stands_for"),
    [
        ("dispute", "conflict"),  # synonyms of a common sense
        ("soviet", "ussr"),  # an adjective's noun and that noun's synonyms
        ("dutch", "netherlands"),
        ("netherlands", "dutch"),  # synonymy is symmetric
        ("tokyo", "japan"),  # a capital stands for its country ...
        ("china", "beijing"),  # ... and the country for its capital
        ("restart", "resume"),
    ],
)
def test_related_words(word: str, stands_for: str) -> None:
    assert stands_for in related_words(word)


def test_a_country_does_not_stand_for_each_of_its_regions() -> None:
    assert "canton" not in related_words("china")
    assert "rotterdam" not in related_words("netherlands")  # a port, not the capital


@pytest.mark.parametrize(
    ("word", "opposite"),
    [
        ("smallest", "large"),
        ("northern", "southern"),
        ("increase", "decrease"),
        ("import", "export"),
    ],
)
def test_opposites(word: str, opposite: str) -> None:
    assert opposite in opposite_words(word)
    assert opposite not in related_words(word)


def test_words_of_an_expression_are_found() -> None:
    words = "How large are Russia's reserves of rare earths in total".split()
    assert in_compounds(words) == {6, 7}  # "rare earths" is one thing, not the world


def test_lexicon_is_plain_gzipped_json_with_its_source() -> None:
    data = json.loads(gzip.decompress(LEXICON.read_bytes()))
    assert data["source"].startswith("Princeton WordNet 3.0")
    assert len(data["data_noun_sha256"]) == 64
    assert {"related", "opposite", "names", "exceptions"} <= data.keys()


@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("beijing", "china"),  # a capital for its country ...
        ("china", "beijing"),  # ... and back
        ("china", "prc"),  # the words of its first sense
        ("american", "united states"),  # a nationality word for its country
        ("china's", "prc"),  # a possessive is the name
    ],
)
def test_other_names_of_a_name(name: str, other: str) -> None:
    assert other in other_names(name)


def test_other_names_follow_the_first_sense_only() -> None:
    assert "taiwan" not in other_names("china")  # the Republic of China is its second sense
    assert "taiwan" not in other_names("chinese")
    assert other_names("plant") == ()  # not a name
