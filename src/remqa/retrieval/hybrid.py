"""Hybrid retrieval: dense (Chroma) + BM25 (bm25s), fused by reciprocal rank.

Both legs are LlamaIndex retrievers and the fusion is LlamaIndex's QueryFusionRetriever,
so `HybridRetriever.fusion` composes with the rest of LlamaIndex. The BM25 index and the
corpus statistics are built once per index state, not per question. A question limited to
chosen files is filtered in both legs before fusion (retrieval/scope.py).
"""

from __future__ import annotations

import json
import threading
from bisect import bisect_right
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from remqa.models import Chunk, Passage
from remqa.retrieval.dense import dense_retriever
from remqa.retrieval.expansion import expand_query
from remqa.retrieval.fusion import RRF_K, tie_breaking_fusion
from remqa.retrieval.scope import Scope, build_scope, check_sources, scope_of, scoped_bundle
from remqa.text.stats import CorpusStats

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection
    from llama_index.core.retrievers import QueryFusionRetriever
    from llama_index.core.schema import TextNode

    from remqa.settings import Settings


def load_chunks(collection: Collection, page: int = 1000) -> list[tuple[Chunk, TextNode]]:
    """Every chunk, with the LlamaIndex node the dense leg would return for it."""
    from llama_index.core.vector_stores.utils import metadata_dict_to_node

    chunks: list[tuple[Chunk, TextNode]] = []
    offset = 0
    while True:
        got = collection.get(include=["metadatas", "documents"], limit=page, offset=offset)
        for chunk_id, meta, text in zip(
            got["ids"], got["metadatas"] or [], got["documents"] or [], strict=True
        ):
            offset_map = json.loads(str(meta["offset_map"])) if meta.get("offset_map") else []
            chunk = Chunk(
                id=chunk_id,
                source=str(meta["source"]),
                start=int(str(meta["start"])),
                end=int(str(meta["end"])),
                text=text,
                raw=str(meta.get("raw") or ""),
                offset_map=tuple((int(c), int(s)) for c, s in offset_map),
                pages=tuple((int(o), int(p)) for o, p in _json_list(meta.get("pages"))),
                headings=tuple((int(o), str(h)) for o, h in _json_list(meta.get("headings"))),
            )
            # Same node (so same hash) as the dense leg returns: fusion can then merge them.
            node = metadata_dict_to_node(dict(meta), text=text)
            chunks.append((chunk, node))  # type: ignore[arg-type]
        if len(got["ids"]) < page:
            break
        offset += page
    chunks.sort(key=lambda pair: (pair[0].source, pair[0].start))
    return chunks


def _json_list(value: object) -> list[Any]:
    """A JSON list kept in chunk metadata; [] when absent (an index from before it was kept)."""
    return json.loads(str(value)) if value else []


MAX_CONTEXT_CHUNKS = 3  # chunks of about 60 words: a paragraph's last few sentences
SCOPES_KEPT = 64  # scopes (sets of chosen files) whose filters are kept built


