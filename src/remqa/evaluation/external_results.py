"""What an external eval run holds: each question scored, and the metrics by part. Plain
data, shared by the runner, the measures and the reports."""

from __future__ import annotations

from pydantic import BaseModel, Field

from remqa.evaluation.split import Part

Metrics = dict[str, float | int]


class ExternalResult(BaseModel):
    """One question: remqa's answer and the baseline's, scored."""

    id: str
    article: str
    kind: str
    question: str
    impossible: bool
    answer: str
    refused: bool
    part: Part = "read"
    confidence: float | None = None
    answerability: float | None = None  # Answer.answerability: what the selector refuses on
    answered_by: str = "selector"  # Answer.answered_by: only the selector's refusals move
    lead: str = ""
    first_sentence: bool = False  # remqa's first sentence holds a gold answer
    lead_f1: float = 0.0
    cite_at_1: bool = False  # the first citation's span covers a gold span
    cite_overlap: bool = False  # the first citation's span overlaps a gold span
    bold: str = ""  # the bold short answer leading the answer, if any
    bold_right: bool = False
    baseline_sentence: str = ""
    baseline_first: bool = False
    baseline_f1: float = 0.0
    baseline_cite: bool = False
    baseline_overlap: bool = False
    baseline_top10: bool = False


class ExternalRun(BaseModel):
    results: list[ExternalResult]
    metrics: dict[str, dict[str, Metrics]] = Field(
        default_factory=dict, description="metrics[answerer][part], part: read, aggregate, all"
    )
    by_kind: dict[str, Metrics] = Field(default_factory=dict)  # the read part
    by_article: dict[str, Metrics] = Field(default_factory=dict)  # the read part
    tradeoff: list[dict[str, float]] = Field(default_factory=list)  # all
    seconds: float = 0.0
