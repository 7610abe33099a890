"""Assistant: the Python API. Composes a retriever and an answerer, like LlamaIndex's
RetrieverQueryEngine composes a retriever and a response synthesizer."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from remqa.errors import QuestionError
from remqa.models import AddReport, Answer, Documents, IngestReport
from remqa.settings import Settings

if TYPE_CHECKING:
    from llama_index.core.base.base_query_engine import BaseQueryEngine

    from remqa.answering.answerer import Answerer
    from remqa.llm.generate import LLMAnswerer
    from remqa.retrieval.hybrid import HybridRetriever
    from remqa.retrieval.similarity import SentenceSimilarity

HistoryTurn = tuple[str, "Answer | str"]
ProgressCallback = Callable[[int, int], None]


class Assistant:
    """Indexes a corpus and answers questions about it with exact citations.

    Opening the index is lazy: `Assistant()` is instant; the first `ask` loads the model and
    the index (building the index first if there is none).
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        # The settings the loaded index is read with: its embedding precision followed.
        self._index_settings = self.settings
        self._retriever: HybridRetriever | None = None
        self._answerer: Answerer | None = None
        self._similarity: SentenceSimilarity | None = None
        self._generator: LLMAnswerer | None = None
        self._client: Any = None  # the Chroma client the retriever reads through
        self._generation = ""  # of the index the retriever was loaded from
        self._checked_at = 0.0
        self._lock = threading.Lock()
        # One change to the documents at a time (ingest, add, remove); asking goes on meanwhile.
        self._changing = threading.RLock()

    def ingest(
        self, rebuild: bool = False, on_progress: ProgressCallback | None = None
    ) -> IngestReport:
        """Bring the index in step with the corpus folder (incremental). `on_progress(done,
        total)` is called as chunks are embedded."""
        from remqa.ingest.pipeline import run_ingest

        with self._changing:
            report = run_ingest(self.settings, rebuild=rebuild, on_progress=on_progress)
            self._retriever = None  # reload on next ask: the index changed
        return report

    def documents(self) -> Documents:
        """The indexed files (type, size, chunks, when indexed) and the skipped ones, with
        the reason, as of the last ingest."""
        from remqa.ingest.manifest import read_manifest

        return read_manifest(self.settings.index_dir)

    def add_documents(
        self, uploads: Sequence[tuple[str, Path]], on_progress: ProgressCallback | None = None
    ) -> AddReport:
        """Save uploaded files (name as given, file on disk) into the corpus folder, each
        checked and refused with a reason when unsafe or unreadable, then index them."""
        from remqa.ingest.uploads import UNCHANGED, save_uploads

        with self._changing:
            outcomes = save_uploads(uploads, self.settings)
            report = None
            if any(o.ok and o.message != UNCHANGED for o in outcomes):
                report = self.ingest(on_progress=on_progress)
        return AddReport(outcomes=outcomes, ingest=report)

    def remove_document(
        self, source: str, on_progress: ProgressCallback | None = None
    ) -> IngestReport:
        """Move a corpus file to the corpus folder's `.trash/` (hidden, so never indexed) and
        take its chunks out of the index."""
        import shutil
        from datetime import UTC, datetime

        from remqa.errors import CorpusError

        corpus = self.settings.corpus_dir.resolve()
        path = (corpus / source).resolve()
        # Checked under the change lock, so an upload or removal finishing meanwhile cannot
        # make the list this decision rests on out of date.
        with self._changing:
            listed = self.documents()
            indexed = {d.source for d in listed.documents}
            if (
                not path.is_relative_to(corpus) or path == corpus or not path.is_file()
                or any(part.startswith(".") for part in path.relative_to(corpus).parts)
                or source not in indexed | {s.source for s in listed.skipped}
            ):  # fmt: skip
                raise CorpusError(f"{source!r} is not a document of {corpus}/; pick one listed.")
            if len(indexed - {source}) == 0:  # an index needs a document: keep it answering
                raise CorpusError(f"{source} is the only document; add another before removing it.")
            trash = corpus / ".trash" / datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            trash.mkdir(parents=True, exist_ok=True)
            shutil.move(str(path), str(trash / path.name))
            return self.ingest(on_progress=on_progress)

    @property
    def index_settings(self) -> Settings:
        """The settings the loaded index is read with (`auto` keeps an fp32 index fp32)."""
        self._load()
        return self._index_settings

    @property
    def retriever(self) -> HybridRetriever:
        self._load()
        assert self._retriever is not None
        return self._retriever

    @property
    def similarity(self) -> SentenceSimilarity:
        """The sentence vectors the answerer reads meaning with, cached by text: whatever
        else embeds corpus sentences (the eval's baseline) can share them."""
        self._load()
        assert self._similarity is not None
        return self._similarity

    def ensure_ready(self, on_progress: ProgressCallback | None = None) -> None:
        """Open the index now (building it first if it is missing), reporting progress."""
        self._load(on_progress)

    def _load(self, on_progress: ProgressCallback | None = None) -> None:
        with self._lock:  # one load, even when the first questions arrive together
            if self._retriever is not None:
                return
            from remqa.loaded_index import load_index

            # No index yet: first use builds it rather than fail.
            loaded = load_index(
                self.settings, lambda: self.ingest(on_progress=on_progress), on_progress
            )
            self._index_settings = loaded.settings
            self._generation, self._checked_at = loaded.generation, loaded.checked_at
            self._client = loaded.client
            self._similarity, self._answerer = loaded.similarity, loaded.answerer
            if self.settings.llm != "extractive":
                from remqa.llm.backends import build_llm, describe_backend
                from remqa.llm.generate import LLMAnswerer

                self._generator = LLMAnswerer(
                    build_llm(self.settings), describe_backend(self.settings)
                )
            self._retriever = loaded.retriever

    def _reload_if_changed(self) -> None:
        """Pick up an ingest made by another process (Chroma server mode) without a restart:
        at most every `refresh_seconds`, compare the index generation with the loaded one."""
        if time.monotonic() - self._checked_at < self.settings.refresh_seconds:
            return
        from remqa.index.meta import generation

        self._checked_at = time.monotonic()
        try:
            current = generation(self._client.get_collection(self.settings.collection))
        except Exception:  # noqa: BLE001 - being rebuilt right now: keep serving what we have
            return
        if current != self._generation:
            with self._lock:
                self._retriever = None
            self._load()

    def check_question(self, question: str) -> str:
        """The question, stripped; QuestionError when it cannot be asked."""
        if not isinstance(question, str) or not question.strip():
            raise QuestionError("The question is empty. Type a question about your documents.")
        if len(question) > self.settings.max_question_chars:
            raise QuestionError(
                f"The question is {len(question):,} characters long; the limit is "
                f"{self.settings.max_question_chars:,} (REMQA_MAX_QUESTION_CHARS). Shorten it."
            )
        return " ".join(question.split())

    def resolve(self, question: str, history: Sequence[HistoryTurn] = ()) -> str:
        """The question made self-contained using the conversation so far."""
        from remqa.answering.followup import resolve_followup

        previous = None
        if history:
            last_q, last_a = history[-1]
            previous = last_a.resolved_question if isinstance(last_a, Answer) else None
            previous = previous or last_q
        return resolve_followup(question, previous, self._word_similarity)

    def _word_similarity(self, word: str, others: list[str]) -> list[float]:
        """Cosine similarity of `word` to each of `others`, by the embedding model."""
        from remqa.index.embedding import load_embedder

        model = load_embedder(self._index_settings)
        vectors = model.get_text_embedding_batch([word, *others])
        return [sum(a * b for a, b in zip(vectors[0], v, strict=True)) for v in vectors[1:]]

    def ask(
        self,
        question: str,
        history: Sequence[HistoryTurn] = (),
        sources: Sequence[str] | None = None,
    ) -> Answer:
        """Answer a question from the documents; `history` holds earlier (question, answer)
        turns so that follow-ups like "And germanium?" are understood. `sources` limits the
        answer to those files (paths relative to the corpus folder, as `documents()` and
        `Citation.source` give them; None or empty: all documents); an unknown name raises
        UnknownSourceError. Pass the same `sources` with a follow-up to keep its scope."""
        final = None
        for part in self.ask_stream(question, history, sources):
            final = part
        assert isinstance(final, Answer)
        return final

    def ask_stream(
        self,
        question: str,
        history: Sequence[HistoryTurn] = (),
        sources: Sequence[str] | None = None,
    ) -> Iterator[str | Answer]:
        """Like `ask`, for showing progress: with an LLM backend, yields the text generated so
        far (not yet checked), then the checked `Answer` last; otherwise just the `Answer`."""
        from remqa.answering.question import analyze
        from remqa.answering.scoped import limit_to

        question = self.check_question(question)
        self._load()
        self._reload_if_changed()
        chosen = self.retriever.check_sources(sources)
        resolved = self.resolve(question, history)
        assert self._answerer is not None and self._similarity is not None
        query_vector = self._similarity.embed_query(resolved)  # embedded once, used twice
        passages = self.retriever.retrieve(resolved, query_vector, chosen)
        answerer = self._answerer

        def extractive() -> Answer:
            return answerer.answer(question, analyze(resolved), passages, query_vector)

        parts: Iterator[str | Answer] = (
            self._generator.stream(resolved, passages, extractive)
            if self._generator is not None
            else iter([extractive()])
        )
        for part in parts:
            if isinstance(part, Answer):
                self._place(part)
                part.question = question
                if resolved != question:
                    part.resolved_question = resolved
                limit_to(part, chosen)
            yield part

    def _place(self, answer: Answer) -> None:
        """Each citation's page(s) and heading, from the chunk that holds its span."""
        for citation in answer.citations:
            chunk = self.retriever.chunk_holding(citation.source, citation.start, citation.end)
            if chunk is not None:
                citation.page, citation.page_end, citation.section = chunk.place(
                    citation.start, citation.end
                )

    def source_text(self, source: str) -> str:
        """The text citations of `source` are offsets into (the extracted text for PDF/HTML)."""
        from remqa.errors import CorpusError
        from remqa.ingest.corpus_path import corpus_file
        from remqa.ingest.loaders import CorpusFile, extract_text

        try:
            path = corpus_file(self.settings.corpus_dir, source)  # the viewer's check too
        except CorpusError as exc:
            raise QuestionError(str(exc)) from None
        return extract_text(CorpusFile(source=source, path=path, content_hash=""))

    @property
    def query_engine(self) -> BaseQueryEngine:
        """This assistant as a LlamaIndex query engine, to compose with other LlamaIndex parts."""
        from remqa.engine import RemqaQueryEngine

        engine: BaseQueryEngine = RemqaQueryEngine(self)
        return engine
