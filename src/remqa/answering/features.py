"""What the answer selector knows about each candidate sentence: one row of numbers.

Every feature is something the answerer measures anyway (closeness in meaning, words and
names of the question found, retrieval rank, whether a span of the wanted kind is there,
figure binding), made relative to the other candidates where that helps: the best of a weak
lot is not a good answer. No feature is about any one document.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from remqa.answering.answer_types import ANSWER_TYPES, AnswerType, typed_spans
from remqa.text.lexicon import base_forms, in_compounds, opposite_words, related_stems
from remqa.text.words import content_tokens, tokenize

if TYPE_CHECKING:
    from remqa.answering.candidates import Candidate
    from remqa.answering.question import QuestionAnalysis
    from remqa.text.words import Token

BASE_FEATURES = (
    "cos",
    "cos_gap",
    "cos_rank_inv",
    "passage_score",
    "passage_rank_inv",
    "coverage",
    "coverage_gap",
    "matched_share",
    "bigrams",
    "entities_ok",
    "missing_entities",
    "has_type_span",
    "new_share",
    "log_length",
    "first_in_paragraph",
    "refers_back",
    "wants_figure",
    "figure_lead",
    "binding",
    "penalty",
    "proximity",
    "alignment",
    "bm25",
    "bm25_gap",
    "context_coverage",
    "missing_max_idf",
    "missing_share",
    "span_distance",
    "number_missing",
    "swapped_word",
    "antonym",
    "negation_mismatch",
    "related_coverage",
)
TYPE_FEATURES = tuple(f"type_{t}" for t in ANSWER_TYPES) + tuple(
    f"type_{t}_span" for t in ANSWER_TYPES
)
FEATURES = BASE_FEATURES + TYPE_FEATURES


def content_stems(text: str) -> list[str]:
    return [t.stem for t in content_tokens(tokenize(text))]


def _bigrams(stems: Sequence[str]) -> set[tuple[str, str]]:
    return set(zip(stems, stems[1:], strict=False))


def _proximity(sentence_stems: Sequence[str], asked: set[str]) -> float:
    """How tightly the question's words sit together in the sentence (1: side by side)."""
    where = [i for i, s in enumerate(sentence_stems) if s in asked]
    if len(where) < 2:
        return 0.0
    return len(where) / (where[-1] - where[0] + 1)


def _trigrams(word: str) -> set[str]:
    padded = f"^{word}$"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _swapped(missing: Sequence[str], stems: Sequence[str]) -> float:
    """How much a question word the sentence lacks looks like one it has: "southward" for
    "northward", "exports" for "imports", one detail changed (0: nothing alike)."""
    best = 0.0
    for word in missing:
        grams = _trigrams(word)
        for other in stems:
            if other != word:
                theirs = _trigrams(other)
                best = max(best, len(grams & theirs) / len(grams | theirs))
    return best


_NEGATIONS = frozenset({"not", "never", "no", "none", "nor", "neither", "without", "nothing"})


def _negated(tokens: Sequence[Token]) -> bool:
    return any(t.text.lower() in _NEGATIONS or t.text.lower().endswith("n't") for t in tokens)


def _lemmas(tokens: Sequence[Token]) -> set[str]:
    return {form for t in tokens for form in base_forms(t.text)}


def _antonym(question: Sequence[Token], sentence: set[str]) -> float:
    """1 when a word of the question is missing and its opposite is there: "the smallest
    denomination" against "the largest denomination", "northward" against "southward"."""
    for token in question:
        forms = set(base_forms(token.text))
        if not forms & sentence and any(o in sentence for o in opposite_words(token.text)):
            return 1.0
    return 0.0


