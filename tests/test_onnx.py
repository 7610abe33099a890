"""The ONNX embedding path gives the same vectors as sentence-transformers (PyTorch)."""

from __future__ import annotations

import numpy as np

from remqa.index.embedding import load_embed_model
from remqa.index.model_cache import cached_model
from remqa.index.onnx_embed import OnnxEmbedding

TEXTS = [
    "Gallium?",
    "China accounts for 48% of global antimony production, 59.2% of refined germanium "
    "production and 98.8% of gallium production.",
    "word " * 400,  # longer than the model's 256 tokens: truncated the same way
    "Ünïcödé — ‘quotes’ and emoji 🚀 in 2024.",
    "",
]


def test_onnx_export_matches_pytorch_on_mixed_lengths() -> None:
    onnx = OnnxEmbedding(cached_model("fp32"))  # the run's own cache (conftest)
    torch_model = load_embed_model()
    a = np.array(onnx.get_text_embedding_batch(TEXTS))  # one padded batch
    b = np.array(torch_model.get_text_embedding_batch(TEXTS))
    cosine = (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    assert a.shape == (len(TEXTS), 384)
    assert cosine.min() > 0.9999, cosine
    single = np.array(onnx.get_query_embedding(TEXTS[1]))
    assert float(single @ a[1]) > 0.9999  # alone or in a batch: the same vector
