"""Writing chunks to the index: re-labelling the ones already embedded, embedding and upserting
the rest in batches Chroma accepts, the next batch encoding while the last one is stored."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from remqa.progress import progress_bar
from remqa.settings import Settings

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection
    from llama_index.core.schema import BaseNode


def batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """Consecutive slices of at most `size`: Chroma refuses a batch over its maximum."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def write_chunks(
    collection: Collection,
    reused: list[BaseNode],
    fresh: list[BaseNode],
    settings: Settings,
    page: int,
    on_progress: Callable[[int, int], None] | None = None,
) -> None:
    """Re-label chunks that are already embedded; embed and upsert the rest in batches."""
    from llama_index.core.vector_stores.utils import node_to_metadata_dict

    def metadata(node: BaseNode) -> dict[str, Any]:
        return node_to_metadata_dict(node, remove_text=True, flat_metadata=False)

    def store(batch: Sequence[BaseNode], texts: list[str], vectors: list[list[float]]) -> None:
        collection.upsert(
            ids=[n.node_id for n in batch],
            embeddings=vectors,  # type: ignore[arg-type]
            metadatas=[metadata(n) for n in batch],
            documents=texts,
        )

    for batch in batches(reused, page):
        collection.update(ids=[n.node_id for n in batch], metadatas=[metadata(n) for n in batch])
    if not fresh:
        return
    from remqa.index.embedding import load_embedder

    embed_model = load_embedder(settings)
    batch_size = min(page, max(settings.embed_batch_size * 4, 64))
    # Shortest first, as the model's own batches are: less padding to encode.
    fresh = sorted(fresh, key=lambda n: len(n.get_content()))
    done = 0
    # One batch is stored (metadata built, written to Chroma) while the model encodes the
    # next: the model releases the GIL, so the two share the cores.
    with (
        progress_bar("Embedding chunks", len(fresh), settings.show_progress) as advance,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="remqa-upsert") as writer,
    ):
        pending: Future[None] | None = None
        for batch in batches(fresh, batch_size):
            texts = [n.get_content() for n in batch]
            vectors = embed_model.get_text_embedding_batch(texts)
            if pending is not None:
                pending.result()  # in order, and an error stops the ingest here
            pending = writer.submit(store, batch, texts, vectors)
            advance(len(batch))
            done += len(batch)
            if on_progress:
                on_progress(done, len(fresh))
        if pending is not None:
            pending.result()
