"""The index opened for answering, with the parts that read it: the retriever, the sentence
similarity and the extractive answerer. The Assistant holds one and swaps it when the index
changes; building it is here so that the Assistant only composes."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from remqa.errors import IndexMissingError
from remqa.settings import Settings

if TYPE_CHECKING:
    from remqa.answering.answerer import Answerer
    from remqa.retrieval.hybrid import HybridRetriever
    from remqa.retrieval.similarity import SentenceSimilarity


@dataclass
class LoadedIndex:
    settings: Settings  # the index's own embedding precision followed (`auto` keeps fp32 fp32)
    client: Any  # the Chroma client the retriever reads through
    generation: str  # of the index the retriever was loaded from
    checked_at: float  # time.monotonic() when the generation was read
    retriever: HybridRetriever
    similarity: SentenceSimilarity
    answerer: Answerer


def load_index(settings: Settings, build_missing: Callable[[], object]) -> LoadedIndex:
    """Open the index, self-checked, and build what reads it. `build_missing` is called when
    there is no index yet: first use builds it rather than fail."""
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
