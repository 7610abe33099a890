"""remqa's answerer: learned models choose, rules keep the promises.

For every candidate sentence of the retrieved passages (candidates.py measures them), the
learned selector (selector.py) ranks the sentences and gives each a probability of
answering; the answer is refused when P(the passages answer), read from the likeliest
sentences together (selector.answerability), is under a calibrated threshold, and led by a
short answer in bold only when it is likely right (bold.py). A question asking for a figure
(how many, how much, what share, what year) is answered with a figure of the asked kind,
exact text of its sentence: the hand-set figure choice (figure_rules.py) chooses first;
where it finds none, the learned figure model's best pair (figure_choice.py) answers when
likely enough. A "when" or "how long" question no figure answers ("in the mid-18th
century") goes on to the selector, and to the reading check (the reading model, reader/,
must find the sentence likely too).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from remqa.answering.answer_types import AnswerType, typed_spans
from remqa.answering.bold import (
    figure_span_tied,
    figure_thresholds,
    reading_check_threshold,
    reading_model_thresholds,
)
from remqa.answering.candidates import ORDINAL, Candidate, CandidateReader
from remqa.answering.compose import (
    EXTRA_COVERAGE,
    MAX_EXTRA_PENALTY,
    cite,
    compose,
    refusal_text,
)
from remqa.answering.features import content_stems, feature_rows
from remqa.answering.figure_choice import FigurePair, pair_features
from remqa.answering.figure_rules import SIMILAR_ENOUGH, choose_bound_figures
from remqa.answering.figures import with_time_unit
from remqa.answering.question import QuestionAnalysis
from remqa.answering.reader import Reader, Reading
from remqa.answering.selector import Selector, load_selector, quoted_answerability
from remqa.answering.spans import candidate_spans
from remqa.errors import ModelCacheError
from remqa.models import Answer, Passage

logger = logging.getLogger(__name__)

# Other passages shown beside the best are nearly as likely (and as compose.py says).
EXTRA_SHARE = 0.5


class Answerer:
    """Answers by quoting the sentences the learned models find most likely to answer."""

    name = "extractive"

    def __init__(
        self,
        reader: CandidateReader,
        max_citations: int = 6,
        selector_weights: Path | None = None,
        refusal_threshold: float | None = None,
        reading_model: Reader | None = None,
    ) -> None:
        self.reader = reader  # finds the candidate sentences and measures them
        self.reading_model = reading_model  # the short answer in bold, for the types it may
        self.stats = reader.stats
        self.max_citations = max_citations
        self.selector_weights = selector_weights
        self.refusal_threshold = refusal_threshold

    @property
    def selector(self) -> Selector:
        return load_selector(self.selector_weights)

    @property
    def threshold(self) -> float:
        if self.refusal_threshold is not None:
            return self.refusal_threshold
        return self.selector.threshold

    @staticmethod
    def eligible(cand: Candidate, analysis: QuestionAnalysis) -> bool:
        """Rules that hold whatever the model says: the sentence is about what was asked (it,
        or the sentences just before it, holds a word of the question, or it says the same in
        other words); a question about a rank needs one, and a "what year" question
        (`analysis.needs_date`) a year or a date. The first matters most in few candidates (a
        question limited to one short file), where the model's relative measures can make the
        only sentence at hand look good."""
        if analysis.terms and not cand.matched_share and cand.similarity < SIMILAR_ENOUGH:
            return False
        if analysis.wants_rank and not ORDINAL.search(cand.text):
            return False
        return not analysis.needs_date or cand.lead is not None or bool(cand.numbers)

    @staticmethod
    def give_dates(cands: Sequence[Candidate], analysis: QuestionAnalysis) -> None:
        """A "when" or "how long" question's sentences that the figure binding left without
        a figure get their dates as numbers ("in the mid-18th century"), which eligibility
        reads; training does the same, so it reads eligibility as the answerer does."""
        if not analysis.asks_for_time:
            return
        asked = set(content_stems(analysis.text))
        for cand in cands:
            if cand.lead is None:
                cand.numbers = typed_spans(cand.text, "date", asked)

    def answer(
        self,
        question: str,
        analysis: QuestionAnalysis,
        passages: Sequence[Passage],
        query_vector: Sequence[float] | None = None,
    ) -> Answer:
        kind = analysis.answer_type
        cands = self.reader.scored_candidates(analysis, passages, query_vector)
        if analysis.wants_figure:
            # A figure is answered only with a figure of the asked kind, exact text of its
            # sentence: the hand-set figure choice's, else the figure model's (with weights
            # that hold one).
            figure = self._figure_answer(question, analysis, kind, cands)
            if not figure.refused or not analysis.asks_for_time:
                return figure
            # "When did the movement begin?" may be answered by "in the mid-18th century",
            # "How long did the hiatus last?" by "a couple of years": the selector chooses
            # the sentence, the reading check must confirm it, and no figure the binding
            # refused leads in bold. A refusal leaves the candidates as they were measured.
        if not cands:
            return self.refusal(question, analysis, cands, "selector", 0.0, 0.0)
        self.give_dates(cands, analysis)
        rows = self._answer_probabilities(cands, analysis)
        # The ranker orders the sentences; the classifier said how likely each answers.
        rank = self.selector.sentence.score(rows)
        order = sorted(range(len(cands)), key=lambda i: (-rank[i], cands[i].key))
        allowed = [i for i in order if self.eligible(cands[i], analysis)]
        quoted, answerable = quoted_answerability(allowed, [c.probability for c in cands])
        good = [cands[i] for i in allowed]
        best = None if quoted is None else cands[quoted]
        confidence = round((best if best is not None else cands[order[0]]).probability, 4)
        answerable = round(answerable, 4)
        # Refused when the likeliest sentences together are unlikely to answer (selector.py).
        if best is None or answerable < self.threshold:
            return self.refusal(question, analysis, cands, "selector", confidence, answerable)
        # A "when" or "how long" question no figure answered: the sentence must convince a
        # second model, which reads it whole, too (measured on unseen text, the same check
        # on every answer refused more answerable questions than it caught unanswerable).
        needs_reading = analysis.wants_figure or kind in reading_model_thresholds()
        reading = self._read(analysis.text, best.text) if needs_reading else None
        check = reading_check_threshold() if analysis.wants_figure else None
        if (
            reading is not None
            and check is not None
            and best.probability * reading.probability < check
        ):
            return self.refusal(question, analysis, cands, "selector", confidence, answerable)
        extras = [
            c
            for c in good[1:]
            if c.probability >= EXTRA_SHARE * best.probability
            and c.coverage >= EXTRA_COVERAGE * best.coverage
            and (not analysis.wants_figure or c.penalty <= MAX_EXTRA_PENALTY)
        ][: self.max_citations - 1]
        return Answer(
            question=question,
            text=compose(best, extras, analysis, self._short_answer(best, analysis, kind, reading)),
            citations=cite([best, *extras]),
            refused=False,
            confidence=confidence,
            answerability=answerable,
            backend=self.name,
            answered_by="selector",
        )

    def _answer_probabilities(
        self, cands: Sequence[Candidate], analysis: QuestionAnalysis
    ) -> list[list[float]]:
        """Each candidate's P(it answers) from the selector's classifier, set on it; the
        feature rows it was read from are returned for the ranker."""
        rows = feature_rows(cands, analysis, analysis.answer_type, self.stats.idf)
        for cand, p in zip(cands, self.selector.answer.probability(rows), strict=True):
            cand.probability = float(p)
        return rows

    def refusal(
        self,
        question: str,
        analysis: QuestionAnalysis,
        cands: Sequence[Candidate],
        by: str,
        confidence: float | None = None,
        answerable: float | None = None,
    ) -> Answer:
        """A refusal, saying which model refused (`by`)."""
        return Answer(
            question=question,
            text=refusal_text(analysis, cands),
            refused=True,
            confidence=confidence,
            answerability=answerable,
            backend=self.name,
            answered_by=by,
        )

    def _bound_figure_answer(
        self,
        question: str,
        analysis: QuestionAnalysis,
        cands: list[Candidate],
        chosen: list[Candidate],
    ) -> Answer:
        """The answer with the figures the hand-set figure choice `chosen`, best first."""
        # The rules chose the figure; the selector says how likely its sentence answers,
        # which decides whether the figure leads in bold.
        self._answer_probabilities(cands, analysis)
        best = chosen[0]
        return Answer(
            question=question,
            text=compose(best, chosen[1:], analysis, self._bold_figure(best, analysis)),
            citations=cite(chosen),
            refused=False,
            confidence=round(best.probability, 4),
            backend=self.name,
            answered_by="figure rules",
        )

    def figure_pairs(
        self,
        cands: Sequence[Candidate],
        analysis: QuestionAnalysis,
        kind: AnswerType,
    ) -> list[FigurePair]:
        """Every (sentence, eligible figure) pair, its row the sentence's features followed
        by the pair's."""
        rows = feature_rows(cands, analysis, kind, self.stats.idf)
        noun_similarity = self._noun_similarity(analysis.count_unit)
        return [
            FigurePair(i, figure, (*rows[i], *features))
            for i, cand in enumerate(cands)
            for figure, features in pair_features(
                cand.text, analysis, cand.subject, self.stats.idf, noun_similarity
            )
        ]

    def _noun_similarity(self, counted: str | None) -> Callable[[str], float]:
        """Closeness in meaning (the embedding model) of a noun to the one the question
        counts: "nurses" for "staff"."""
        similarity = self.reader.similarity
        if counted is None or similarity is None:
            return lambda noun: 0.0
        vector = similarity.embed_query(counted)
        return lambda noun: similarity.scores(vector, [noun])[0]

    def _figure_answer(
        self,
        question: str,
        analysis: QuestionAnalysis,
        kind: AnswerType,
        cands: list[Candidate],
    ) -> Answer:
        """The hand-set figure choice answers; when it finds no figure, the figure model's
        best pair does, from the model's threshold. (The model alone, choosing every figure,
        lost a third of the bundled eval's figure answers; refusing the hand-set choice when
        the model gave its figure little chance refused a right count there: the README's
        "How answers are made" has the numbers.) Weights without a figure model refuse
        where the hand-set choice finds none."""
        chosen = choose_bound_figures(cands, analysis, self.max_citations)
        if chosen:
            return self._bound_figure_answer(question, analysis, cands, chosen)
        model = self.selector.figure
        if model is None:
            return self.refusal(question, analysis, cands, "figure rules")
        pairs = self.figure_pairs(cands, analysis, kind)
        chances = (
            [float(c) for c in model.probability([p.features for p in pairs])] if pairs else []
        )
        # Its own choice keeps the hand-set choice's promise that the sentence names what
        # was asked ("Australia's reserves" are not answered by China's).
        named = [i for i, p in enumerate(pairs) if cands[p.candidate].entities_ok]
        if not named:
            return self.refusal(question, analysis, cands, "figure model", confidence=0.0)
        order = sorted(named, key=lambda i: (-chances[i], cands[pairs[i].candidate].key))
        top = pairs[order[0]]
        confidence = round(chances[order[0]], 4)
        if confidence < self.selector.figure_threshold:
            return self.refusal(question, analysis, cands, "figure model", confidence=confidence)
        picked = [top]
        for i in order[1:]:  # other sentences' figures nearly as likely: shown beside it
            pair = pairs[i]
            if len(picked) >= self.max_citations or chances[i] < max(
                self.selector.figure_threshold, EXTRA_SHARE * confidence
            ):
                break
            if all(pair.candidate != c.candidate for c in picked):
                picked.append(pair)
        led = []
        for pair in picked:
            cand = cands[pair.candidate]
            cand.lead = pair.figure
            led.append(cand)
        # The model's own choice is right less often than bold needs: the sentence leads.
        return Answer(
            question=question,
            text=compose(led[0], led[1:], analysis, None),
            citations=cite(led),
            refused=False,
            confidence=confidence,
            backend=self.name,
            answered_by="figure model",
        )

    @staticmethod
    def _bold_figure(best: Candidate, analysis: QuestionAnalysis) -> str | None:
        """The figure chosen, when P(its sentence answers) reaches the figure threshold of
        the answer type; else None, and the sentence leads."""
        assert best.lead is not None
        threshold = figure_thresholds().get(analysis.answer_type)
        if threshold is None or best.probability < threshold:
            return None
        return with_time_unit(best.lead, best.text)

    def _read(self, question: str, sentence: str) -> Reading | None:
        """The reading model's view of the chosen sentence; None without a reading model.
        One that cannot be prepared costs its evidence (check and bold), never the answer."""
        if self.reading_model is None:
            return None
        try:
            return self.reading_model.read(question, sentence, limit=1)
        except ModelCacheError as exc:
            logger.warning("Answering without the reading model: %s", exc)
            self.reading_model = None
            return None

    def _short_answer(
        self,
        best: Candidate,
        analysis: QuestionAnalysis,
        kind: AnswerType,
        reading: Reading | None,
    ) -> str | None:
        """The words of the sentence that answer: the best span of the reading model (for
        the answer types it has a threshold for) or of the span model, when it is likely
        enough to be right: P(the sentence answers) x P(its best span is the answer) at
        least the bold threshold of the type. A figure question here is a "when" or "how
        long" the figure binding refused: no figure it judged leads in bold, only a span as
        for any question ("the mid-18th century")."""
        reading_threshold = reading_model_thresholds().get(kind)
        if reading_threshold is not None and self.reading_model is not None:
            if reading is None or not reading.spans:
                return None
            start, end, score = reading.spans[0]
            if best.probability * score < reading_threshold:
                return None
            if not figure_span_tied(best.text, start, end, analysis.text):
                return None  # a figure in bold is tied to what was asked, as the rules' are
            return best.text[start:end]
        spans = candidate_spans(best.text, kind, set(content_stems(analysis.text)))
        if not spans:
            return None
        scores = self.selector.span.score([s.features for s in spans])
        top = int(scores.argmax())
        chance = best.probability * self.selector.span.probability([spans[top].features])[0]
        if chance < self.selector.bold_threshold(kind):
            return None  # not likely enough to be right: the sentence leads instead
        return spans[top].span.text
