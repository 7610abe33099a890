"""Reciprocal rank fusion with one stated rule for exact ties.

Two passages tie exactly when each leg ranks one where the other ranks the other (dense 1st
and BM25 3rd against dense 3rd and BM25 1st). LlamaIndex leaves such ties in the order it
met the passages, which follows the dense leg, so a change of embedding precision that
nudges two dense similarities flips them. Rank fusion throws the legs' scores away; for a
tie they decide: the passage the legs prefer by more goes first, measured as the sum of each
leg's score scaled to [0, 1] over the passages that leg returned (LlamaIndex's relative score
fusion), then the earlier place in the corpus (file path, then offset). The rule reads
scores and positions only, never a document's words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from llama_index.core.retrievers import QueryFusionRetriever
    from llama_index.core.schema import NodeWithScore

RRF_K = 60.0  # the constant of Cormack et al. (2009), as LlamaIndex uses
Position = tuple[str, int]
_LAST: Position = ("\U0010ffff", 1 << 62)


def _scaled(leg: Sequence[tuple[str, float]]) -> dict[str, float]:
    """Each hit's score scaled to [0, 1] over its leg (all 1 when they are equal)."""
    if not leg:
        return {}
    low = min(score for _, score in leg)
    span = max(score for _, score in leg) - low
    return {key: (score - low) / span if span else 1.0 for key, score in leg}


def fuse(
    legs: Sequence[Sequence[tuple[str, float]]], position: Mapping[str, Position]
) -> list[tuple[str, float]]:
    """(id, fused score) best first. `legs` are each retriever's (id, score) results. Exact
    ties go to the higher sum of scaled leg scores, then the earlier `position` (an id
    without one: after every id with one)."""
    fused: dict[str, float] = {}
    preference: dict[str, float] = {}
    for leg in legs:
        for rank, (key, _) in enumerate(sorted(leg, key=lambda hit: hit[1], reverse=True)):
            fused[key] = fused.get(key, 0.0) + 1.0 / (rank + RRF_K)
        for key, scaled in _scaled(leg).items():
            preference[key] = preference.get(key, 0.0) + scaled

    def order(key: str) -> tuple[Any, ...]:
        return (-fused[key], -preference[key], position.get(key, _LAST))

    return [(key, fused[key]) for key in sorted(fused, key=order)]


def tie_breaking_fusion(**kwargs: Any) -> QueryFusionRetriever:
    """LlamaIndex's QueryFusionRetriever in reciprocal-rank mode, with `fuse`'s tie rule."""
    from llama_index.core.retrievers import QueryFusionRetriever

    class TieBreakingFusionRetriever(QueryFusionRetriever):
        def _reciprocal_rerank_fusion(
            self, results: dict[tuple[str, int], list[NodeWithScore]]
        ) -> list[NodeWithScore]:
            return _fuse_nodes(results)

    return TieBreakingFusionRetriever(mode="reciprocal_rerank", **kwargs)  # type: ignore[arg-type]


def _fuse_nodes(results: dict[tuple[str, int], list[NodeWithScore]]) -> list[NodeWithScore]:
    from llama_index.core.schema import NodeWithScore

    by_leg = [results[key] for key in sorted(results, key=lambda k: k[1])]
    nodes: dict[str, NodeWithScore] = {}
    position: dict[str, Position] = {}
    for leg in by_leg:
        for hit in leg:
            key = hit.node.hash
            nodes.setdefault(key, hit)
            meta = hit.node.metadata
            position[key] = (str(meta.get("source", "")), int(meta.get("start", 0) or 0))
    legs = [[(hit.node.hash, float(hit.score or 0.0)) for hit in leg] for leg in by_leg]
    return [
        NodeWithScore(node=nodes[key].node, score=score) for key, score in fuse(legs, position)
    ]
