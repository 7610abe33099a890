"""Candidate sentences and what is measured about each: the words and names of the question
they hold (in the sentence or just before it), closeness in meaning, and for a figure question
the figures of the asked kind and how strongly each is tied to what was asked.

Nothing here decides which sentence answers: the learned models do (answerer.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from remqa.answering.answer_types import Span
from remqa.answering.binding import bind, clause_before, labelled_count, measure_phrase
from remqa.answering.figure_choice import fits
from remqa.answering.figures import DIMENSIONS, Figure, find_figures
from remqa.answering.question import QuestionAnalysis, Term
from remqa.answering.question_words import GENERIC, SCOPE_WORDS
from remqa.answering.terms import match_term, term_forms
from remqa.models import Chunk, Passage
from remqa.text.lexicon import stands_for
from remqa.text.sentences import split_sentences
from remqa.text.stats import CorpusStats
from remqa.text.words import (
    STOPWORDS,
    Token,
    stem,
    tokenize,
)

_TIME_STEMS = {stem(u) for u in DIMENSIONS["time"]}


class SentenceScorer(Protocol):
    """Closeness in meaning of sentences to a question (retrieval's SentenceSimilarity)."""

    def scores(self, query_vector: Sequence[float], texts: Sequence[str]) -> list[float]: ...

    def embed_query(self, text: str) -> list[float]: ...


CONTEXT_WEIGHT = 0.6  # a word found just before the sentence, in the same paragraph
CONTEXT_SENTENCES = 3  # how far back "it" may point
ABSENT_WORD_WEIGHT = 1.0
SCOPE_WEIGHT = 0.3
DEMONSTRATIVES = {"this", "these", "such", "those"}  # "this measure was applied to Japan"
ANAPHORS = {"this", "it", "it's", "these", "they", "he", "she", "that", "its", "their", "his"}
ORDINAL = re.compile(
    r"\b(\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b",
    re.IGNORECASE,
)


def meaning_text(sentence: str, context: str) -> str:
    """What a sentence says: with its context when it starts with "It", "This"..."""
    opening = [w.lower().strip("\"'“‘,") for w in sentence.split()[:6]]
    refers_back = opening[:1] and opening[0] in ANAPHORS or bool(set(opening) & DEMONSTRATIVES)
    return f"{context} {sentence}" if refers_back and context else sentence


def sentences_of(chunk: Chunk) -> Iterator[tuple[int, int, str]]:
    """The candidate sentences of a chunk: (source start, source end, clean text). A heading
    names a section and states nothing, so it is never one, though its words may match the
    question's ("# Lindholm Orchard Cooperative: report 2026" for "Who chairs the orchard
    cooperative?")."""
    for s, e in split_sentences(chunk.text):
        start, end = chunk.source_span(s, e)
        if not chunk.is_heading(start, end):
            yield start, end, chunk.text[s:e]


@dataclass
class Candidate:
    """One sentence of a retrieved passage, scored against the question."""

    passage: Passage
    start: int  # offsets in the source text
    end: int
    text: str
    coverage: float = 0.0
    entities_ok: bool = True
    missing_entities: list[str] = field(default_factory=list)
    lead: Figure | None = None  # the figure tied most strongly to the question's subject
    binding: float = 0.0  # how strongly (0..1) the question's words are tied to `lead`
    similarity: float = 0.0  # cosine similarity of the sentence to the question
    context: str = ""  # the sentences just before it, in the same paragraph
    penalty: float = 0.0  # words tied to the figure that the question does not mention

    @property
    def meaning_text(self) -> str:
        return meaning_text(self.text, self.context)

    matched_share: float = 0.0  # share of the question's words found (sentence or context)
    new_names: bool = False  # the sentence names someone or something the question does not
    period_match: bool = False  # a span of years, for a question about a period
    figures: list[Figure] = field(default_factory=list)  # figures of the asked kind
    numbers: list[Span] = field(default_factory=list)  # numbers or dates, when no figure fits
    probability: float = 0.0  # the learned selector's P(this sentence answers the question)
    # the sentence's words that match the question's, with their weights (figure questions)
    subject: list[tuple[Token, float]] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, int]:
        return (self.passage.chunk.source, self.start)


