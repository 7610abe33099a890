"""Checking a generated answer against the passages it cites, sentence by sentence.

A figure in a sentence is supported only when a cited passage holds the same figure *for the
same subject*: "China produces 48% of the world's gallium" citing "China accounts for 48% of
global antimony production, ... 98.8% of gallium production" fails, because there 48% belongs
to antimony and gallium to 98.8%.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from remqa.answering.binding import binding_strength, measure_phrase
from remqa.answering.figures import Figure, find_figures, same_figure
from remqa.answering.question_words import GENERIC, SCOPE_WORDS
from remqa.models import Passage, SentenceCheck
from remqa.text.lexicon import stands_for
from remqa.text.sentences import split_sentences
from remqa.text.words import STOPWORDS, Token, tokenize

_MARKERS = re.compile(r"\s*((?:\[\d+\]\s*)+)")
_MARKER = re.compile(r"\[(\d+)\]")


@dataclass
class Support:
    """Where a figure of the answer is backed: passage number and sentence span in it."""

    passage: int
    start: int
    end: int


@dataclass
class CheckedSentence:
    text: str  # without its markers
    markers: list[int]
    check: SentenceCheck
    support: list[Support]


def answer_sentences(text: str) -> list[tuple[str, list[int]]]:
    """(sentence, cited passage numbers): a marker group after a full stop belongs to the
    sentence before it, not to the next one."""
    out: list[tuple[str, list[int]]] = []
    for start, end in split_sentences(text):
        piece = text[start:end]
        lead = _MARKERS.match(piece)
        if lead and out:  # "… production. [1] Next sentence" -> [1] goes back
            out[-1][1].extend(int(n) for n in _MARKER.findall(lead.group(1)))
            piece = piece[lead.end() :]
        markers = [int(n) for n in _MARKER.findall(piece)]
        body = re.sub(r"\s+([.,;:!?])", r"\1", _MARKER.sub("", piece)).strip()
        if body:
            out.append((body, markers))
        elif markers and out:
            out[-1][1].extend(markers)
    return out


def _key_words(sentence: str, figure: Figure, figures: Sequence[Figure]) -> list[Token]:
    """The words saying what the figure measures in the answer ("of the world's gallium")."""
    return [
        t
        for t in measure_phrase(sentence, figure, figures, tokenize(sentence))
        if t.text.lower() not in STOPWORDS | GENERIC | SCOPE_WORDS and not t.text.isdigit()
    ]


def _matches(word: Token, token: Token) -> bool:
    return stands_for(token.stem, word.text)


def _tie(
    figure: Figure, figures: Sequence[Figure], token: Token, text: str, tokens: list[Token]
) -> float:
    if any(t is token for t in measure_phrase(text, figure, figures, tokens)):
        return 1.0
    return 0.5 * binding_strength(figure, figures, token, text)


def support_in(
    sentence: str, figure: Figure, passage_text: str
) -> tuple[tuple[int, int] | None, str]:
    """The span of the passage sentence that supports `figure` as used in `sentence`, or None
    and the reason."""
    answer_figures = find_figures(sentence)
    keys = _key_words(sentence, figure, answer_figures)
    reason = f"{figure.text} is not in the cited passage"
    for start, end in split_sentences(passage_text):
        text = passage_text[start:end]
        figures = find_figures(text)
        for candidate in (f for f in figures if same_figure(f, figure)):
            tokens = tokenize(text)
            conflicts = []
            for key in keys:
                found = [t for t in tokens if _matches(key, t)]
                if not found:
                    continue  # a paraphrase: neither for nor against
                best_rival: Figure | None = None
                consistent = False
                for token in found:
                    mine = _tie(candidate, figures, token, text, tokens)
                    rivals = [
                        (other, _tie(other, figures, token, text, tokens))
                        for other in figures
                        if other is not candidate and other.kind == candidate.kind
                    ]
                    top = max(rivals, key=lambda pair: pair[1], default=(None, 0.0))
                    if mine >= 1.0 or mine >= top[1]:
                        consistent = True
                    elif best_rival is None:
                        best_rival = top[0]
                if not consistent and best_rival is not None:
                    conflicts.append((len(found), key.text, best_rival))
            if not conflicts:
                return (start, end), ""
            _, word, other = min(conflicts, key=lambda c: c[0])  # the most specific word
            reason = (
                f"in the cited passage {figure.text} is not about {word}; "
                f"{word} goes with {other.text}"
            )
    return None, reason


def check_sentence(body: str, markers: list[int], passages: Sequence[Passage]) -> CheckedSentence:
    figures = find_figures(body)
    missing = [n for n in markers if not 1 <= n <= len(passages)]
    if missing:
        return CheckedSentence(body, markers, SentenceCheck(
            sentence=body, citations=markers, supported=False,
            reason=f"cites [{missing[0]}], which is not one of the {len(passages)} passages",
        ), [])  # fmt: skip
    if not markers:
        reason = "states a figure without citing a passage" if figures else "cites no passage"
        return CheckedSentence(
            body,
            markers,
            SentenceCheck(sentence=body, citations=[], supported=False, reason=reason),
            [],
        )
    support: list[Support] = []
    for figure in figures:
        found = None
        reason = ""
        for n in dict.fromkeys(markers):
            chunk = passages[n - 1].chunk
            span, why = support_in(body, figure, chunk.text)
            if span is not None:
                found = Support(n, *chunk.source_span(*span))
                break
            reason = why
        if found is None:
            return CheckedSentence(body, markers, SentenceCheck(
                sentence=body, citations=markers, supported=False, reason=reason), [])  # fmt: skip
        support.append(found)
    return CheckedSentence(
        body, markers, SentenceCheck(sentence=body, citations=markers, supported=True), support
    )
