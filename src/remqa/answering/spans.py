"""Short answers: the span of the chosen sentence that answers the question, for every
question type, scored by a small learned model.

Candidate spans are the runs of the sentence's words that the question does not already say,
cut at punctuation and at clause words, plus the spans of the wanted kind (names, dates,
counts; see answer_types). Each is scored on what a reader uses: it sits right after or
before the question's words, it is of the wanted kind, it is short, it follows "is", "as",
"called" or "by". The best span leads the answer in bold when the model is confident enough;
it is always exact text of the sentence.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from remqa.answering.answer_types import ANSWER_TYPES, AnswerType, Span, typed_spans
from remqa.answering.figures import find_figures
from remqa.text.words import STOPWORDS, Token, tokenize

_BREAKS = set(',;:()[]"“”')
_CLAUSE_WORDS = {
    "which", "that", "who", "whom", "whose", "where", "when", "while", "because", "although",
    "but", "and", "or", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had",
    "will", "would", "can", "could", "may", "might", "should", "does", "did", "do",
}  # fmt: skip
_LEAD_INS = {"is", "was", "are", "were", "as", "called", "named", "by", "of", "in", "to", "from"}
MAX_SPAN_WORDS = 8

SPAN_FEATURES = (
    "typed",
    "words",
    "log_words",
    "after_question_word",
    "before_question_word",
    "distance",
    "capitalized",
    "has_digit",
    "after_lead_in",
    "first_in_sentence",
    "last_in_sentence",
    "stopword_share",
    "in_brackets",
) + tuple(f"typed_{t}" for t in ANSWER_TYPES)


@dataclass(frozen=True)
class SpanCandidate:
    span: Span
    features: tuple[float, ...]


def candidate_spans(sentence: str, kind: AnswerType, asked: set[str]) -> list[SpanCandidate]:
    """Every candidate short answer of the sentence, with its SPAN_FEATURES."""
    tokens = tokenize(sentence)
    if not tokens:
        return []
    typed = typed_spans(sentence, kind, asked)
    figures = [Span(f.start, f.end, f.text) for f in find_figures(sentence)]
    spans: dict[tuple[int, int], Span] = {(s.start, s.end): s for s in typed}
    for span in [*figures, *_runs(sentence, tokens, asked)]:
        # A span never cuts a figure in two: "95" out of "95%" would state another figure.
        if any(f.start < span.end and span.start < f.end for f in figures) and not any(
            span.start <= f.start and f.end <= span.end for f in figures
        ):
            continue
        spans.setdefault((span.start, span.end), span)
    asked_at = [i for i, t in enumerate(tokens) if t.stem in asked]
    out = []
    for span in spans.values():
        inside = [i for i, t in enumerate(tokens) if span.start <= t.start and t.end <= span.end]
        if not inside:
            continue
        first, last = inside[0], inside[-1]
        before = tokens[first - 1] if first > 0 else None
        after = tokens[last + 1] if last + 1 < len(tokens) else None
        distance = min((min(abs(i - first), abs(i - last)) for i in asked_at), default=len(tokens))
        words = [tokens[i] for i in inside]
        is_typed = any(s.start <= span.start and span.end <= s.end for s in typed)
        features = [
            float(is_typed),
            float(len(words)),
            math.log1p(len(words)),
            float(before is not None and before.stem in asked),
            float(after is not None and after.stem in asked),
            distance / max(len(tokens), 1),
            sum(t.capitalized for t in words) / len(words),
            float(any(c.isdigit() for c in span.text)),
            float(before is not None and before.text.lower() in _LEAD_INS),
            float(first == 0),
            float(last == len(tokens) - 1),
            sum(t.text.lower() in STOPWORDS for t in words) / len(words),
            float(sentence[: span.start].count("(") > sentence[: span.start].count(")")),
        ] + [float(is_typed and kind == t) for t in ANSWER_TYPES]
        out.append(SpanCandidate(span, tuple(features)))
    return out


def _runs(sentence: str, tokens: Sequence[Token], asked: set[str]) -> list[Span]:
    """Runs of tokens the question does not say, cut at punctuation and clause words, and
    trimmed of stop words at both ends; at most MAX_SPAN_WORDS long."""
    runs: list[list[Token]] = [[]]
    for i, token in enumerate(tokens):
        gap = sentence[tokens[i - 1].end : token.start] if i else ""
        cut = (
            token.stem in asked
            or token.text.lower() in _CLAUSE_WORDS
            or any(ch in _BREAKS for ch in gap)
        )
        if cut:
            runs.append([])
        if token.stem not in asked and token.text.lower() not in _CLAUSE_WORDS:
            runs[-1].append(token)
    out = []
    for run in runs:
        while run and run[0].text.lower() in STOPWORDS:
            run = run[1:]
        while run and run[-1].text.lower() in STOPWORDS:
            run = run[:-1]
        if run and len(run) <= MAX_SPAN_WORDS:
            start, end = run[0].start, run[-1].end
            out.append(Span(start, end, sentence[start:end]))
    return out