class HybridRetriever:
    """Dense + BM25 over one Chroma collection, fused by reciprocal rank."""

    def __init__(self, collection: Collection, settings: Settings) -> None:
        loaded = load_chunks(collection)
        self.chunks = [chunk for chunk, _ in loaded]
        self._nodes = [node for _, node in loaded]
        self.by_id = {c.id: c for c in self.chunks}
        self._by_source: dict[str, list[Chunk]] = {}
        for chunk in self.chunks:  # already sorted by (source, start)
            self._by_source.setdefault(chunk.source, []).append(chunk)
        self._starts = {s: [c.start for c in cs] for s, cs in self._by_source.items()}
        self._scopes: dict[tuple[str, ...], Scope] = {}
        self._scopes_lock = threading.Lock()
        self._bm25_positions: dict[str, int] = {}
        from remqa.retrieval.cache import cached, fingerprint, load_stats, save_stats

        self._cache_dir = settings.index_dir / "retrieval"
        self._key = fingerprint(self.chunks)

        def build_stats(folder: Path) -> CorpusStats:
            stats = CorpusStats(self.chunks)
            save_stats(stats, folder)
            return stats

        self.stats = cached(self._cache_dir / "stats", self._key, load_stats, build_stats)
        self.fusion = self._build_fusion(collection, settings)

    def _build_fusion(self, collection: Collection, settings: Settings) -> QueryFusionRetriever:
        import Stemmer
        from llama_index.core.llms import MockLLM

        from remqa.index.embedding import load_embedder

        candidates = max(settings.top_k * 4, 20)
        nodes = {node.node_id: node for node in self._nodes}
        dense = dense_retriever(collection, nodes, load_embedder(settings), candidates)
        legs = [dense]
        if self.chunks:
            from remqa.retrieval.cache import cached

            bm25_class = _expanding_bm25_class()

            def build_bm25(folder: Path) -> Any:
                bm25 = bm25_class.from_defaults(
                    nodes=self._nodes, stemmer=Stemmer.Stemmer("english"), language="english"
                )
                bm25.persist(str(folder), show_progress=False)
                return bm25

            bm25 = cached(self._cache_dir / "bm25", self._key, _load_bm25, build_bm25)
            bm25.similarity_top_k = min(candidates, len(self.chunks))
            bm25.acronyms = self.stats.acronyms
            legs.append(bm25)
            # where each chunk sits in the BM25 corpus (its weight mask's order)
            self._bm25_positions = {str(e["node_id"]): n for n, e in enumerate(bm25.corpus)}
        self._best_fused = len(legs) / RRF_K  # RRF score of a chunk ranked first by every leg
        # num_queries=1 and an explicit MockLLM: no query rewriting, so no LLM is resolved.
        # Exact ties in the rank fusion follow one stated rule (fusion.py).
        return tie_breaking_fusion(
            retrievers=legs,
            llm=MockLLM(),
            similarity_top_k=settings.top_k,
            num_queries=1,
            use_async=False,
        )

    @property
    def legs(self) -> list[Any]:
        """The retrievers the fusion combines, dense first, then BM25 (for reading each
        leg's own ranking: tests, eval/fusion_grid.py)."""
        return list(self.fusion._retrievers)

    def paragraph_before(self, source: str, start: int) -> str:
        """Text of the same paragraph just before offset `start`, joined across the chunks it
        spans (chunks overlap by a sentence). Lets "it" in a sentence find the mine named
        before it, and "the UMC" two sentences back count for "In 2005, there were ...".
        Looks at most MAX_CONTEXT_CHUNKS chunks back."""
        chunks = self._by_source.get(source, [])
        i = bisect_right(self._starts.get(source, []), start)
        # the chunk holding the most of it: the earliest that reaches `start`
        index = next((j for j in range(max(0, i - 4), i) if chunks[j].end >= start), None)
        if index is None:
            return ""
        chunk = chunks[index]
        text = chunk.text[: chunk.to_clean(start)]
        for earlier in reversed(chunks[max(0, index - MAX_CONTEXT_CHUNKS) : index]):
            if "\n" in text or earlier.end < chunk.start:
                break  # the paragraph starts in what we have, or the chunks do not meet
            text = earlier.text[: earlier.to_clean(chunk.start)] + text
            chunk = earlier
        return text[text.rfind("\n") + 1 :]

    def surrounding(
        self, source: str, start: int, end: int, width: int = 300
    ) -> tuple[str, str, str]:
        """(before, quote, after): the span with up to `width` characters of its passage on
        each side, from the chunks that hold it."""
        chunk = self.chunk_holding(source, start, end)
        if chunk is None:
            return ("", "", "")
        a, b = start - chunk.start, end - chunk.start
        raw = chunk.source_text
        return (raw[max(0, a - width) : a], raw[a:b], raw[b : b + width])

    def chunk_holding(self, source: str, start: int, end: int) -> Chunk | None:
        """A chunk whose span holds source offsets [start, end), if one does."""
        chunks = self._by_source.get(source, [])
        i = bisect_right(self._starts.get(source, []), start)
        for chunk in reversed(chunks[max(0, i - 4) : i]):
            if chunk.start <= start and end <= chunk.end:
                return chunk
        return None

    @property
    def sources(self) -> list[str]:
        """The files the index holds (paths relative to the corpus folder), sorted."""
        return list(self._by_source)

    def check_sources(self, sources: Sequence[str] | None) -> tuple[str, ...]:
        """The chosen files, sorted, without repeats; () for all. Unknown names raise
        UnknownSourceError, naming the close ones."""
        return check_sources(sources, self._by_source)

    def scope(self, sources: tuple[str, ...]) -> Scope:
        """The filters for questions limited to `sources`, built once per set of files."""
        with self._scopes_lock:
            scope = self._scopes.get(sources)
            if scope is None:
                # a node's id is its chunk's id (the dense leg maps hits back by it)
                ids = {s: [c.id for c in self._by_source.get(s, [])] for s in sources}
                scope = build_scope(sources, ids, self._bm25_positions)
                if len(self._scopes) >= SCOPES_KEPT:
                    self._scopes.pop(next(iter(self._scopes)))
                self._scopes[sources] = scope
            return scope

    def retrieve(
        self,
        query: str,
        query_vector: Sequence[float] | None = None,
        sources: Sequence[str] | None = None,
    ) -> list[Passage]:
        """The top passages for `query`, from the files in `sources` only when given (names as
        `sources` lists them; None or empty: all); pass the query's embedding if computed."""
        if not self.chunks:
            return []
        chosen = self.check_sources(sources)
        scope = self.scope(chosen) if chosen else None
        results = self.fusion.retrieve(scoped_bundle(query, query_vector, scope))
        passages = []
        for rank, hit in enumerate(results):
            chunk = self.by_id.get(hit.node.node_id)
            if chunk is not None:
                score = float(hit.score or 0.0) / self._best_fused  # 1.0: top of every leg
                passages.append(Passage(chunk=chunk, score=score, rank=rank))
        return passages


