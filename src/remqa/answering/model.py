"""Scoring with learned weights shipped as plain JSON: no training library, no pickle.

Two kinds, both written by eval/train_selector.py:
- "linear": standardise the features, then a dot product and a bias;
- "trees": a gradient-boosted tree ensemble (LightGBM's, flattened into arrays), summed,
  evaluated for all rows at once with numpy.
An optional Platt scaling (a, b) turns a score into a probability: 1 / (1 + exp(-(a*s + b))).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


class Forest:
    """All trees of an ensemble padded into 2-D arrays (tree x node), so that one step down
    every tree for every row is a handful of numpy operations."""

    def __init__(self, trees: Sequence[dict[str, Sequence[float]]]) -> None:
        nodes = max(1, max(len(t["feature"]) for t in trees))
        leaves = max(len(t["leaf"]) for t in trees)
        count = len(trees)
        self.feature = np.zeros((count, nodes), dtype=np.int64)
        self.threshold = np.zeros((count, nodes))
        self.left = np.full((count, nodes), -1, dtype=np.int64)  # ~0: a lone leaf
        self.right = np.full((count, nodes), -1, dtype=np.int64)
        self.leaf = np.zeros((count, leaves))
        for i, tree in enumerate(trees):
            n = len(tree["feature"])
            self.feature[i, :n] = tree["feature"]
            self.threshold[i, :n] = tree["threshold"]
            self.left[i, :n] = tree["left"]
            self.right[i, :n] = tree["right"]
            self.leaf[i, : len(tree["leaf"])] = tree["leaf"]
        # A tree without splits is its single leaf: start it there.
        self.start = np.array([0 if len(t["feature"]) else -1 for t in trees], dtype=np.int64)
        self.depth = max(_depth(t) for t in trees)

    def predict(self, x: np.ndarray) -> np.ndarray:
        trees = np.arange(len(self.start))[:, None]
        rows = np.arange(len(x))[None, :]
        node = np.repeat(self.start[:, None], len(x), axis=1)
        for _ in range(self.depth):
            inner = node >= 0
            at = np.where(inner, node, 0)
            value = x[rows, self.feature[trees, at]]
            step = np.where(
                value <= self.threshold[trees, at], self.left[trees, at], self.right[trees, at]
            )
            node = np.where(inner, step, node)
        total: np.ndarray = self.leaf[trees, ~node].sum(axis=0)
        return total


def _depth(tree: dict[str, Sequence[float]]) -> int:
    """The number of splits on the longest path from the root to a leaf."""
    if not tree["feature"]:
        return 0
    depth, frontier = 0, [0]
    while frontier:
        depth += 1
        frontier = [
            int(child)
            for node in frontier
            for child in (tree["left"][node], tree["right"][node])
            if child >= 0
        ]
    return depth


class Scorer:
    """A learned scoring function over rows of named features."""

    def __init__(self, spec: dict[str, Any], features: Sequence[str]) -> None:
        self.kind = str(spec["kind"])
        names = list(spec["features"])
        if names != list(features):
            raise ValueError(
                "the weights were trained on other features; rebuild them with "
                "`python eval/train_selector.py`"
            )
        self.platt = tuple(spec.get("platt", (1.0, 0.0)))
        if self.kind == "linear":
            self.mean = np.asarray(spec["mean"], dtype=np.float64)
            self.scale = np.asarray(spec["scale"], dtype=np.float64)
            self.coef = np.asarray(spec["coef"], dtype=np.float64)
            self.bias = float(spec["bias"])
        elif self.kind == "trees":
            self.forest = Forest(spec["trees"])
            self.bias = float(spec.get("bias", 0.0))
        else:
            raise ValueError(f"unknown model kind {self.kind!r}")

    def score(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        x = np.asarray(rows, dtype=np.float64)
        if x.size == 0:
            return np.zeros(0)
        if self.kind == "linear":
            linear: np.ndarray = ((x - self.mean) / self.scale) @ self.coef + self.bias
            return linear
        summed: np.ndarray = self.forest.predict(x) + self.bias
        return summed

    def probability(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        a, b = self.platt
        probability: np.ndarray = 1.0 / (1.0 + np.exp(-(a * self.score(rows) + b)))
        return probability


def trees_from_lightgbm(dump: dict[str, Any]) -> list[dict[str, list[float]]]:
    """LightGBM's `booster.dump_model()` as flat arrays (numerical splits, '<=' only)."""
    return [_flatten(info["tree_structure"]) for info in dump["tree_info"]]


def _flatten(root: dict[str, Any]) -> dict[str, list[float]]:
    arrays: dict[str, list[float]] = {
        "feature": [], "threshold": [], "left": [], "right": [], "leaf": []
    }  # fmt: skip

    def visit(node: dict[str, Any]) -> int:
        if "split_feature" not in node:
            arrays["leaf"].append(float(node.get("leaf_value", 0.0)))
            return ~(len(arrays["leaf"]) - 1)
        if node.get("decision_type", "<=") != "<=":
            raise ValueError("only numerical '<=' splits are supported")
        index = len(arrays["feature"])
        arrays["feature"].append(int(node["split_feature"]))
        arrays["threshold"].append(float(node["threshold"]))
        arrays["left"].append(0)
        arrays["right"].append(0)
        arrays["left"][index] = visit(node["left_child"])
        arrays["right"][index] = visit(node["right_child"])
        return index

    visit(root)
    return arrays
