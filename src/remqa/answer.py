"""The extractive answerer: picks the sentences that answer the question and quotes them.

Deterministic, offline, no LLM. Every sentence of an answer is a verbatim quote with its own
citation marker, so it cannot state a figure its cited passages lack. A figure question is
only answered by a sentence that holds a figure of the asked kind tied to the question's
subject; otherwise the answer is a refusal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from remqa.binding import bind
from remqa.chunking import split_sentences
from remqa.figures import Figure, find_figures
from remqa.models import Answer, Citation
from remqa.question import QuestionAnalysis, Term
from remqa.retrieve import CorpusStats, Passage
from remqa.textproc import Token, stems_match, tokenize, variants

REFUSAL = "The documents do not say."
_KIND_NAMES = {
    "percent": "a percentage",
    "money": "an amount of money",
    "quantity": "an amount",
    "year": "a year",
    "multiplier": "a multiple",
    "count": "a number",
}
CONTEXT_WEIGHT = 0.6  # a word found just before the sentence, in the same paragraph
CONTEXT_SENTENCES = 2  # how far back "it" may point
ABSENT_WORD_WEIGHT = 1.0


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
    figures: list[Figure] = field(default_factory=list)  # figures of the asked kind

    @property
    def key(self) -> tuple[str, int]:
        return (self.passage.chunk.source, self.start)


@lru_cache(maxsize=4096)
def _term_forms(word: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(form) for form in variants(word))


def match_term(term: Term, tokens: Sequence[Token]) -> list[Token]:
    """The tokens that spell the term (or one of its aliases or synonyms)."""
    found: list[Token] = []
    for form in _term_forms(term.text):
        n = len(form)
        for i in range(len(tokens) - n + 1):
            if all(stems_match(form[j], tokens[i + j].stem) for j in range(n)):
                found.extend(tokens[i : i + n])
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
    ) -> None:
        self.stats = stats
        self.context_before = context_before
        self.max_citations = max_citations
        self.min_coverage = min_coverage
        self.min_figure_coverage = min_figure_coverage

    def term_weight(self, term: Term) -> float:
        """A rare word says more about what is asked than a common one."""
        weights = [self.stats.idf(form[0]) for form in _term_forms(term.text)]
        present = [w for w in weights if w < self.stats.max_idf()]
        # A word the corpus never uses cannot tell passages apart; count it as ordinary.
        return min(present) if present else ABSENT_WORD_WEIGHT

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
                cand = Candidate(passage, chunk.start + s, chunk.start + e, chunk.text[s:e])
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
        context = tokenize(before[sentences[0][0] :] if sentences else "")
        covered = 0.0
        subject: list[tuple[Token, float]] = []
        groups: dict[int, int] = {}  # entity group -> 2 in sentence, 1 in context, 0 missing
        for term in analysis.terms:
            in_sentence = match_term(term, tokens)
            found = 2 if in_sentence else 1 if match_term(term, context) else 0
            covered += weights[term.stem] * (1.0, CONTEXT_WEIGHT, 0.0)[2 - found]
            subject.extend((tok, weights[term.stem]) for tok in in_sentence)
            if term.entity:
                groups[term.group] = max(groups.get(term.group, 0), found)
        cand.coverage = covered / total if analysis.terms else 0.0
        cand.missing_entities = [
            t.text for t in analysis.terms if t.entity and groups.get(t.group) == 0
        ]
        missing = sum(1 for found in groups.values() if found == 0)
        # Every name the question uses must be there; with several names, one may be
        # implied when another stands in the sentence itself.
        cand.entities_ok = missing == 0 or (
            missing == 1 and len(groups) >= 2 and 2 in groups.values()
        )
        if not analysis.wants_figure:
            return
        found = find_figures(cand.text)
        cand.figures = [f for f in found if self._fits(f, analysis)]
        if cand.figures:
            cand.lead = bind(cand.text, found, cand.figures, subject)[0][0]

    @staticmethod
    def _fits(figure: Figure, analysis: QuestionAnalysis) -> bool:
        if figure.kind not in analysis.kinds:
            return False
        if figure.kind == "year" and figure.text in analysis.years:
            return False  # the question's own year is not its answer
        if figure.kind == "count" and analysis.count_unit:
            # "how many mines" is not answered by "17 metals".
            unit = tokenize(figure.unit or "")
            return len(unit) == 1 and any(
                len(form) == 1 and stems_match(form[0], unit[0].stem)
                for form in _term_forms(analysis.count_unit)
            )
        return True

    def eligible(self, cand: Candidate, analysis: QuestionAnalysis) -> bool:
        """A figure question needs a figure of the asked kind, so it may match fewer words."""
        if not cand.entities_ok:
            return False
        if analysis.wants_figure:
            return cand.lead is not None and cand.coverage >= self.min_figure_coverage
        return cand.coverage >= self.min_coverage

    def answer(
        self, question: str, analysis: QuestionAnalysis, passages: Sequence[Passage]
    ) -> Answer:
        cands = self.candidates(analysis, passages)
        good = [c for c in cands if self.eligible(c, analysis)]
        if not good:
            return self.refusal(question, analysis, cands)
        good.sort(key=lambda c: (-(c.coverage + 0.02 / (1 + c.passage.rank)), c.key))
        best = good[0]
        extras = [c for c in good[1:] if c.coverage >= max(self.min_coverage, 0.8 * best.coverage)][
            : self.max_citations - 1
        ]
        chosen = [best, *extras]
        citations = [
            Citation(
                id=i,
                source=c.passage.chunk.source,
                quote=c.text,
                start=c.start,
                end=c.end,
                score=round(c.passage.score, 4),
            )
            for i, c in enumerate(chosen, start=1)
        ]
        return Answer(
            question=question,
            text=self._compose(best, extras, analysis),
            citations=citations,
            refused=False,
            backend=self.name,
        )

    @staticmethod
    def _compose(best: Candidate, extras: list[Candidate], analysis: QuestionAnalysis) -> str:
        lead = f"{best.text} [1]"
        if best.lead is not None:
            lead = f"**{best.lead.text}** — {lead}"
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

    def refusal(
        self, question: str, analysis: QuestionAnalysis, cands: Sequence[Candidate]
    ) -> Answer:
        """A plain refusal; when the subject is mentioned without the figure, say so."""
        text = REFUSAL
        near = [c for c in cands if c.entities_ok and c.coverage >= self.min_coverage]
        if analysis.wants_figure and near:
            kind = (
                _KIND_NAMES[sorted(analysis.kinds)[0]] if len(analysis.kinds) == 1 else "a figure"
            )
            text += f" The passages that discuss this do not give {kind} for it."
        return Answer(question=question, text=text, citations=[], refused=True, backend=self.name)
