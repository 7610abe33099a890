"""The learned answer selector: which sentence answers (a ranker), how likely it is to
answer (a classifier on the same features, whose probability decides refusal), and which
span of it is the short answer. Weights are plain JSON written by `eval/train_selector.py`; loading
them needs numpy only."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from remqa.answering.features import FEATURES
from remqa.answering.figure_choice import PAIR_FEATURES
from remqa.answering.model import Scorer
from remqa.answering.spans import SPAN_FEATURES
from remqa.errors import RemqaError

SHIPPED = Path(__file__).with_name("selector.json")
SPAN_MIN_PROBABILITY = 0.25  # weights without per-type thresholds: below this, no bold
NEVER = 2.0  # a bold threshold no probability reaches
FIGURE_FEATURES = FEATURES + PAIR_FEATURES  # a (sentence, figure) pair: both rows side by side
# P(the documents answer) is read from this many of the most likely candidate sentences.
ANSWERABILITY_SENTENCES = 5
# The sentence quoted must be at least this share as likely as the likeliest candidate.
QUOTED_SHARE = 0.5


def answerability(probabilities: Iterable[float], quoted: float | None) -> float:
    """P(the passages answer the question), what refusal reads: 1 - the product of P(it does
    not answer) over the ANSWERABILITY_SENTENCES most likely candidate sentences, as if each
    were an independent chance. Where the answer is spread over a long text (a paper's
    results), several sentences each a little likely make an answerable question; an
    unanswerable one written against one sentence (SQuAD 2.0's) leaves one plausible
    sentence and little else. Every candidate counts, as the model saw them; `quoted` is the
    P of the sentence the rules let the answer quote (None: none may be quoted), which must
    be at least QUOTED_SHARE of the likeliest's, else 0.0: the likely sentences are ones the
    rules exclude (a "what year" question's sentences without a date)."""
    top = sorted(probabilities, reverse=True)[:ANSWERABILITY_SENTENCES]
    if quoted is None or not top or quoted < QUOTED_SHARE * top[0]:
        return 0.0
    return 1.0 - math.prod(1.0 - p for p in top)


def quoted_answerability(
    allowed: Sequence[int], probabilities: Sequence[float]
) -> tuple[int | None, float]:
    """The sentence an answer quotes, the first of `allowed` (the candidates the rules allow,
    in the ranker's order; None when there is none), and answerability() of all candidates
    with its P: one rule for the answerer and for training's reading of held-out questions."""
    quoted = allowed[0] if allowed else None
    return quoted, answerability(probabilities, None if quoted is None else probabilities[quoted])


@dataclass(frozen=True)
class Selector:
    sentence: Scorer  # ranks the candidate sentences: which one answers best
    answer: Scorer  # P(this sentence answers the question): decides refusal
    span: Scorer  # ranks the spans of the chosen sentence; P(the best one is the answer)
    threshold: float  # refuse when answerability() of the candidates is below this
    trained_on: tuple[str, ...]
    figure: Scorer | None = None  # P(this figure of this sentence answers a figure question)
    # With a figure model: its own choice answers, when the hand-set choice finds no
    # figure, only from this probability.
    figure_threshold: float = 0.0
    # Per answer type, the span probability from which a short answer leads in bold: chosen
    # on predictions for unseen questions so that at least 80% of bold answers are right.
    bold_thresholds: tuple[tuple[str, float], ...] = ()

    def bold_threshold(self, kind: str) -> float:
        """The span probability a short answer of this type needs to be shown in bold."""
        if not self.bold_thresholds:
            return SPAN_MIN_PROBABILITY
        return dict(self.bold_thresholds).get(kind, NEVER)


@lru_cache(maxsize=8)
def load_selector(path: Path | None = None) -> Selector:
    path = path or SHIPPED
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Selector(
            sentence=Scorer(data["sentence"], FEATURES),
            answer=Scorer(data["answer"], FEATURES),
            span=Scorer(data["span"], SPAN_FEATURES),
            threshold=float(data["refusal_threshold"]),
            trained_on=tuple(data.get("trained_on", ())),
            figure=Scorer(data["figure"], FIGURE_FEATURES) if "figure" in data else None,
            figure_threshold=float(data.get("figure", {}).get("threshold", 0.0)),
            bold_thresholds=tuple(
                (kind, float(t)) for kind, t in sorted(data.get("bold_thresholds", {}).items())
            ),
        )
    except FileNotFoundError:
        raise RemqaError(
            f"Answer-selector weights {path} not found. Unset REMQA_SELECTOR_WEIGHTS to use "
            "the shipped ones, or rebuild them with `python eval/train_selector.py`."
        ) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise RemqaError(
            f"Answer-selector weights {path} cannot be used ({exc}). Rebuild them with "
            "`python eval/train_selector.py`."
        ) from None
