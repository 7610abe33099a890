"""Typed results at every public boundary."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, Field


class Citation(BaseModel):
    """One cited passage: `source_text[start:end] == quote`, exactly."""

    id: int = Field(description="The number used in the answer's [n] marker.")
    source: str = Field(description="File path relative to the corpus folder.")
    quote: str
    start: int
    end: int
    score: float = Field(description="Retrieval score of the passage the quote came from.")


class SentenceCheck(BaseModel):
    """How one sentence of a generated answer fared against the passages it cites."""

    sentence: str
    citations: list[int] = Field(default_factory=list)
    supported: bool
    reason: str = ""


class Answer(BaseModel):
    """An answer and the passages it rests on."""

    question: str
    text: str = Field(description="The answer, with [n] citation markers.")
    citations: list[Citation] = Field(default_factory=list)
    refused: bool = Field(False, description="True when the documents do not hold the answer.")
    resolved_question: str | None = Field(
        None, description="The question as understood after resolving a follow-up."
    )
    backend: str = "extractive"
    notices: list[str] = Field(default_factory=list)
    checks: list[SentenceCheck] = Field(
        default_factory=list, description="Per-sentence verification of an LLM answer."
    )


class SkippedFile(BaseModel):
    source: str
    reason: str


class IngestReport(BaseModel):
    """What one ingest did."""

    corpus_dir: str
    index: str
    added: list[str] = Field(default_factory=list)
    changed: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    skipped: list[SkippedFile] = Field(default_factory=list)
    chunks_total: int = 0
    chunks_embedded: int = 0
    chunks_deleted: int = 0
    rebuilt: bool = False
    seconds: float = 0.0


# Hand-over types between retrieval and answering: plain frozen dataclasses, as they are
# made by the thousand per question.
@dataclass(frozen=True)
class Chunk:
    id: str
    source: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk, with its fused score and rank (0 = best)."""

    chunk: Chunk
    score: float
    rank: int
