"""eval/fusion_grid.py measures other fusions: its shipped setting must rank as remqa does."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from remqa.retrieval.fusion import RRF_K, fuse

SCRIPT = Path(__file__).resolve().parent.parent / "eval" / "fusion_grid.py"


def _grid() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fusion_grid", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _hit(key: str, start: int) -> tuple[str, str, int, int]:
    return (key, "a.txt", start, start + 100)


def test_the_grid_at_the_shipped_setting_ranks_as_remqa_fuses() -> None:
    grid = _grid()
    dense = [_hit("a", 0), _hit("b", 100), _hit("c", 200), _hit("d", 300)]
    bm25 = [_hit("c", 200), _hit("d", 300), _hit("e", 400)]
    ours = [h[0] for h in grid.fuse([dense, bm25], 1.0, RRF_K)]
    scored = [[(h[0], float(len(leg) - n)) for n, h in enumerate(leg)] for leg in (dense, bm25)]
    assert ours == [key for key, _ in fuse(scored, {})]
    # a small k with the dense leg under BM25 puts BM25's first hit first
    assert grid.fuse([dense, bm25], 0.6, 2.0)[0][0] == "c"


def test_a_hit_holds_the_whole_gold_span_at_its_depth() -> None:
    grid = _grid()
    legs = [[_hit("a", 0), _hit("b", 100)], []]
    assert grid.hit_rates([("read", [("a.txt", 120, 150)], legs)], 1.0, 60.0) == [0.0, 1.0, 1.0]
    assert grid.hit_rates([("read", [("a.txt", 150, 250)], legs)], 1.0, 60.0) == [0.0, 0.0, 0.0]
    assert grid.hit_rates([("read", [("b.txt", 10, 20)], legs)], 1.0, 60.0) == [0.0, 0.0, 0.0]
