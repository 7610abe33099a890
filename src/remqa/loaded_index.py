"""The index opened for answering, with the parts that read it: the retriever, the sentence
similarity and the extractive answerer. The Assistant holds one and swaps it when the index
changes; building it is here so that the Assistant only composes."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from remqa.errors import IndexMissingError
from remqa.progress import progress_bar
from remqa.retrieval.sentence_vectors import FILE_NAME, keys_of, load_vectors, save_vectors
from remqa.settings import Settings

if TYPE_CHECKING:
    from remqa.answering.answerer import Answerer
    from remqa.retrieval.hybrid import HybridRetriever
    from remqa.retrieval.similarity import SentenceSimilarity

logger = logging.getLogger(__name__)


@dataclass
class LoadedIndex:
    settings: Settings  # the index's own embedding precision followed (`auto` keeps fp32 fp32)
    client: Any  # the Chroma client the retriever reads through
    generation: str  # of the index the retriever was loaded from
    checked_at: float  # time.monotonic() when the generation was read
    retriever: HybridRetriever
    similarity: SentenceSimilarity
    answerer: Answerer


def load_index(
    settings: Settings,
    build_missing: Callable[[], object],
    on_progress: Callable[[int, int], None] | None = None,
) -> LoadedIndex:
    """Open the index, self-checked, and build what reads it. `build_missing` is called when
    there is no index yet: first use builds it rather than fail. The corpus's sentence
    vectors are loaded, and those not yet saved (after an ingest) embedded and saved:
    `on_progress(done, total)` follows that."""
    from remqa.answering.answerer import Answerer
    from remqa.answering.candidates import CandidateReader
    from remqa.answering.reader import Reader
    from remqa.index.embedding import load_embedder
    from remqa.index.meta import follow_index, generation, open_collection, self_check
    from remqa.index.store import open_client
    from remqa.retrieval.hybrid import HybridRetriever
    from remqa.retrieval.similarity import SentenceSimilarity

    client = open_client(settings)
    try:
        collection = open_collection(client, settings)
    except IndexMissingError:
        build_missing()
        collection = open_collection(client, settings)
    index_settings = follow_index(settings, collection)
    embedder = load_embedder(index_settings)
    self_check(collection, settings, embedder.get_text_embedding)
    loaded_generation = generation(collection)
    checked_at = time.monotonic()
    retriever = HybridRetriever(collection, index_settings)
    similarity = SentenceSimilarity(embedder)
    reader = CandidateReader(retriever.stats, retriever.paragraph_before, similarity=similarity)
    hold_sentence_vectors(
        similarity,
        reader.corpus_texts(retriever.chunks),
        settings.index_dir / "retrieval" / FILE_NAME,
        _vectors_made_by(index_settings),
        settings.show_progress,
        on_progress,
    )
    answerer = Answerer(
        reader,
        max_citations=settings.max_citations,
        selector_weights=settings.selector_weights,
        refusal_threshold=settings.refusal_threshold,
        reading_model=Reader(cache_dir=settings.model_cache_dir),
    )
    return LoadedIndex(
        settings=index_settings,
        client=client,
        generation=loaded_generation,
        checked_at=checked_at,
        retriever=retriever,
        similarity=similarity,
        answerer=answerer,
    )


def _vectors_made_by(settings: Settings) -> str:
    """The model and the path that runs it (fp32 ONNX and PyTorch agree only to rounding)."""
    from remqa.index.embedding import embed_model_id, resolve_backend

    backend = resolve_backend(settings)[0]
    return f"{embed_model_id(backend)}/{backend}"


def hold_sentence_vectors(
    similarity: SentenceSimilarity,
    texts: list[str],
    path: Path,
    model: str,
    show_progress: bool,
    on_progress: Callable[[int, int], None] | None,
) -> None:
    """The corpus's sentence vectors held by `similarity`: saved ones reused, new ones
    embedded (with a progress bar), and the file rewritten when anything changed."""
    saved = load_vectors(path, model)
    wanted = keys_of(texts)
    total = sum(key not in saved for key in wanted)
    done = 0
    with progress_bar("Embedding sentences", total, show_progress and total > 0) as advance:

        def step(n: int) -> None:
            nonlocal done
            advance(n)
            done += n
            if on_progress is not None:
                on_progress(done, total)

        held = similarity.hold(wanted, saved, step)
    if total or len(held) != len(saved):
        try:
            save_vectors(path, model, held)
        except OSError as exc:  # a read-only index still answers, embedding on next start
            logger.warning("could not save the sentence vectors to %s (%s)", path, exc)
