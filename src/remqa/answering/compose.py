"""The answer as the reader sees it: the chosen sentences quoted with their [n] markers and
citations, or a plain refusal that says what is missing."""

from __future__ import annotations

from collections.abc import Sequence

from remqa.answering.candidates import Candidate
from remqa.answering.question import QuestionAnalysis
from remqa.models import Citation

REFUSAL = "The documents do not say."
NEAR_COVERAGE = 0.4  # a sentence holding this share of the question's words discusses it
# Another passage shown beside the best holds about as much of the question, and for a
# figure, a figure of what was asked: few words tied to it that the question did not ask
# about (not "38% of reserves" beside "80-95% of production").
EXTRA_COVERAGE = 0.8  # of the best sentence's coverage
MAX_EXTRA_PENALTY = 0.7

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
    "area": "an area", "power": "a power", "time": "a length of time",
    "length or time": "a length or a length of time",
}  # fmt: skip


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
    """The answer text: the best sentence, led by its short answer in bold when there is one
    likely enough to be right (`short`: for a figure question, the figure chosen), then the
    other passages, each with its [n]."""
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


def refusal_text(analysis: QuestionAnalysis, cands: Sequence[Candidate]) -> str:
    """A plain refusal; for a figure question whose subject the passages discuss, it says
    which kind of figure they lack."""
    near = [c for c in cands if c.entities_ok and c.coverage >= NEAR_COVERAGE]
    if not (analysis.wants_figure and near):
        return REFUSAL
    kind = _DIMENSION_NAMES.get(analysis.dimension or "") or (
        _KIND_NAMES[min(analysis.kinds)] if len(analysis.kinds) == 1 else "a figure"
    )
    return f"{REFUSAL} The passages that discuss this do not give {kind} for it."
