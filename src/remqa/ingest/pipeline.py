"""Corpus files -> sentence-aware chunks -> embeddings -> Chroma; incremental by content hash.

The index itself is the record of what is ingested: each chunk carries its file's hash and
the file's chunk count, so a file counts as done only when all its chunks are in. Deterministic
ids make every step idempotent, so an ingest killed at any point converges on the next run.
Old chunks are deleted only after their replacements are written: a failed ingest leaves the
previous index answering.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock, Timeout

from remqa.errors import CorpusError, IndexCorruptError, IndexLockedError
from remqa.index.meta import bump_generation, check_signature, create_collection, follow_index
from remqa.index.serving import refuse_if_served_elsewhere
from remqa.index.store import describe_store, open_client
from remqa.ingest.chunk_writer import batches, write_chunks
from remqa.ingest.chunking import OffsetSentenceSplitter
from remqa.ingest.errors import UnreadableFile
from remqa.ingest.layout import LAYOUT_VERSION, Layout, place_chunks, prune_char_maps, save_char_map
from remqa.ingest.loaders import (
    ACCEPTED_TYPES,
    TEXT_SUFFIXES,
    CorpusFile,
    extract_document,
    scan_corpus,
)
from remqa.ingest.manifest import read_manifest, write_manifest
from remqa.models import DocumentEntry, Documents, IngestReport, SkippedFile
from remqa.settings import Settings

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection
    from llama_index.core.schema import BaseNode


@dataclass
class _IndexedFile:
    file_hash: str = ""
    n_chunks: int = -1
    ids: set[str] = field(default_factory=set)
    consistent: bool = True
    placed: bool = True  # every chunk knows its pages and headings (an older index's do not)

    def is_complete(self, content_hash: str) -> bool:
        return (
            self.consistent and self.placed and self.file_hash == content_hash
            and len(self.ids) == self.n_chunks
        )  # fmt: skip


def _indexed_files(collection: Collection, page: int) -> dict[str, _IndexedFile]:
    """What the index holds, per source file."""
    files: dict[str, _IndexedFile] = defaultdict(_IndexedFile)
    offset = 0
    while True:
        got = collection.get(include=["metadatas"], limit=page, offset=offset)
        for chunk_id, meta in zip(got["ids"], got["metadatas"] or [], strict=True):
            entry = files[str(meta["source"])]
            if entry.ids and (entry.file_hash, entry.n_chunks) != (
                meta["file_hash"],
                meta["n_chunks"],
            ):
                entry.consistent = False  # chunks of two versions: a change was interrupted
            entry.file_hash, entry.n_chunks = str(meta["file_hash"]), int(str(meta["n_chunks"]))
            entry.placed = entry.placed and meta.get("layout") == LAYOUT_VERSION
            entry.ids.add(chunk_id)
        if len(got["ids"]) < page:
            return files
        offset += page


def _set_aside(index_dir: Path) -> Path:
    """Move a broken index folder aside (keeping the lock file and caches' place)."""
    from chromadb.api.shared_system_client import SharedSystemClient

    aside = index_dir.with_name(f"{index_dir.name}.broken-{int(time.time())}")
    index_dir.rename(aside)
    SharedSystemClient.clear_system_cache()  # forget the broken database's open handles
    index_dir.mkdir()
    lock = aside / ".ingest.lock"
    if lock.exists():
        lock.rename(index_dir / ".ingest.lock")
    return aside


def ingest_lock(settings: Settings) -> FileLock:
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    return FileLock(str(settings.index_dir / ".ingest.lock"), timeout=0)


def run_ingest(
    settings: Settings,
    rebuild: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> IngestReport:
    """Bring the index in step with the corpus; see the module docstring for the guarantees."""
    began = time.perf_counter()
    files, skipped_reasons = scan_corpus(settings.corpus_dir, settings.max_file_bytes)
    if not files:
        detail = (
            f" ({len(skipped_reasons)} file(s) skipped as unsupported)" if skipped_reasons else ""
        )
        raise CorpusError(
            f"No documents found in {settings.corpus_dir}/{detail}. Put {ACCEPTED_TYPES} "
            "files there, or pass --corpus DIR."
        )
    refuse_if_served_elsewhere(settings)
    lock = ingest_lock(settings)
    try:
        lock.acquire()
    except Timeout:
        raise IndexLockedError(
            f"Another `remqa ingest` is running on {describe_store(settings)} "
            f"(lock {lock.lock_file}). Wait for it to finish, then run this again."
        ) from None
    try:
        report = _ingest_locked(settings, files, skipped_reasons, rebuild, on_progress)
    finally:
        lock.release()
    report.seconds = round(time.perf_counter() - began, 3)
    return report


def _ingest_locked(
    settings: Settings,
    files: list[CorpusFile],
    skipped_reasons: dict[str, str],
    rebuild: bool,
    on_progress: Callable[[int, int], None] | None,
) -> IngestReport:
    from llama_index.core import Document
    from llama_index.core.ingestion import IngestionPipeline

    try:
        client = open_client(settings)
        names = {c.name for c in client.list_collections()}
    except Exception as exc:
        if not rebuild or settings.chroma_url:
            if isinstance(exc, IndexCorruptError):
                raise
            raise IndexCorruptError(
                f"The index in {describe_store(settings)} cannot be read "
                f"({type(exc).__name__}: {exc}). Rebuild it with `remqa ingest --rebuild`."
            ) from None
        # An embedded store too damaged to open: keep it aside, build a fresh one.
        _set_aside(settings.index_dir)
        client = open_client(settings)
        names = set()
    page = max(1, min(client.get_max_batch_size(), 1000))
    target_name = f"{settings.collection}-rebuild" if rebuild else settings.collection
    if rebuild and target_name in names:
        client.delete_collection(target_name)  # left by an interrupted rebuild
    if target_name in names and not rebuild:
        collection = client.get_collection(target_name, embedding_function=None)
        check_signature(collection, settings)
        settings = follow_index(settings, collection)
    else:
        collection = create_collection(client, target_name, settings)

    indexed = _indexed_files(collection, page)
    report = IngestReport(corpus_dir=str(settings.corpus_dir), index=describe_store(settings))
    report.rebuilt = rebuild
    documents: list[Document] = []
    layouts: dict[str, Layout] = {}
    for file in files:
        entry = indexed.get(file.source)
        if entry is not None and entry.is_complete(file.content_hash):
            report.unchanged.append(file.source)
            continue
        try:
            extracted = extract_document(file)
        except UnreadableFile as exc:
            skipped_reasons[file.source] = str(exc)
            continue
        (report.changed if entry is not None else report.added).append(file.source)
        layouts[file.source] = extracted.layout
        if extracted.char_map is not None:
            save_char_map(settings.index_dir, file.content_hash, extracted.char_map)
        documents.append(
            Document(
                id_=file.source,
                text=extracted.text,
                metadata={
                    "source": file.source,
                    "file_hash": file.content_hash,
                    "plain_text": file.path.suffix.lower() in TEXT_SUFFIXES,
                },
            )
        )
    report.skipped = [SkippedFile(source=s, reason=r) for s, r in sorted(skipped_reasons.items())]
    if not documents and not report.unchanged:
        raise CorpusError(
            f"No usable documents in {settings.corpus_dir}/: "
            + "; ".join(f"{s.source}: {s.reason}" for s in report.skipped[:3])
            + f". Put {ACCEPTED_TYPES} files with text there, or pass --corpus DIR."
        )

    splitter = OffsetSentenceSplitter(
        max_words=settings.chunk_max_words,
        overlap_sentences=settings.chunk_overlap_sentences,
        include_metadata=True,
        include_prev_next_rel=False,
    )
    nodes: Sequence[BaseNode] = IngestionPipeline(transformations=[splitter]).run(
        documents=documents, show_progress=False
    )
    place_chunks(nodes, layouts)
    existing_ids = {i for entry in indexed.values() for i in entry.ids}
    reused = [n for n in nodes if n.node_id in existing_ids]
    fresh = [n for n in nodes if n.node_id not in existing_ids]
    write_chunks(collection, reused, fresh, settings, page, on_progress)

    keep = {n.node_id for n in nodes} | {i for s in report.unchanged for i in indexed[s].ids}
    stale = sorted(existing_ids - keep)
    for batch in batches(stale, page):
        collection.delete(ids=list(batch))
    corpus_sources = {f.source for f in files}
    report.removed = sorted(s for s in indexed if s not in corpus_sources)
    report.chunks_embedded = len(fresh)
    report.chunks_deleted = len(stale)
    report.chunks_total = collection.count()

    if rebuild or report.added or report.changed or report.removed or stale:
        # A new generation tells running apps (e.g. on a Chroma server) to reload.
        collection.modify(metadata=bump_generation(collection.metadata))
    if rebuild:
        if settings.collection in {c.name for c in client.list_collections()}:
            client.delete_collection(settings.collection)
        collection.modify(name=settings.collection)
    _record_documents(settings, files, indexed, nodes, report)
    prune_char_maps(settings.index_dir, {f.content_hash for f in files})
    return report


def _record_documents(
    settings: Settings,
    files: list[CorpusFile],
    indexed: dict[str, _IndexedFile],
    nodes: Sequence[BaseNode],
    report: IngestReport,
) -> None:
    """What the Documents panel lists: each indexed file (type, size, chunks, when its
    current version was indexed) and each skipped one with the reason."""
    from collections import Counter
    from datetime import UTC, datetime

    before = {d.source: d.indexed_at for d in read_manifest(settings.index_dir).documents}
    counts = Counter(str(n.metadata["source"]) for n in nodes)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    fresh = set(report.added) | set(report.changed)
    unchanged = set(report.unchanged)
    entries = []
    for file in files:
        if file.source in fresh:
            chunks, when = counts[file.source], now
        elif file.source in unchanged:
            chunks, when = len(indexed[file.source].ids), before.get(file.source, "")
        else:
            continue  # skipped: listed with its reason below
        entries.append(
            DocumentEntry(
                source=file.source, type=file.path.suffix.lower().lstrip("."),
                bytes=file.size, chunks=chunks, indexed_at=when,
            )
        )  # fmt: skip
    write_manifest(settings.index_dir, Documents(documents=entries, skipped=report.skipped))
