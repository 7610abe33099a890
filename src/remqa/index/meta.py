"""What built an index: recorded in the Chroma collection so vectors never mix."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from remqa.errors import IndexCorruptError, IndexMismatchError, IndexMissingError, RemqaError
from remqa.index.embedding import EMBED_DIM, embed_model_id, resolve_backend
from remqa.index.store import describe_store
from remqa.settings import Settings

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

logger = logging.getLogger(__name__)

INDEX_SCHEMA = 1
SIGNATURE_KEYS = ("remqa_schema", "embed_model", "embed_dim", "chunking")


def index_signature(settings: Settings) -> dict[str, Any]:
    return {
        "remqa_schema": INDEX_SCHEMA,
        "embed_model": embed_model_id(resolve_backend(settings)[0]),
        "embed_dim": EMBED_DIM,
        "chunking": (
            f"sentences/reflow-1/max_words={settings.chunk_max_words}"
            f"/overlap={settings.chunk_overlap_sentences}"
        ),
    }


def follow_index(settings: Settings, collection: Collection) -> Settings:
    """`auto` reads and updates an existing index with the precision it was built with, so
    vectors never mix: an fp32 index (built before int8 became the default, or with
    REMQA_EMBED_BACKEND=onnx) stays fp32 until `remqa ingest --rebuild`, which gives it the
    default, int8. PyTorch serves an fp32 index when the ONNX cache cannot be had."""
    if settings.embed_backend != "auto":
        return settings
    found = (collection.metadata or {}).get("embed_model")
    if found == embed_model_id("onnx-int8"):
        return settings.model_copy(update={"embed_backend": "onnx-int8"})
    if found == embed_model_id("onnx"):  # fp32: ONNX and PyTorch give the same vectors
        fp32 = settings.model_copy(update={"embed_backend": "onnx"})
        try:
            resolve_backend(fp32)
        except RemqaError as exc:
            logger.warning("%s Using PyTorch instead (the same fp32 vectors).", exc)
            return settings.model_copy(update={"embed_backend": "torch"})
        return fp32
    return settings


def check_signature(collection: Collection, settings: Settings) -> None:
    """Refuse an index built differently: mixing models makes every similarity meaningless."""
    found = collection.metadata or {}
    wanted = index_signature(follow_index(settings, collection))
    diffs = [
        f"{key} {found.get(key)!r} (this run: {wanted[key]!r})"
        for key in SIGNATURE_KEYS
        if found.get(key) != wanted[key]
    ]
    if diffs:
        raise IndexMismatchError(
            f"The index in {describe_store(settings)} was built with a different setup: "
            + "; ".join(diffs)
            + ". Rebuild it with `remqa ingest --rebuild`."
        )


def create_collection(client: ClientAPI, name: str, settings: Settings) -> Collection:
    return client.create_collection(
        name,
        metadata=index_signature(settings),
        configuration={"hnsw": {"space": "cosine"}},
        embedding_function=None,
    )


def open_collection(client: ClientAPI, settings: Settings) -> Collection:
    """The existing, compatible collection; errors say whether to ingest or rebuild."""
    try:
        names = {c.name for c in client.list_collections()}
        if settings.collection not in names:
            raise IndexMissingError(
                f"No index in {describe_store(settings)} yet. Build it with `remqa ingest`."
            )
        collection = client.get_collection(settings.collection, embedding_function=None)
    except IndexMissingError:
        raise
    except Exception as exc:
        raise IndexCorruptError(
            f"The index in {describe_store(settings)} cannot be read "
            f"({type(exc).__name__}: {exc}). Rebuild it with `remqa ingest --rebuild`."
        ) from None
    check_signature(collection, settings)
    return collection


GENERATION_KEY = "remqa_generation"
# Cosine distance of a chunk's fresh embedding to its stored one: ~1e-7 for fp32; int8's
# batch-dependent activation scaling moves it a little; a wrong model or vector moves it far.
SELF_CHECK_DISTANCE = 0.05


def bump_generation(metadata: dict[str, Any] | None) -> dict[str, Any]:
    """The collection metadata with a fresh generation id (set after every changing ingest)."""
    import uuid

    return {**(metadata or {}), GENERATION_KEY: uuid.uuid4().hex}


def generation(collection: Collection) -> str:
    return str((collection.metadata or {}).get(GENERATION_KEY, ""))


def self_check(
    collection: Collection, settings: Settings, embed: Callable[[str], list[float]]
) -> None:
    """Embed a stored chunk afresh and search for it: a healthy index finds it at distance
    ~0 (within SELF_CHECK_DISTANCE). Vectors from another model, scrambled vectors or a
    damaged search segment fail here instead of answering wrongly."""
    try:
        if collection.count() == 0:
            return
        sample = collection.get(limit=1, include=["documents"])
        vector = embed((sample["documents"] or [""])[0])
        found = collection.query(query_embeddings=vector, n_results=1)
        distances = found["distances"] or [[1.0]]
        ok = bool(distances[0]) and distances[0][0] < SELF_CHECK_DISTANCE
    except Exception as exc:
        raise IndexCorruptError(
            f"The index in {describe_store(settings)} fails a search ({type(exc).__name__}: "
            f"{exc}). Rebuild it with `remqa ingest --rebuild`."
        ) from None
    if not ok:
        raise IndexCorruptError(
            f"The index in {describe_store(settings)} returns wrong search results (its vectors "
            "do not match the documents). Rebuild it with `remqa ingest --rebuild`."
        )
