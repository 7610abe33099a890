"""Understanding a question without an LLM: what kind of figure it asks for, and its terms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from remqa.answering.figures import FigureKind
from remqa.text.lexicon import in_compounds
from remqa.text.words import STOPWORDS, Token, tokenize

# Words that say what kind of answer is wanted; they are not the subject of the question.
_PERCENT_CUES = {
    "share", "shares", "percentage", "percent", "proportion", "fraction", "portion", "stake",
    "slice", "%", "percentages", "part",
}  # fmt: skip
_MONEY_CUES = {
    "worth", "value", "valued", "values", "cost", "costs", "price", "prices", "dollars",
    "dollar", "money", "invest", "investment", "investments", "revenue", "spend", "spent",
    "funding", "usd", "$",
}  # fmt: skip
# Cue words that ask for a figure only when they are what the question asks about ("what
# share of ...", "what is China's stake in ..."), not anywhere in it: "what part of the
# Rhine", "federal funding for what purpose", "a small fraction ... goes to what lake".
_WEAK_CUES = {
    "share", "shares", "proportion", "fraction", "portion", "stake", "slice", "part",
    "value", "valued", "values", "invest", "investment", "investments", "spend", "spent",
    "funding",
}  # fmt: skip
_ASKED_WITHIN = 8  # words from the start of the question
_AFTER_WEAK_CUE = {"of", "in", "for", "does", "do", "did", "is", "was", "are", "were", "has"}
_QUANTITY_UNITS = {"ton", "tons", "tonne", "tonnes", "tonnage", "kilograms", "kg", "t"}
_QUANTITY_CUES = _QUANTITY_UNITS | {"volume", "capacity", "amount", "quantity"}
_YEAR_CUES = {"when", "year"}
_MULTIPLIER_CUES = {"times", "fold", "factor", "multiply", "multiplied"}
_MEASURE_WORDS = {"heavy", "long", "tall", "wide", "deep", "far", "high", "fast", "thick", "old"}
# The dimension a "how ADJECTIVE" question asks about (None: any quantity).
_DIMENSION_OF = {
    "heavy": "mass", "tall": "length", "wide": "length", "deep": "length", "far": "length",
    "high": "length", "thick": "length", "fast": "speed",
}  # fmt: skip
# "What is the boiling point of neodymium?": a measurable property asked for by name wants a
# quantity of its dimension ("about 1,000 tons" does not answer it).
_PROPERTY_DIMENSION = {
    "boiling point": "temperature", "melting point": "temperature",
    "temperature": "temperature", "weight": "mass", "mass": "mass", "length": "length",
    "height": "length", "depth": "length", "width": "length", "distance": "length",
    "altitude": "length", "elevation": "length", "speed": "speed", "velocity": "speed",
    "area": "area", "power output": "power",
}  # fmt: skip
_ASKED_PROPERTY = re.compile(
    r"\b(?:what|which)(?:'s| is| was| are| were)(?: the| its| their| an?)?(?: [\w-]+'s)? ("
    + "|".join(sorted(_PROPERTY_DIMENSION, key=len, reverse=True))
    + r")\b"
)
_CHANGE_VERBS = {"rise", "rose", "grow", "grew", "increase", "increased", "expand", "change"}
_SCAFFOLD = {
    "much", "many", "big", "large", "larger", "largest", "high", "number", "amount", "level",
    "figure", "figures", "total", "roughly", "approximately", "exactly", "about", "around",
    "respective", "respectively", "compare", "contrast", "between", "according", "does", "do",
    "did", "doing", "name", "called", "named", "happen", "happened", "go", "goes", "way",
}  # fmt: skip
# Scope words narrow a question a little ("world production" vs "Russia's production"),
# but say less than the subject; they count at a fraction of their weight.
SCOPE_WORDS = {"world", "world's", "global", "worldwide", "planet", "overall", "whole", "total"}
GENERIC = _PERCENT_CUES | _MONEY_CUES | _QUANTITY_CUES | _YEAR_CUES | _MULTIPLIER_CUES | _SCAFFOLD
# Words that end the noun phrase after "how many".
_UNIT_STOP = sorted(STOPWORDS | {"exist", "remain", "operate", "work"})
_QUESTION_WORDS = {"what", "which", "who", "whom", "whose", "when", "where", "why", "how"}
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


@dataclass
class QuestionAnalysis:
    text: str
    kinds: frozenset[FigureKind] = frozenset()  # empty: not a figure question
    count_unit: str | None = None  # "how many operating mines" -> "mines"
    terms: list[Term] = field(default_factory=list)

    wants_name: bool = False  # "Which official ...", "Who ..."
    wants_rank: bool = False  # "Where does Russia rank ..."
    wants_period: bool = False  # "Over which period ...", "Between which years ..."
    dimension: str | None = None  # "how heavy" -> "mass": a quantity of that dimension

    @property
    def wants_figure(self) -> bool:
        return bool(self.kinds)

    @property
    def years(self) -> set[str]:
        return {t.text for t in self.terms if t.year}


def analyze(question: str) -> QuestionAnalysis:
    tokens = tokenize(question)
    lower = [t.text.lower() for t in tokens]
    joined = " ".join(lower)
    asked_property = _asked_property(joined)  # "what is the boiling point of ..."
    kinds, count_unit = _expected_kinds(question.lower(), lower, asked_property)
    compounds = in_compounds(lower)
    terms: list[Term] = []
    seen: set[str] = set()
    group, last_entity_index = -1, -2
    for index, token in enumerate(tokens):
        # A year in the question narrows it like a name does ("in 2024"); a decade does not.
        is_year = bool(_YEAR.match(token.text)) and question[token.end : token.end + 1] != "s"
        entity = _is_entity(token, index == 0) or is_year
        if entity and (index != last_entity_index + 1 or is_year):
            group += 1
        if entity:
            last_entity_index = index
        word = token.text.lower()
        if word in STOPWORDS or len(word) < 2 and not word.isdigit():
            continue
        if word in GENERIC or word in _QUESTION_WORDS or token.stem in seen:
            continue
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
            )
        )
    return QuestionAnalysis(
        text=question,
        kinds=kinds,
        count_unit=count_unit,
        terms=terms,
        wants_name=_asks_for_a_name(lower),
        wants_rank=_asks_rank(lower),
        wants_period=bool(set(lower) & {"period", "years", "decades", "span"}),
        dimension=next(
            (d for w, d in _DIMENSION_OF.items() if f"how {w}" in joined), asked_property
        ),
    )


def _is_entity(token: Token, first: bool) -> bool:
    """Capitalised words are names (China, Mountain Pass), except a capital at the start."""
    return token.capitalized and not first and token.text.lower() not in STOPWORDS


def _expected_kinds(
    question: str, words: list[str], asked_property: str | None
) -> tuple[frozenset[FigureKind], str | None]:
    """The kind(s) of figure that would answer the question; `asked_property` is the
    dimension of a property it asks for by name (see _asked_property)."""
    text = " " + " ".join(words) + " "
    wordset = _figure_cues(words)
    if _asks_for_a_name(words):
        return frozenset(), None
    if " how many times " in text or wordset & {"fold", "factor", "multiple", "multiplied"}:
        return frozenset({"multiplier"}), None
    if "%" in question or wordset & _PERCENT_CUES or " how much of " in text:
        return frozenset({"percent"}), None
    if wordset & _MONEY_CUES or " how much money " in text:
        return frozenset({"money"}), None
    if wordset & _QUANTITY_UNITS or wordset & {"tonnage", "capacity", "volume"}:
        return frozenset({"quantity"}), None
    if " what range of " in text or " which range of " in text:  # a span of values
        return frozenset({"quantity", "money", "percent"}), None
    if asked_property is not None:
        return frozenset({"quantity"}), None
    if " how many " in text:
        return frozenset({"count"}), _counted_noun(text.split(" how many ", 1)[1].split())
    if wordset & {"period", "years", "decade", "decades", "month", "deadline", "date"} and (
        wordset & {"which", "what"}
    ):
        return frozenset({"year"}), None
    if " what year " in text or " which year " in text or asks_when(words):
        return frozenset({"year"}), None
    if any(f" how {word} " in text for word in _MEASURE_WORDS):
        # "how heavy", "how long", "how tall": a measure; a length of time counts years too
        return frozenset({"quantity", "count"} if " how long " in text else {"quantity"}), None
    if " how much " in text or " how big " in text or " how large " in text:
        if wordset & _CHANGE_VERBS:
            return frozenset({"percent", "multiplier", "quantity", "money"}), None
        return frozenset({"quantity", "money", "percent"}), None
    return frozenset(), None


_AUXILIARIES = {
    "did", "does", "do", "was", "were", "is", "are", "will", "would", "can", "could", "has",
    "have", "had", "should", "shall", "may", "might", "must",
}  # fmt: skip
_BEFORE_WHEN = {"since", "until", "till", "from", "by", "and", "but", "so", "then"}
_OTHER_QUESTION_WORDS = _QUESTION_WORDS - {"when"}


def asks_when(words: list[str]) -> bool:
    """Whether "when" asks for a time ("When did ...", "Since when was ...", "By when should
    ..."), not joins a clause ("What happens when ...", "When the river leaves the lake,
    which way does it flow?"). `words`: the question's words, lower case. It asks when it
    opens the question (after "since", "by" ...) and is followed by a verb like "did" or
    "was", or when no other question word follows."""
    for i, word in enumerate(words):
        if word != "when" or not all(w in _BEFORE_WHEN for w in words[:i]):
            continue
        following = words[i + 1] if i + 1 < len(words) else ""
        if following in _AUXILIARIES or not set(words[i + 1 :]) & _OTHER_QUESTION_WORDS:
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
    found = _ASKED_PROPERTY.search(text)
    return _PROPERTY_DIMENSION[found.group(1)] if found else None


def _figure_cues(words: list[str]) -> set[str]:
    """The question's words, less weak cue words that are not what it asks about: a weak
    cue counts after the question word, within the first _ASKED_WITHIN words, followed by
    "of", "in", "for", a form of "be"/"do"/"have" or the end; "part" never counts."""
    # "Contrast Russia's portion of ...": a request without a question word asks from the start.
    asking = next((i for i, w in enumerate(words) if w in _QUESTION_WORDS), -1)
    asked = {
        word
        for i, word in enumerate(words)
        if word in _WEAK_CUES
        and word != "part"  # "what part of the Rhine" is a place more often than a share
        and asking < i < _ASKED_WITHIN
        and (words[i + 1] if i + 1 < len(words) else "") in _AFTER_WEAK_CUE | {""}
    }
    return {w for w in words if w not in _WEAK_CUES or w in asked}


def _counted_noun(words: list[str]) -> str | None:
    """The noun counted by "how many ...": the first plural, else the word before a verb
    ("how many rare earth mines are" -> mines; "how many people work" -> people)."""
    previous = None
    for word in words:
        if word in _UNIT_STOP:
            return previous
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            return word
        previous = word
    return previous


# Nouns whose answer is a proper name ("Which company ..."); "which dispute" may be unnamed.
_NAME_NOUNS = {
    "official", "person", "company", "firm", "country", "mine", "deposit", "field", "plant",
    "region", "city", "minister", "president", "leader", "organisation", "organization",
    "agency", "owner", "shareholder", "operator", "corporation", "who", "whom",
}  # fmt: skip


def _asks_for_a_name(words: list[str]) -> bool:
    """ "Who ...", "Which official ...", "What is the project called": a name is wanted, even
    when the question mentions figures ("who announced the eightfold rise")."""
    if not words:
        return False
    if words[0] in {"who", "whom"}:
        return True
    head = words[1:5] if words[0] in {"which", "what"} else []
    return bool(set(head) & _NAME_NOUNS) or "called" in words or "named" in words