def _lcs(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest common subsequence: words of the question in the same order."""
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def _bm25(stems: Sequence[str], asked: set[str], idf: Callable[[str], float]) -> float:
    """Okapi BM25 of the sentence for the question's words (k1 1.2, b 0.75, 20-word norm)."""
    counts: dict[str, int] = {}
    for s in stems:
        if s in asked:
            counts[s] = counts.get(s, 0) + 1
    norm = 1.2 * (0.25 + 0.75 * len(stems) / 20)
    return sum(idf(s) * n * 2.2 / (n + norm) for s, n in counts.items())


_NUMBER = re.compile(r"\d")


def feature_rows(
    cands: Sequence[Candidate],
    analysis: QuestionAnalysis,
    kind: AnswerType,
    idf: Callable[[str], float] = lambda stem: 1.0,
) -> list[list[float]]:
    """One row of FEATURES per candidate, in order. `idf` weighs a stem by how rare it is in
    the corpus."""
    if not cands:
        return []
    question_tokens = tokenize(analysis.text)
    content = content_tokens(question_tokens)
    asked_stems = [t.stem for t in content]
    asked = set(asked_stems)
    asked_weight = sum(idf(s) for s in asked) or 1.0
    top_idf = max((idf(s) for s in asked), default=1.0) or 1.0
    asked_numbers = {t.text for t in question_tokens if _NUMBER.search(t.text)}
    question_negated = _negated(question_tokens)
    # The stems that count as each content word of the question: the words that may stand
    # for it, or only itself inside an expression ("rare earth").
    literal = {question_tokens[i].start for i in in_compounds([t.text for t in question_tokens])}
    forms = [{t.stem} if t.start in literal else related_stems(t.text.lower()) for t in content]
    content_weights = [idf(t.stem) for t in content]
    content_weight = sum(content_weights) or 1.0
    tokens_of = [tokenize(c.text) for c in cands]
    stems_of = [[t.stem for t in content_tokens(tokens)] for tokens in tokens_of]
    bm25 = [_bm25(stems, asked, idf) for stems in stems_of]
    best_bm25 = max(bm25) or 1.0
    asked_bigrams = _bigrams(asked_stems)
    best_cos = max(c.similarity for c in cands)
    best_cov = max(c.coverage for c in cands)
    by_cos = sorted(range(len(cands)), key=lambda i: -cands[i].similarity)
    cos_rank = {i: r for r, i in enumerate(by_cos)}
    top_score = max(c.passage.score for c in cands) or 1.0
    rows = []
    for i, c in enumerate(cands):
        stems = stems_of[i]
        spans = typed_spans(c.text, kind, asked)
        new = [s for s in stems if s not in asked]
        context_tokens = tokenize(c.context) if c.context else []
        context = {t.stem for t in content_tokens(context_tokens)}
        present = set(stems) | context
        missing = [s for s in asked if s not in present]
        tokens = tokens_of[i]
        asked_at = [t.start for t in tokens if t.stem in asked]
        distance = (
            min(abs(s.start - a) for s in spans for a in asked_at) / max(len(c.text), 1)
            if spans and asked_at
            else 1.0
        )
        words = {t.text for t in tokens}
        here = {t.stem for t in tokens} | {t.stem for t in context_tokens}
        related = sum(w for w, f in zip(content_weights, forms, strict=True) if f & here)
        base = [
            c.similarity,
            c.similarity - best_cos,
            1.0 / (1 + cos_rank[i]),
            c.passage.score / top_score,
            1.0 / (1 + c.passage.rank),
            c.coverage,
            c.coverage - best_cov,
            c.matched_share,
            len(_bigrams(stems) & asked_bigrams) / len(asked_bigrams) if asked_bigrams else 0.0,
            float(c.entities_ok),
            float(len(c.missing_entities)),
            float(bool(spans)),
            len(new) / len(stems) if stems else 0.0,
            math.log1p(len(stems)),
            float(not c.context),
            float(c.meaning_text != c.text),
            float(analysis.wants_figure),
            float(c.lead is not None),
            c.binding,
            c.penalty,
            _proximity(stems, asked),
            _lcs(asked_stems, stems) / len(asked_stems) if asked_stems else 0.0,
            bm25[i] / best_bm25,
            bm25[i] / best_bm25 - 1.0,
            sum(idf(s) for s in asked & context) / asked_weight,
            max((idf(s) for s in missing), default=0.0) / top_idf,
            sum(idf(s) for s in missing) / asked_weight,
            distance,
            float(bool(asked_numbers - words)),
            _swapped(missing, stems),
            _antonym(content, _lemmas(tokens)),
            float(question_negated != _negated(tokens)),
            related / content_weight,
        ]
        types = [float(kind == t) for t in ANSWER_TYPES]
        typed = [float(kind == t and bool(spans)) for t in ANSWER_TYPES]
        rows.append(base + types + typed)
    return rows