def _expanding_bm25_class() -> Any:
    """LlamaIndex's BM25Retriever, with the query widened by other names and the
    corpus's own acronyms, so "rare earth mines in China" also finds "REM ... PRC"."""
    import bm25s
    from llama_index.core.schema import NodeWithScore, QueryBundle
    from llama_index.core.vector_stores.utils import metadata_dict_to_node
    from llama_index.retrievers.bm25 import BM25Retriever

    class ExpandingBM25Retriever(BM25Retriever):
        acronyms: dict[str, tuple[str, ...]] = {}

        def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
            expanded = expand_query(query_bundle.query_str, self.acronyms)
            scope = scope_of(query_bundle)
            if scope is None:
                return super()._retrieve(QueryBundle(query_str=expanded))
            return self._retrieve_within(expanded, scope)

        def _retrieve_within(self, query: str, scope: Scope) -> list[NodeWithScore]:
            """BM25 over the chosen files' chunks only: the others weigh 0 (bm25s's weight
            mask); zero-scored chunks of other files that fill the top k are dropped."""
            if not scope.size:
                return []
            tokens = bm25s.tokenize(
                query,
                stemmer=self.stemmer if not self.skip_stemming else None,
                token_pattern=self.token_pattern,
                show_progress=False,
            )
            indexes, scores = self.bm25.retrieve(
                tokens,
                k=self.similarity_top_k,
                show_progress=False,
                weight_mask=scope.bm25_mask,
            )
            nodes = []
            for index, score in zip(indexes[0], scores[0], strict=True):
                entry = index if isinstance(index, dict) else self.corpus[int(index)]
                if entry["node_id"] in scope.node_ids:
                    nodes.append(
                        NodeWithScore(node=metadata_dict_to_node(entry), score=float(score))
                    )
            return nodes

    return ExpandingBM25Retriever


def _load_bm25(folder: Path) -> Any:
    return _expanding_bm25_class().from_persist_dir(str(folder), show_progress=False)
