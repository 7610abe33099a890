"""The dense leg: nearest chunks in Chroma by the question's embedding.

A LlamaIndex retriever that asks Chroma for ids and distances only and returns the nodes
already in memory (the retriever holds every chunk): fetching the texts and metadata of 40
candidates from Chroma's store and rebuilding nodes from them took about four fifths of a
dense search (9.3 ms against 1.9 ms on the bundled corpus). A question scoped to chosen files
(retrieval/scope.py) is searched among their chunks only, by Chroma's `where` filter.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

from remqa.retrieval.scope import scope_of

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from llama_index.core.retrievers import BaseRetriever
    from llama_index.core.schema import TextNode


def dense_retriever(
    collection: Collection, nodes: Mapping[str, TextNode], embedder: BaseEmbedding, top_k: int
) -> BaseRetriever:
    from llama_index.core.retrievers import BaseRetriever
    from llama_index.core.schema import NodeWithScore, QueryBundle

    class ChromaIdRetriever(BaseRetriever):
        def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
            vector: list[float] = list(
                query_bundle.embedding or embedder.get_query_embedding(query_bundle.query_str)
            )
            scope = scope_of(query_bundle)
            if scope is not None and not scope.size:
                return []
            found = collection.query(
                query_embeddings=vector,
                n_results=min(top_k, scope.size if scope else len(nodes)),
                where=scope.where if scope else None,
                include=["distances"],
            )
            distances = (found["distances"] or [[]])[0]
            return [
                # the same similarity LlamaIndex's ChromaVectorStore reports: exp(-distance)
                NodeWithScore(node=nodes[i], score=math.exp(-d))
                for i, d in zip(found["ids"][0], distances, strict=True)
                if i in nodes
            ]

    return ChromaIdRetriever()
