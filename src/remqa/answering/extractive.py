"""The extractive answerer: picks the sentences that answer the question and quotes them.

Deterministic, offline, no LLM. Every sentence of an answer is a verbatim quote with its own
citation marker, so it cannot state a figure its cited passages lack. A figure question is
only answered by a sentence that holds a figure of the asked kind tied to the question's
subject; otherwise the answer is a refusal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from remqa.answering.answer_types import Span
from remqa.answering.binding import bind, clause_before, field_label, measure_phrase
from remqa.answering.figure_choice import fits
from remqa.answering.figures import Figure, find_figures
from remqa.answering.question import GENERIC, SCOPE_WORDS, QuestionAnalysis, Term
from remqa.models import Answer, Citation, Passage
from remqa.text.sentences import split_sentences
from remqa.text.stats import CorpusStats
from remqa.text.words import (
    STOPWORDS,
    Token,
    same_name,
    spells_acronym,
    stem,
    stems_match,
    tokenize,
    variants,
)

REFUSAL = "The documents do not say."


class SentenceScorer(Protocol):
    """Closeness in meaning of sentences to a question (retrieval's SentenceSimilarity)."""

    def scores(self, query_vector: Sequence[float], texts: Sequence[str]) -> list[float]: ...

    def embed_query(self, text: str) -> list[float]: ...


_KIND_NAMES = {
    "percent": "a percentage",
    "money": "an amount of money",
    "quantity": "an amount",
    "year": "a year",
    "multiplier": "a multiple",
    "count": "a number",
}
# A quantity asked for by its dimension ("how heavy", "the boiling point") is named by it.
_DIMENSION_NAMES = {
    "mass": "a weight", "length": "a length", "speed": "a speed", "temperature": "a temperature",
    "area": "an area", "power": "a power",
}  # fmt: skip
CONTEXT_WEIGHT = 0.6  # a word found just before the sentence, in the same paragraph
CONTEXT_SENTENCES = 3  # how far back "it" may point
ABSENT_WORD_WEIGHT = 1.0
BINDING_WEIGHT = 0.5
SIMILARITY_WEIGHT = 1.0
COVERAGE_WEIGHT = 2.0
PERIOD_BONUS = 0.5  # "over which period" is answered by a span of years
SCOPE_WEIGHT = 0.3
PENALTY_WEIGHT = 1.0
MAX_EXTRA_PENALTY = 0.7
SIMILARITY_CANDIDATES = 8
SIMILAR_ENOUGH = 0.5  # a paraphrase of the question, even with few words in common
MIN_TEXT_SIMILARITY = 0.35
DEMONSTRATIVES = {"this", "these", "such", "those"}  # "this measure was applied to Japan"
ANAPHORS = {"this", "it", "it's", "these", "they", "he", "she", "that", "its", "their", "his"}
ORDINAL = re.compile(
    r"\b(\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b",
    re.IGNORECASE,
)


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
        """What the sentence says: with its context when it starts with "It", "This"..."""
        opening = [w.lower().strip("\"'“‘,") for w in self.text.split()[:6]]
        refers_back = opening[:1] and opening[0] in ANAPHORS or bool(set(opening) & DEMONSTRATIVES)
        return f"{self.context} {self.text}" if refers_back and self.context else self.text

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


@lru_cache(maxsize=4096)
def _term_forms(word: str, literal: bool = False) -> tuple[tuple[str, ...], ...]:
    forms = variants(word)
    return tuple(tuple(form) for form in (forms[:1] if literal else forms))


def match_term(
    term: Term, tokens: Sequence[Token], acronyms: dict[str, tuple[str, ...]] | None = None
) -> list[Token]:
    """The tokens that spell the term, one of its aliases or synonyms, or an acronym whose
    long form holds it ("rare" is in "REM" when the corpus defines rare earth metals (REM))."""
    found: list[Token] = []
    # a name is matched by a name: "Newton" not by the unit "newton", China by "Beijing",
    # the Holocene not by "recent" (it is also the Recent epoch)
    any_case = not term.entity or term.year
    for form in _term_forms(term.text, term.literal):
        n = len(form)
        if n == 1:  # most forms: one word, compared with each token (the hot loop)
            word = form[0]
            found.extend(
                t for t in tokens if stems_match(word, t.stem) and (any_case or t.capitalized)
            )
            continue
        for i in range(len(tokens) - n + 1):
            if all(stems_match(form[j], tokens[i + j].stem) for j in range(n)) and (
                any_case or tokens[i].capitalized
            ):
                found.extend(tokens[i : i + n])
    if acronyms:
        found.extend(
            t for t in tokens if t.text.isupper() and term.stem in acronyms.get(t.text.lower(), ())
        )
    if term.entity and term.text.isupper() and 3 <= len(term.text) <= 6:
        found.extend(spells_acronym(term.text, tokens))
    if term.entity and not found:  # "Chinese" names China, "Russians" Russia
        found.extend(t for t in tokens if t.capitalized and same_name(term.stem, t.stem))
    return found


class ExtractiveAnswerer:
    """Answers from the retrieved passages by quoting their sentences."""

    name = "extractive"

    def __init__(
        self,
        stats: CorpusStats,
        context_before: Callable[[str, int], str],
        max_citations: int = 6,
        min_coverage: float = 0.4,
        min_figure_coverage: float = 0.25,
        similarity: SentenceScorer | None = None,
    ) -> None:
        self.similarity = similarity
        self.stats = stats
        self.context_before = context_before
        self.max_citations = max_citations
        self.min_coverage = min_coverage
        self.min_figure_coverage = min_figure_coverage

    def term_weight(self, term: Term) -> float:
        """A rare word says more about what is asked than a common one."""
        weights = [self.stats.idf(form[0]) for form in _term_forms(term.text, term.literal)]
        # The word's own rarity when the corpus uses it; else that of a word standing for it.
        present = [w for w in weights[:1] if w < self.stats.max_idf()] or [
            w for w in weights[1:] if w < self.stats.max_idf()
        ]
        if not present:  # "Californian": weigh it as the corpus's "California"
            present = [self.stats.idf(s) for s in self.stats.related_stems(term.stem)]
        # A word the corpus never uses cannot tell passages apart; count it as ordinary.
        weight = min(present) if present else ABSENT_WORD_WEIGHT
        return weight * SCOPE_WEIGHT if term.text.lower() in SCOPE_WORDS else weight

    def candidates(
        self, analysis: QuestionAnalysis, passages: Sequence[Passage]
    ) -> list[Candidate]:
        weights = {t.stem: self.term_weight(t) for t in analysis.terms}
        total = sum(weights.values()) or 1.0
        seen: set[tuple[str, int]] = set()
        out: list[Candidate] = []
        for passage in passages:
            chunk = passage.chunk
            for s, e in split_sentences(chunk.text):
                cand = Candidate(passage, *chunk.source_span(s, e), chunk.text[s:e])
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
        before = self.context_before(cand.passage.chunk.source, cand.start)
        sentences = split_sentences(before)[-CONTEXT_SENTENCES:]
        cand.context = before[sentences[0][0] :].strip() if sentences else ""
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
        cand.figures = [
            f for f in found if self._fits(f, analysis) or _labelled_count(cand.text, f, analysis)
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
            return len(unit) == 1 and any(
                len(form) == 1 and stems_match(form[0], unit[0].stem)
                for form in _term_forms(analysis.count_unit)
            )
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

    def _add_similarity(
        self, cands: list[Candidate], analysis: QuestionAnalysis, query_vector: Sequence[float]
    ) -> None:
        """Meaning similarity for the few sentences that could answer (embedding is the
        costly step, so only for sentences that pass the cheap checks)."""
        assert self.similarity is not None
        possible = [
            c for c in cands if c.entities_ok and (c.lead is not None or not analysis.wants_figure)
        ]
        possible.sort(key=lambda c: -self.rank_score(c))
        top = possible[:SIMILARITY_CANDIDATES]
        for cand, sim in zip(
            top, self.similarity.scores(query_vector, [c.meaning_text for c in top]), strict=True
        ):
            cand.similarity = sim

    @staticmethod
    def rank_score(cand: Candidate) -> float:
        """Words of the question in the sentence and tied to its figure, and closeness in
        meaning; retrieval rank breaks ties."""
        return (
            COVERAGE_WEIGHT * cand.coverage
            + BINDING_WEIGHT * cand.binding
            + SIMILARITY_WEIGHT * cand.similarity
            + (PERIOD_BONUS if cand.period_match else 0.0)
            - PENALTY_WEIGHT * cand.penalty
            + 0.02 / (1 + cand.passage.rank)
        )

    def eligible(self, cand: Candidate, analysis: QuestionAnalysis) -> bool:
        """A figure question needs a figure of the asked kind, so it may match fewer words."""
        if not cand.entities_ok:
            return False
        if analysis.wants_figure:
            return cand.lead is not None and (
                cand.coverage >= self.min_figure_coverage or cand.similarity >= SIMILAR_ENOUGH
            )
        if analysis.wants_name and not cand.new_names:
            return False  # "Which official ...": the sentence must name someone
        if analysis.wants_rank and not ORDINAL.search(cand.text):
            return False
        if self.similarity is not None and cand.similarity < MIN_TEXT_SIMILARITY:
            return False  # shares a word or two with the question, but not its meaning
        return cand.coverage >= self.min_coverage or cand.similarity >= SIMILAR_ENOUGH

    def answer(
        self,
        question: str,
        analysis: QuestionAnalysis,
        passages: Sequence[Passage],
        query_vector: Sequence[float] | None = None,
    ) -> Answer:
        cands = self.candidates(analysis, passages)
        if query_vector is not None and self.similarity is not None:
            self._add_similarity(cands, analysis, query_vector)
        good = [c for c in cands if self.eligible(c, analysis)]
        if not good and analysis.dimension is not None:
            # "How heavy is the module?" on a datasheet whose one mass is "Weight: 21.4 kg":
            # the only figure of the asked dimension answers, though it repeats no word.
            typed = [c for c in cands if c.lead is not None and c.entities_ok]
            good = typed if len(typed) == 1 else []
        if not good:
            return self.refusal(question, analysis, cands)
        good.sort(key=lambda c: (-self.rank_score(c), c.key))
        best = good[0]
        # Other passages that answer as well: for a figure question, only figures that
        # measure what was asked (not "38% of reserves" beside "80-95% of production").
        extras = [
            c
            for c in good[1:]
            if c.coverage >= max(self.min_coverage, 0.8 * best.coverage)
            and (not analysis.wants_figure or c.penalty <= MAX_EXTRA_PENALTY)
        ][: self.max_citations - 1]
        return Answer(
            question=question,
            text=compose(best, extras, analysis),
            citations=cite([best, *extras]),
            refused=False,
            backend=self.name,
        )

    def refusal(
        self,
        question: str,
        analysis: QuestionAnalysis,
        cands: Sequence[Candidate],
        confidence: float | None = None,
    ) -> Answer:
        """A plain refusal; when the subject is mentioned without the figure, say so."""
        text = REFUSAL
        near = [c for c in cands if c.entities_ok and c.coverage >= self.min_coverage]
        if analysis.wants_figure and near:
            kind = _DIMENSION_NAMES.get(analysis.dimension or "") or (
                _KIND_NAMES[min(analysis.kinds)] if len(analysis.kinds) == 1 else "a figure"
            )
            text += f" The passages that discuss this do not give {kind} for it."
        return Answer(
            question=question,
            text=text,
            citations=[],
            refused=True,
            confidence=confidence,
            backend=self.name,
        )


_LABEL = re.compile(r"^\s*([^:\n]{1,60}):\s+\S")


def _labelled_count(sentence: str, figure: Figure, analysis: QuestionAnalysis) -> bool:
    """ "Modules per box: 31 pieces" answers "how many modules": in a label: value line, or
    a label: value field of a table row ("Region: Dunholm; Orchards: 164"), the label says
    what the value counts."""
    line = _LABEL.match(sentence)
    field = field_label(sentence, figure.start)
    if figure.kind != "count" or not analysis.count_unit:
        return False
    if field is not None:
        label = sentence[field[0] : field[1]]
    elif line is not None and figure.start >= line.end(1):  # the figure is in the value
        label = line.group(1)
    else:
        return False
    counted = _term_forms(analysis.count_unit)
    return any(
        len(form) == 1 and stems_match(form[0], token.stem)
        for token in tokenize(label)
        for form in counted
    )


def cite(chosen: Sequence[Candidate]) -> list[Citation]:
    """Citations [1], [2], ... for the chosen sentences: each quote the exact source text."""
    return [
        Citation(
            id=i,
            source=c.passage.chunk.source,
            quote=c.passage.chunk.quote(c.start, c.end),
            start=c.start,
            end=c.end,
            score=round(c.passage.score, 4),
        )
        for i, c in enumerate(chosen, start=1)
    ]


def compose(
    best: Candidate,
    extras: Sequence[Candidate],
    analysis: QuestionAnalysis,
    short: str | None = None,
) -> str:
    """The answer text: the best sentence led by its short answer (by default the figure tied
    to the subject), then the other passages, each with its [n]."""
    short = short if short is not None else (best.lead.text if best.lead else None)
    lead = f"{best.text} [1]"
    if short is not None:
        lead = f"**{short}** — {lead}"
    if not extras:
        return lead
    differing = analysis.wants_figure and any(
        c.lead is not None and best.lead is not None and c.lead.text != best.lead.text
        for c in extras
    )
    heading = "Other passages give other figures:" if differing else "The documents also say:"
    lines = [
        f"- {'**' + c.lead.text + '** — ' if c.lead else ''}{c.text} [{i}]"
        for i, c in enumerate(extras, start=2)
    ]
    return "\n\n".join([lead, heading + "\n" + "\n".join(lines)])
