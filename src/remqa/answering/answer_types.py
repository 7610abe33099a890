"""The kinds of answer a question may want, and the spans of a sentence that are of a kind.

"Who" wants a name, "when" a date, "where" a place, "how many" a count, "how much" an amount
(the question analysis, question.py, decides which). A sentence that holds a span of the
wanted kind (not already in the question) is more likely to answer, and that span is the
short answer shown in bold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from remqa.answering.figures import era_years, find_figures
from remqa.text.words import STOPWORDS, tokenize

AnswerType = Literal[
    "name", "place", "date", "count", "amount", "measure", "reason", "thing", "other"
]
ANSWER_TYPES: tuple[AnswerType, ...] = (
    "name", "place", "date", "count", "amount", "measure", "reason", "thing", "other"
)  # fmt: skip

_YEAR = re.compile(r"\b(?:1[0-9]{3}|20[0-9]{2})s?\b")
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_DATE = re.compile(
    rf"\b(?:(?:\d{{1,2}}\s+)?(?:{_MONTHS})(?:\s+\d{{1,2}})?,?(?:\s+\d{{3,4}})?"
    r"|\d{1,2}(?:st|nd|rd|th)[\s-]century|(?:first|second|third|fourth|fifth|sixth|seventh|"
    r"eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|"
    r"seventeenth|eighteenth|nineteenth|twentieth|twenty-first)[\s-]century"
    r"|(?:1[0-9]{3}|20[0-9]{2})s?"
    # a time counted back: "22,000 years ago", "~3000 yr BP" (a year with its era, "AD 43",
    # is read by figures.era_years, the one grammar of eras)
    r"|\d[\d,.]*(?:\s+(?:thousand|million|billion))?\s*(?:years?|yrs?)\s+(?:ago|(?-i:BP)))\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    "eighty|ninety|hundred|hundreds|thousand|thousands|million|millions|billion|dozen|dozens"
)
_NUMBER = re.compile(
    rf"\b(?:\d[\d,.]*|{_NUMBER_WORDS})(?:[\s-](?:{_NUMBER_WORDS}|\d[\d,.]*))*\b", re.I
)
_REASON = re.compile(
    r"\b(because|due to|since|so that|in order to|as a result|owing to|thanks to)\b", re.I
)
_CONNECTORS = {"of", "the", "de", "von", "van", "der", "du", "la", "le", "and", "for", "&", "-"}


@dataclass(frozen=True)
class Span:
    start: int  # offsets in the sentence
    end: int
    text: str


def typed_spans(sentence: str, kind: AnswerType, question_stems: set[str]) -> list[Span]:
    """Spans of the sentence of the wanted kind that the question does not already say."""
    if kind == "date":
        spans = _date_spans(sentence)
    elif kind in ("count", "measure", "amount"):
        spans = _number_spans(sentence, kind)
    elif kind in ("name", "place"):
        spans = _name_spans(sentence)
    elif kind == "reason":
        found = _REASON.search(sentence)
        spans = [Span(found.start(), len(sentence), sentence[found.start() :])] if found else []
    else:
        spans = []
    if kind in ("name", "place"):  # a name the question uses is its subject, not its answer
        return [s for s in spans if not _shares_a_word(s.text, question_stems)]
    return [s for s in spans if not _said_in_question(s.text, question_stems)]


def _date_spans(sentence: str) -> list[Span]:
    """Dates, periods and times counted back; a year with its era whole ("AD 1342", not
    "1342")."""
    eras = [Span(f.start, f.end, f.text) for f in era_years(sentence)]
    spans = [
        Span(m.start(), m.end(), m.group())
        for m in _DATE.finditer(sentence)
        if not any(e.start < m.end() and m.start() < e.end for e in eras)
    ]
    return sorted(spans + eras, key=lambda s: s.start)


def _shares_a_word(text: str, question_stems: set[str]) -> bool:
    return any(t.stem in question_stems for t in tokenize(text))


def _said_in_question(text: str, question_stems: set[str]) -> bool:
    stems = [t.stem for t in tokenize(text) if t.text.lower() not in STOPWORDS]
    return bool(stems) and all(s in question_stems for s in stems)


def _number_spans(sentence: str, kind: AnswerType) -> list[Span]:
    """Figures with their units ("86 km", "$2.5 million", "three times"); for a count, the
    number and its noun ("five species")."""
    spans = []
    taken: list[tuple[int, int]] = []
    for figure in find_figures(sentence):
        if kind == "count" and figure.kind == "year":
            continue
        end = figure.end
        if figure.kind == "count" and figure.unit:
            noun = re.match(r"\s+[\w-]+", sentence[end:])
            end = end + noun.end() if noun else end
        spans.append(Span(figure.start, end, sentence[figure.start : end]))
        taken.append((figure.start, end))
    for m in _NUMBER.finditer(sentence):
        if any(a < m.end() and m.start() < b for a, b in taken) or _YEAR.fullmatch(m.group()):
            continue
        unit = re.match(r"\s+[^\W\d_][\w-]*", sentence[m.end() :])
        with_unit = unit is not None and unit.group().strip().lower() not in STOPWORDS
        end = m.end() + (unit.end() if unit is not None and with_unit else 0)
        spans.append(Span(m.start(), end, sentence[m.start() : end]))
    return sorted(spans, key=lambda s: s.start)


def _name_spans(sentence: str) -> list[Span]:
    """Runs of capitalised words ("Ernest Rutherford", "Lake Constance", "House of Lords"),
    except a lone sentence-initial capital."""
    tokens = tokenize(sentence)
    spans: list[Span] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not tok.capitalized:
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and (
            tokens[j].capitalized
            or tokens[j].text.isdigit()  # "Apollo 11"
            or tokens[j].text.lower() in _CONNECTORS
            and j + 1 < len(tokens)
            and tokens[j + 1].capitalized
        ):
            j += 1
        if i == 0 and j == 1 and tok.text.lower() in STOPWORDS | {"in", "on", "at", "by"}:
            i = j
            continue
        if not (i == 0 and j == 1 and _common_word(tok.text)):
            end = tokens[j - 1].end
            spans.append(Span(tok.start, end, sentence[tok.start : end]))
        i = j
    return spans


def _common_word(word: str) -> bool:
    """A sentence-initial capital on an ordinary word ("The", "During", "Since")."""
    return word.lower() in STOPWORDS or word.endswith("ing") or word.endswith("ly")
