"""Moving an index between Chroma stores (embedded folder -> server) without re-embedding."""

from __future__ import annotations

from pydantic import BaseModel

from remqa.errors import RemqaError
from remqa.index.meta import open_collection
from remqa.index.store import describe_store, open_client
from remqa.progress import progress_bar
from remqa.settings import Settings


class MigrationReport(BaseModel):
    source: str
    target: str
    chunks: int


def migrate(source: Settings, target: Settings, replace: bool = False) -> MigrationReport:
    """Copy the collection (vectors, texts, metadata, and what built it) from `source` to
    `target` in batches. The target collection must not exist unless `replace`."""
    from remqa.index.meta import bump_generation

    src = open_collection(open_client(source), source)
    client = open_client(target)
    names = {c.name for c in client.list_collections()}
    if target.collection in names:
        if not replace:
            raise RemqaError(
                f"{describe_store(target)} already has a collection {target.collection!r}. "
                "Pass --replace to overwrite it."
            )
        client.delete_collection(target.collection)
    dst = client.create_collection(
        target.collection,
        metadata=bump_generation(src.metadata),
        configuration={"hnsw": {"space": "cosine"}},
        embedding_function=None,
    )
    total = src.count()
    page = max(1, min(client.get_max_batch_size(), open_client(source).get_max_batch_size(), 1000))
    with progress_bar("Copying chunks", total, source.show_progress) as advance:
        for offset in range(0, total, page):
            got = src.get(
                include=["embeddings", "documents", "metadatas"], limit=page, offset=offset
            )
            dst.upsert(
                ids=got["ids"],
                embeddings=got["embeddings"],
                documents=got["documents"],
                metadatas=got["metadatas"],
            )
            advance(len(got["ids"]))
    if dst.count() != total:
        raise RemqaError(
            f"Copied {dst.count()} of {total} chunks to {describe_store(target)}; run it again."
        )
    return MigrationReport(
        source=describe_store(source), target=describe_store(target), chunks=total
    )
