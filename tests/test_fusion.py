"""Reciprocal rank fusion and its stated tie rule: the legs' scaled scores, then position."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from remqa import Assistant, Settings
from remqa.retrieval.fusion import RRF_K, fuse
from tests.conftest import write_corpus

POSITION = {"a": ("x.txt", 0), "b": ("x.txt", 100), "c": ("a.txt", 50), "d": ("x.txt", 50)}


@pytest.mark.parametrize(
    ("dense", "bm25", "expected"),
    [
        # no tie: first in both legs wins
        ([("a", 0.9), ("b", 0.8)], [("a", 9.0), ("b", 1.0)], ["a", "b"]),
        # an exact tie (1st/2nd against 2nd/1st): the one the legs prefer by more; scaled
        # over each leg, a: 1 + 0, b: 0 + 1, c (worst in both) breaks the symmetry
        ([("a", 0.9), ("b", 0.5), ("c", 0.4)], [("b", 9.0), ("a", 8.9), ("c", 0.0)],
         ["a", "b", "c"]),
        ([("a", 0.9), ("b", 0.89), ("c", 0.4)], [("b", 9.0), ("a", 1.0), ("c", 0.0)],
         ["b", "a", "c"]),
        # the same whichever leg is listed first
        ([("b", 9.0), ("a", 1.0), ("c", 0.0)], [("a", 0.9), ("b", 0.89), ("c", 0.4)],
         ["b", "a", "c"]),
        # tied on ranks and on scaled scores: the earlier place in the corpus (path, offset)
        ([("b", 0.5), ("d", 0.4)], [("d", 5.0), ("b", 4.0)], ["d", "b"]),
        ([("a", 0.5), ("c", 0.4)], [("c", 5.0), ("a", 4.0)], ["c", "a"]),
    ],
)  # fmt: skip
def test_exact_ties_follow_the_stated_rule(
    dense: list[tuple[str, float]], bm25: list[tuple[str, float]], expected: list[str]
) -> None:
    fused = fuse([dense, bm25], POSITION)
    assert [key for key, _ in fused] == expected


def test_fused_scores_are_reciprocal_ranks() -> None:
    fused = dict(fuse([[("a", 0.9), ("b", 0.1)], [("b", 3.0)]], POSITION))
    assert fused["a"] == pytest.approx(1 / RRF_K)
    assert fused["b"] == pytest.approx(1 / (RRF_K + 1) + 1 / RRF_K)


def test_the_order_given_to_a_leg_does_not_matter() -> None:
    """Each leg is ranked by its scores, not by the order its hits arrive in."""
    one = fuse([[("a", 0.2), ("b", 0.9)], [("a", 1.0), ("b", 3.0)]], POSITION)
    two = fuse([[("b", 0.9), ("a", 0.2)], [("b", 3.0), ("a", 1.0)]], POSITION)
    assert one == two and one[0][0] == "b"


def test_the_retriever_breaks_ties_by_the_rule(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    """The fusion the retriever runs is fuse(): two nodes of a real index, each first in one
    leg, come out with the one the legs prefer by more ahead, in either arrival order."""
    from llama_index.core.schema import NodeWithScore

    corpus = write_corpus(tmp_path / "corpus", {
        "one.txt": "The quorvex mill grinds 40 tonnes of grain a day.",
        "two.txt": "The plexar ferry carries 300 passengers across the bay.",
        "three.txt": "The zintar tower is 212 metres tall.",
    })  # fmt: skip
    assistant = Assistant(make_settings(corpus))
    assistant.ingest()
    retriever = assistant.retriever
    first, second = retriever._nodes[:2]
    for dense_first in (first, second):
        dense_second = second if dense_first is first else first
        third = retriever._nodes[2]
        results = {  # dense_second: 0.96 + 1 scaled, dense_first: 1 + 0.5
            ("q", 0): [NodeWithScore(node=dense_first, score=0.9),
                       NodeWithScore(node=dense_second, score=0.88),
                       NodeWithScore(node=third, score=0.4)],
            ("q", 1): [NodeWithScore(node=dense_second, score=7.0),
                       NodeWithScore(node=dense_first, score=4.0),
                       NodeWithScore(node=third, score=1.0)],
        }  # fmt: skip
        fused = retriever.fusion._reciprocal_rerank_fusion(results)
        ids = [n.node.node_id for n in fused]
        assert ids == [dense_second.node_id, dense_first.node_id, third.node_id]
        assert fused[0].score == pytest.approx(fused[1].score)  # an exact tie
