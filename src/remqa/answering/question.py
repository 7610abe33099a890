"""Understanding a question without an LLM, in one pass: the kind of answer it wants (a
name, a date, a count ...), the kind of figure that would answer it, and its terms. The
words these decisions rest on are in question_words.py."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from remqa.answering.answer_types import AnswerType
from remqa.answering.figures import FigureKind
from remqa.answering.question_words import (
    AFTER_WEAK_CUE,
    AMOUNT_NOUNS,
    ASKED_PROPERTY,
    ASKED_WITHIN,
    AUXILIARIES,
    BEFORE_WHEN,
    CHANGE_VERBS,
    COUNT_NOUNS,
    DATE_NOUNS,
    DIMENSION_OF,
    GENERIC,
    MEASURE_WORDS,
    MONEY_CUES,
    NAME_NOUNS,
    OTHER_QUESTION_WORDS,
    PERCENT_CUES,
    PLACE_NOUNS,
    PROPERTY_DIMENSION,
    QUANTITY_UNITS,
    QUESTION_WORDS,
    SIZE_WORDS,
    UNIT_STOP,
    WEAK_CUES,
)
from remqa.text.lexicon import in_compounds
from remqa.text.words import STOPWORDS, is_name, lone_names, tokenize

_YEAR = re.compile(r"^(1[0-9]{3}|20[0-9]{2}|2100)$")


@dataclass(frozen=True)
class Term:
    """A content word of the question that a passage should contain."""

    text: str
    stem: str
    entity: bool  # a name: a passage about something else does not answer the question
    year: bool = False
    group: int = -1  # words of one name share a group ("US Geological Survey")
    literal: bool = False  # part of an expression ("rare earth"): matched only as written
    alone: bool = False  # a name of one word ("Beijing", not "United" in "United Methodist")


@dataclass
class QuestionAnalysis:
    text: str
    kinds: frozenset[FigureKind] = frozenset()  # empty: not a figure question
    count_unit: str | None = None  # "how many operating mines" -> "mines"
    terms: list[Term] = field(default_factory=list)

    answer_type: AnswerType = "other"  # a name, a place, a date, a count ...
    wants_name: bool = False  # "Which official ...", "Who ...": a name or a place
    wants_rank: bool = False  # "Where does Russia rank ..."
    wants_period: bool = False  # "Over which period ...", "Between which years ..."
    dimension: str | None = None  # "how heavy" -> "mass": a quantity of that dimension

    @property
    def wants_figure(self) -> bool:
        return bool(self.kinds)

    @property
    def asks_for_time(self) -> bool:
        """A date or a length of time, which words may give as well as a figure."""
        return self.kinds == {"year"} or self.dimension in ("time", "length or time")

    @cached_property
    def needs_date(self) -> bool:
        """A "what year" question wants a year or a date ("when" may be "after the war")."""
        return self.kinds == {"year"} and any(
            t.text.lower() in {"year", "years"} for t in tokenize(self.text)
        )

    @property
    def years(self) -> set[str]:
        return {t.text for t in self.terms if t.year}


def analyze(question: str) -> QuestionAnalysis:
    tokens = tokenize(question)
    lower = [t.text.lower() for t in tokens]
    joined = " ".join(lower)
    asked_property = _asked_property(joined)  # "what is the boiling point of ..."
    kind = "measure" if asked_property else _answer_type(lower)
    kinds, count_unit = _expected_kinds(question.lower(), lower, asked_property, kind)
    compounds = in_compounds(lower)
    terms: list[Term] = []
    seen: set[str] = set()
    group, last_entity_index = -1, -2
    alone = lone_names(tokens)
    for index, token in enumerate(tokens):
        # A year in the question narrows it like a name does ("in 2024"); a decade does not.
        is_year = bool(_YEAR.match(token.text)) and question[token.end : token.end + 1] != "s"
        entity = is_name(token, index == 0) or is_year
        if entity and (index != last_entity_index + 1 or is_year):
            group += 1
        if entity:
            last_entity_index = index
        word = token.text.lower()
        if word in STOPWORDS or len(word) < 2 and not word.isdigit():
            continue
        if word in GENERIC or word in QUESTION_WORDS or token.stem in seen:
            continue
        if word in AUXILIARIES and not entity:
            continue  # "may", "could" say nothing of what is asked about ("May 2020" does)
        if count_unit and word == count_unit:
            continue  # "how many mines": the unit, matched through the figure instead
        seen.add(token.stem)
        terms.append(
            Term(
                text=token.text,
                stem=token.stem,
                entity=entity,
                year=is_year,
                group=group if entity else -1,
                literal=index in compounds,
                alone=index in alone,
            )
        )
    return QuestionAnalysis(
        text=question,
        kinds=kinds,
        count_unit=count_unit,
        terms=terms,
        answer_type=kind,
        wants_name=_asks_for_a_name(lower, kind),
        wants_rank=_asks_rank(lower),
        wants_period=bool(set(lower) & {"period", "years", "decades", "span"}),
        dimension=next(
            (d for w, d in DIMENSION_OF.items() if f"how {w}" in joined), asked_property
        ),
    )


def _expected_kinds(
    question: str, words: list[str], asked_property: str | None, answer_type: AnswerType
) -> tuple[frozenset[FigureKind], str | None]:
    """The kind(s) of figure that would answer the question; `asked_property` is the
    dimension of a property it asks for by name (see _asked_property)."""
    text = " " + " ".join(words) + " "
    wordset = _figure_cues(words)
    if _asks_for_a_name(words, answer_type):
        return frozenset(), None
    # "By what factor", "a factor of ten" ask for a multiplier; "a key factor in" does not.
    as_multiplier = " factor of " in text or " what factor " in text or " which factor " in text
    if " how many times " in text or wordset & {"fold", "multiple", "multiplied"} or as_multiplier:
        return frozenset({"multiplier"}), None
    if "%" in question or wordset & PERCENT_CUES or " how much of " in text:
        return frozenset({"percent"}), None
    if wordset & MONEY_CUES or " how much money " in text:
        return frozenset({"money"}), None
    if wordset & QUANTITY_UNITS or wordset & {"tonnage", "capacity", "volume"}:
        return frozenset({"quantity"}), None
    if " what range of " in text or " which range of " in text:  # a span of values
        return frozenset({"quantity", "money", "percent"}), None
    if asked_property is not None:  # a length of time is a count of its unit ("11 days")
        return frozenset({"quantity", "count"} if "time" in asked_property else {"quantity"}), None
    if " how many " in text:
        return frozenset({"count"}), _counted_noun(text.split(" how many ", 1)[1].split())
    if wordset & {"period", "years", "decade", "decades", "month", "deadline", "date"} and (
        wordset & {"which", "what"}
    ):
        return frozenset({"year"}), None
    if _asks_for_a_year(words, text):
        return frozenset({"year"}), None
    if any(f" how {word} " in text for word in MEASURE_WORDS - SIZE_WORDS):
        # "how heavy", "how long", "how tall": a measure; a length of time (an age) counts
        # years too
        timed = " how long " in text or " how old " in text
        return frozenset({"quantity", "count"} if timed else {"quantity"}), None
    if " how much " in text or " how big " in text or " how large " in text:
        if wordset & CHANGE_VERBS:
            return frozenset({"percent", "multiplier", "quantity", "money"}), None
        return frozenset({"quantity", "money", "percent"}), None
    return frozenset(), None


def _asks_for_a_year(words: list[str], text: str) -> bool:
    """ "What year ...", "In which year ...", or "when" asking for a time; `text`: the words
    joined, with a space at each end."""
    return " what year " in text or " which year " in text or _asks_when(words)


def _asks_when(words: list[str]) -> bool:
    """Whether "when" asks for a time ("When did ...", "Since when was ...", "By when should
    ..."), not joins a clause ("What happens when ...", "When the river leaves the lake,
    which way does it flow?"). `words`: the question's words, lower case. It asks when it
    opens the question (after "since", "by" ...) and is followed by a verb like "did" or
    "was", or when no other question word follows."""
    for i, word in enumerate(words):
        if word != "when" or not all(w in BEFORE_WHEN for w in words[:i]):
            continue
        following = words[i + 1] if i + 1 < len(words) else ""
        if following in AUXILIARIES or not set(words[i + 1 :]) & OTHER_QUESTION_WORDS:
            return True
    return False


def _asks_rank(words: list[str]) -> bool:
    """ "Where does Russia rank ...", "What position did X occupy ...": a rank is asked for.
    "Position" and "place" ask it only right after "what"/"which" ("take place", "the
    pro-life position" do not); "ranks as the largest what" asks for the thing, not a rank."""
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        if word in {"rank", "ranks", "ranked", "ranking"} and following != "as":
            return True
        if word in {"position", "place"} and i > 0 and words[i - 1] in {"what", "which"}:
            return True
    return False


def _asked_property(text: str) -> str | None:
    """The dimension of the property a question asks for by name, if any."""
    found = ASKED_PROPERTY.search(text)
    return PROPERTY_DIMENSION[found.group(1)] if found else None


def _figure_cues(words: list[str]) -> set[str]:
    """The question's words, less weak cue words that are not what it asks about: a weak
    cue counts after the question word, within the first ASKED_WITHIN words, followed by
    "of", "in", "for", a form of "be"/"do"/"have" or the end; "part" never counts."""
    # "Contrast Russia's portion of ...": a request without a question word asks from the start.
    asking = next((i for i, w in enumerate(words) if w in QUESTION_WORDS), -1)
    asked = {
        word
        for i, word in enumerate(words)
        if word in WEAK_CUES
        and word != "part"  # "what part of the Rhine" is a place more often than a share
        and asking < i < ASKED_WITHIN
        and (words[i + 1] if i + 1 < len(words) else "") in AFTER_WEAK_CUE | {""}
    }
    return {w for w in words if w not in WEAK_CUES or w in asked}


def _counted_noun(words: list[str]) -> str | None:
    """The noun counted by "how many ...": the first plural, else the word before a verb
    ("how many rare earth mines are" -> mines; "how many people work" -> people)."""
    previous = None
    for word in words:
        if word in UNIT_STOP:
            return previous
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            return word
        previous = word
    return previous


def _asks_for_a_name(words: list[str], answer_type: AnswerType) -> bool:
    """ "Who ...", "Which official ...", "What is the project called": a name is wanted, even
    when the question mentions figures ("who announced the eightfold rise"). A place is a
    name too ("which country holds 70%"), unless a figure is asked of it ("what area")."""
    if answer_type == "name":
        return True
    return answer_type == "place" and not set(words) & PROPERTY_DIMENSION.keys()


def _answer_type(words: list[str]) -> AnswerType:
    """The kind of answer the question wants, from its question words (lower case)."""
    text = " " + " ".join(words) + " "
    if " how many " in text:
        return "count"
    if " how much " in text:
        return "amount"
    if any(f" how {word} " in text for word in MEASURE_WORDS):
        return "measure"
    if words[:1] in (["who"], ["whom"], ["whose"]) or " who " in text[:12]:
        return "name"
    if _asks_for_a_year(words, text):
        return "date"
    if " where " in text:
        return "place"
    if " why " in text:
        return "reason"
    for wh in ("what", "which", "whose"):
        if f" {wh} " in text:
            after = text.split(f" {wh} ", 1)[1].split()
            head = [w for w in after[:4] if w not in STOPWORDS or w in DATE_NOUNS][:2]
            if any(w in DATE_NOUNS for w in head):
                return "date"
            if any(w in PLACE_NOUNS for w in head):
                return "place"
            if any(w in AMOUNT_NOUNS for w in head):
                return "amount"
            if any(w in COUNT_NOUNS for w in head):
                return "count"
            if any(w in NAME_NOUNS for w in head) or " called " in text or " named " in text:
                return "name"
            return "thing"
    return "other"
