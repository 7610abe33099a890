"""Typed results at every public boundary."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Citation(BaseModel):
    """One cited passage: `source_text[start:end] == quote`, exactly."""

    id: int = Field(description="The number used in the answer's [n] marker.")
    source: str = Field(description="File path relative to the corpus folder.")
    quote: str
    start: int
    end: int
    score: float = Field(description="Retrieval score of the passage the quote came from.")
    page: int | None = Field(
        None,
        description="PDF only: the 1-based page the quote begins on, where its characters are "
        "printed (None for other formats, and for an index built before pages were recorded: "
        "`remqa ingest` adds them without re-embedding).",
    )
    page_end: int | None = Field(
        None,
        description="PDF only: the 1-based page the quote ends on; differs from `page` only "
        "when the quote runs across a page break.",
    )
    section: str | None = Field(
        None,
        description="The nearest heading before the quote (Markdown, HTML and Word headings; "
        "in a PDF, a line set apart in a larger or bold font); None when there is none.",
    )

    @property
    def place(self) -> str:
        """Where the quote is, for people: "p. 3 · Results", "pp. 3–4", "Results" or ""."""
        pages = ""
        if self.page is not None:
            last = self.page_end or self.page
            pages = f"p. {self.page}" if last == self.page else f"pp. {self.page}–{last}"
        return " · ".join(part for part in (pages, self.section or "") if part)


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
    confidence: float | None = Field(
        None,
        description="The model's probability that its chosen sentence (or, for a figure "
        "question answered by a figure model, its chosen figure) answers the question; a "
        "figure model's answers below its threshold are refused. For a figure chosen by the "
        "figure rules, the selector's probability for its sentence: it decides whether the "
        "figure leads in bold, not whether the rules answer. None when no model gave one: a "
        "refusal by the figure rules and LLM answers.",
    )
    answerability: float | None = Field(
        None,
        description="For an answer or refusal the selector decided: its probability that "
        "the passages answer the question, read from its most likely sentences together; "
        "below the selector's threshold the answer is refused. None otherwise.",
    )
    resolved_question: str | None = Field(
        None, description="The question as understood after resolving a follow-up."
    )
    sources: list[str] = Field(
        default_factory=list,
        description="The files the question was limited to (paths relative to the corpus "
        "folder); empty: all documents.",
    )
    backend: str = "extractive"
    answered_by: str | None = Field(
        None,
        description="Which model chose the answer (or the refusal): 'selector' (the learned "
        "sentence selector), 'figure model' (the learned figure model), 'figure rules' (the "
        "hand-set figure choice, when the weights hold no figure model) or 'llm'.",
    )
    notices: list[str] = Field(default_factory=list)
    checks: list[SentenceCheck] = Field(
        default_factory=list, description="Per-sentence verification of an LLM answer."
    )


class SkippedFile(BaseModel):
    source: str
    reason: str


class UploadOutcome(BaseModel):
    """What became of one uploaded file."""

    name: str = Field(description="The name it was uploaded with.")
    saved_as: str | None = Field(None, description="Its file name in the corpus folder.")
    ok: bool
    message: str


class DocumentEntry(BaseModel):
    """One indexed file, as the Documents panel lists it."""

    source: str
    type: str
    bytes: int
    chunks: int
    indexed_at: str = Field("", description="When its current version was indexed (UTC).")


class Documents(BaseModel):
    """The indexed files and the files the last ingest skipped, with why."""

    documents: list[DocumentEntry] = Field(default_factory=list)
    skipped: list[SkippedFile] = Field(default_factory=list)


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


class AddReport(BaseModel):
    """Files added from the page: each one's outcome, then what the ingest did."""

    outcomes: list[UploadOutcome] = Field(default_factory=list)
    ingest: IngestReport | None = None


# Hand-over types between retrieval and answering: plain frozen dataclasses, as they are
# made by the thousand per question.
@dataclass(frozen=True)
class Chunk:
    """A chunk of one source file. `text` is its clean text (reflowed: soft line breaks as
    spaces, hyphenated words joined), what is searched and read; `raw` is the exact source
    slice [start, end) when it differs. `offset_map` maps clean offsets to source offsets:
    [(clean, source), ...] relative to the chunk, at each point where they shift."""

    id: str
    source: str
    start: int
    end: int
    text: str
    raw: str = ""
    offset_map: tuple[tuple[int, int], ...] = ()
    # (source offset, 1-based page) / (source offset, heading) in force at `start` and from
    # each point inside the chunk where they change (ingest.layout.chunk_places)
    pages: tuple[tuple[int, int], ...] = ()
    headings: tuple[tuple[int, str], ...] = ()

    @property
    def source_text(self) -> str:
        return self.raw or self.text

    def to_source(self, i: int) -> int:
        """The source offset of clean offset i of this chunk."""
        if not self.offset_map:
            return self.start + i
        k = bisect_right(self.offset_map, (i, 1 << 62)) - 1
        clean, source = self.offset_map[max(k, 0)]
        return self.start + source + (i - clean)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets of the clean span text[start:end]."""
        if end <= start:
            return self.to_source(start), self.to_source(start)
        return self.to_source(start), self.to_source(end - 1) + 1

    def to_clean(self, source_offset: int) -> int:
        """The clean offset of a source offset inside this chunk (the next kept character's
        when the source character was dropped, such as a line-end hyphen)."""
        if not self.offset_map:
            return min(max(source_offset - self.start, 0), len(self.text))
        # to_source never decreases, so the first clean offset at or past it is a bisection.
        return bisect_left(range(len(self.text)), source_offset, key=self.to_source)

    def quote(self, start: int, end: int) -> str:
        """The exact source text at source offsets [start, end) inside this chunk."""
        return self.source_text[start - self.start : end - self.start]

    def is_heading(self, start: int, end: int) -> bool:
        """True when a heading (Markdown, HTML, Word, PDF) begins in the source span [start, end):
        a sentence span, which a line break always ends, that is then the heading's line."""
        return any(start <= offset < end for offset, _ in self.headings)

    def place(self, start: int, end: int) -> tuple[int | None, int | None, str | None]:
        """(first page, last page, heading) of the source span [start, end) of this chunk:
        Citation's page, page_end and section."""
        page = _in_force(self.pages, start)
        if page is None and self.pages:
            page = self.pages[0][1]
        last = _in_force(self.pages, max(end - 1, start)) or page
        return page, last, _in_force(self.headings, start)


def _in_force(entries: tuple[tuple[int, T], ...], offset: int) -> T | None:
    """The value of the last entry at or before `offset` (entries ascend by offset)."""
    i = bisect_right(entries, offset, key=lambda e: e[0])
    return entries[i - 1][1] if i else None


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk, with its fused score and rank (0 = best)."""

    chunk: Chunk
    score: float
    rank: int
