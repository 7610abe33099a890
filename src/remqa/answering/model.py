"""Scoring with learned weights shipped as plain JSON: no training library, no pickle.

Two kinds, both written by eval/train_selector.py:
- "linear": standardise the features, then a dot product and a bias;
- "trees": a gradient-boosted tree ensemble (LightGBM's, flattened into arrays), summed,
  evaluated for all rows at once with numpy.
An optional Platt scaling (a, b) turns a score into a probability: 1 / (1 + exp(-(a*s + b))).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Tree:
    feature: np.ndarray  # per internal node: the feature index
    threshold: np.ndarray  # go left when x[feature] <= threshold
    left: np.ndarray  # child index; a negative child ~k is leaf k
    right: np.ndarray
    leaf: np.ndarray  # leaf values

    def predict(self, x: np.ndarray) -> np.ndarray:
        if len(self.feature) == 0:
            return np.full(len(x), self.leaf[0])
        node = np.zeros(len(x), dtype=np.int64)
        active = np.ones(len(x), dtype=bool)
        rows = np.arange(len(x))
        while active.any():
            idx = node[active]
            go_left = x[rows[active], self.feature[idx]] <= self.threshold[idx]
            node[active] = np.where(go_left, self.left[idx], self.right[idx])
            active = node >= 0
        return self.leaf[~node]


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
            self.trees = [
                Tree(
                    np.asarray(t["feature"], dtype=np.int64),
                    np.asarray(t["threshold"], dtype=np.float64),
                    np.asarray(t["left"], dtype=np.int64),
                    np.asarray(t["right"], dtype=np.int64),
                    np.asarray(t["leaf"], dtype=np.float64),
                )
                for t in spec["trees"]
            ]
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
        summed: np.ndarray = np.sum([t.predict(x) for t in self.trees], axis=0) + self.bias
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