class CandidateReader:
    """Reads the sentences of the retrieved passages as candidates and measures each."""

    def __init__(
        self,
        stats: CorpusStats,
        context_before: Callable[[str, int], str],
        similarity: SentenceScorer | None = None,
    ) -> None:
        self.similarity = similarity
        self.stats = stats
        self.context_before = context_before

    def term_weight(self, term: Term) -> float:
        """A rare word says more about what is asked than a common one."""
        forms = term_forms(term.text, term.literal, term.alone)
        weights = [self.stats.idf(form[0]) for form in forms]
        # The word's own rarity when the corpus uses it; else that of a word standing for it.
        present = [w for w in weights[:1] if w < self.stats.max_idf()] or [
            w for w in weights[1:] if w < self.stats.max_idf()
        ]
        if not present:  # "Californian": weigh it as the corpus's "California"
            present = [self.stats.idf(s) for s in self.stats.related_stems(term.stem)]
        # A word the corpus never uses cannot tell passages apart; count it as ordinary.
        weight = min(present) if present else ABSENT_WORD_WEIGHT
        return weight * SCOPE_WEIGHT if term.text.lower() in SCOPE_WORDS else weight

    def context_of(self, source: str, start: int) -> str:
        """The sentences of the same paragraph just before offset `start` (at most
        CONTEXT_SENTENCES)."""
        before = self.context_before(source, start)
        sentences = split_sentences(before)[-CONTEXT_SENTENCES:]
        return before[sentences[0][0] :].strip() if sentences else ""

    def corpus_texts(self, chunks: Iterable[Chunk]) -> list[str]:
        """What each candidate sentence of `chunks` is read as (`Candidate.meaning_text`),
        once each: the texts whose vectors the similarity holds for good."""
        texts: dict[str, None] = {}
        for chunk in chunks:
            for start, _, sentence in sentences_of(chunk):
                texts[meaning_text(sentence, self.context_of(chunk.source, start))] = None
        return list(texts)

    def candidates(
        self, analysis: QuestionAnalysis, passages: Sequence[Passage]
    ) -> list[Candidate]:
        weights = {t.stem: self.term_weight(t) for t in analysis.terms}
        total = sum(weights.values()) or 1.0
        seen: set[tuple[str, int]] = set()
        out: list[Candidate] = []
        for passage in passages:
            for start, end, sentence in sentences_of(passage.chunk):
                cand = Candidate(passage, start, end, sentence)
                if cand.key in seen:
                    continue
                seen.add(cand.key)
                self._score(cand, analysis, weights, total)
                out.append(cand)
        return out

    def _score(
        self,
        cand: Candidate,
        analysis: QuestionAnalysis,
        weights: dict[str, float],
        total: float,
    ) -> None:
        tokens = tokenize(cand.text)
        cand.context = self.context_of(cand.passage.chunk.source, cand.start)
        context = tokenize(cand.context)
        covered = 0.0
        subject: list[tuple[Token, float]] = []
        found_terms = 0
        groups: dict[int, int] = {}  # entity group -> 2 in sentence, 1 in context, 0 missing
        # A name the sentence does not repeat may come from just before it ("it accounted
        # for 78%"), unless the sentence names something else the question did not ask about.
        cand.new_names = self._names_other_things(tokens, analysis)
        context_counts = (
            (tokens[:1] != [] and tokens[0].text.lower() in ANAPHORS)
            or analysis.wants_name  # the name asked for is new to the question by definition
            or not cand.new_names
        )
        for term in analysis.terms:
            in_sentence = match_term(term, tokens, self.stats.acronyms)
            in_context = context_counts and match_term(term, context, self.stats.acronyms)
            where = 2 if in_sentence else 1 if in_context else 0
            found_terms += where > 0
            covered += weights[term.stem] * (1.0, CONTEXT_WEIGHT, 0.0)[2 - where]
            subject.extend((tok, weights[term.stem]) for tok in in_sentence)
            if term.entity:
                groups[term.group] = max(groups.get(term.group, 0), where)
        cand.coverage = covered / total if analysis.terms else 0.0
        cand.matched_share = found_terms / len(analysis.terms) if analysis.terms else 0.0
        cand.missing_entities = [
            t.text for t in analysis.terms if t.entity and groups.get(t.group) == 0
        ]
        group_weight: dict[int, float] = {}
        year_groups = {t.group for t in analysis.terms if t.year}
        for term in analysis.terms:
            if term.entity:
                group_weight[term.group] = max(group_weight.get(term.group, 0), weights[term.stem])
        missing = [g for g, found in groups.items() if found == 0]
        if year_groups and any(groups[g] for g in year_groups):
            # "in 1974 ... and in 2022": one of the question's years is enough per sentence.
            missing = [g for g in missing if g not in year_groups]
        # Every name the question uses must be there; with several names, a common one
        # ("China" in an article about China) may be implied when a rarer one is in the
        # sentence itself.
        cand.entities_ok = not missing or (
            len(missing) == 1
            and 2 in groups.values()
            and group_weight[missing[0]] <= 0.5 * max(group_weight.values())
        )
        if not analysis.wants_figure:
            return
        cand.subject = subject
        found = find_figures(cand.text)
        counted = analysis.count_unit
        cand.figures = [
            f for f in found if self._fits(f, analysis) or labelled_count(cand.text, f, counted)
        ]
        if cand.figures:
            cand.lead, strength = bind(cand.text, found, cand.figures, subject)[0]
            cand.binding = min(1.0, strength / total)
            cand.period_match = analysis.wants_period and cand.lead.is_range
            if cand.lead.kind != "year":  # a year's clause says much besides what is asked
                cand.penalty = self._unasked_ties(cand, found, tokens, subject)

    def _unasked_ties(
        self,
        cand: Candidate,
        figures: Sequence[Figure],
        tokens: Sequence[Token],
        subject: Sequence[tuple[Token, float]],
    ) -> float:
        """Share (0..1) of what the lead figure measures that the question did not ask about:
        "38% of the world's rare earth reserves" answers a question on production poorly."""
        assert cand.lead is not None
        asked = {id(tok) for tok, _ in subject}
        unit = stem(cand.lead.unit) if cand.lead.unit else None
        words = [
            t
            for t in measure_phrase(cand.text, cand.lead, figures, tokens)
            if t.text.lower() not in STOPWORDS
            and t.text.lower() not in GENERIC
            and t.stem != unit  # "29 species": the unit is not a subject
        ]
        # A name in the clause before the figure is what it is about: "The Murmansk region
        # accounts for 70%" does not give Russia's share.
        seen = {id(t) for t in words}
        words += [
            t
            for t in clause_before(cand.text, cand.lead, figures, tokens)
            if id(t) not in seen and self.stats.is_name(t)
        ]
        total = sum(self.stats.idf(t.stem) for t in words)
        unasked = sum(self.stats.idf(t.stem) for t in words if id(t) not in asked)
        return unasked / total if total else 0.0

    def _names_other_things(self, tokens: Sequence[Token], analysis: QuestionAnalysis) -> bool:
        """True when the sentence names something (a word the corpus only writes capitalised,
        not a defined acronym) that is not among the question's words."""
        return any(
            self.stats.is_name(token)
            # A sentence's first word is capitalised anyway: a name only if the next is too.
            and (i > 0 or (len(tokens) > 1 and tokens[1].capitalized))
            and token.text.lower() not in self.stats.acronyms
            and not any(match_term(term, [token]) for term in analysis.terms)
            for i, token in enumerate(tokens)
        )

    @staticmethod
    def _fits(figure: Figure, analysis: QuestionAnalysis) -> bool:
        """The figure rules (figure_choice.fits), and for the binding a count of what was
        asked: "how many mines" is not answered by "17 metals"."""
        if not fits(figure, analysis):
            return False
        if figure.kind == "count" and figure.kind in analysis.kinds and analysis.count_unit:
            unit = tokenize(figure.unit or "")
            asked = stem(analysis.count_unit)
            if figure.unit in DIMENSIONS["time"] and asked in _TIME_STEMS:
                # a unit of time is exact: WordNet's "days" may mean "years" ("in my
                # days"), but "6 weeks" or "a 6-year-old" does not answer "how many days"
                return unit[0].stem == asked
            return len(unit) == 1 and stands_for(unit[0].stem, analysis.count_unit)
        return True

    def scored_candidates(
        self,
        analysis: QuestionAnalysis,
        passages: Sequence[Passage],
        query_vector: Sequence[float] | None,
    ) -> list[Candidate]:
        """Every sentence of the passages, with its word, name and figure measures and its
        closeness in meaning to the question."""
        cands = self.candidates(analysis, passages)
        if query_vector is not None and self.similarity is not None and cands:
            # "This was announced by ...": a sentence that refers back is read with its context
            scores = self.similarity.scores(query_vector, [c.meaning_text for c in cands])
            for cand, sim in zip(cands, scores, strict=True):
                cand.similarity = sim
        return cands
