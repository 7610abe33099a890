"""The ONNX embedding path gives the same vectors as sentence-transformers (PyTorch)."""

from __future__ import annotations

import numpy as np

from remqa.index.embedding import load_embed_model
from remqa.index.model_cache import cached_model
from remqa.index.onnx_embed import OnnxEmbedding
from remqa.retrieval.similarity import SentenceSimilarity

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



def test_a_sentence_scores_the_same_whatever_is_scored_beside_it() -> None:
    # The int8 model's dynamic quantization scales by its whole input: batched, a sentence's
    # vector would change with the sentences beside it, so an answer with what was asked
    # before. SentenceSimilarity embeds each sentence on its own.
    int8 = OnnxEmbedding(cached_model("int8"))
    batched = [np.array(int8.get_text_embedding_batch(group))[-1] for group in
               ([TEXTS[1]], [TEXTS[2], TEXTS[3], TEXTS[1]])]  # fmt: skip
    assert not np.array_equal(*batched)  # what the similarity must not do
    query = int8.get_query_embedding("Who produces gallium?")
    alone = SentenceSimilarity(int8).scores(query, [TEXTS[1]])[0]
    beside = SentenceSimilarity(int8).scores(query, [TEXTS[2], TEXTS[3], TEXTS[1]])[-1]
    assert alone == beside
