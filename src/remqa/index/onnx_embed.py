"""The embedding model run by onnxruntime: the packaged MiniLM exported to ONNX.

The fp32 export (the default) gives the same vectors as sentence-transformers (cosine 1.0 in
the tests); the opt-in int8 one (per-channel dynamic quantization) encodes about twice as
fast with vectors at cosine 0.99 to fp32. Either way the question path needs neither torch
nor sentence-transformers, which is most of a cold start. The files come from
model_cache.py.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from remqa.index.onnx_export import model_dir

MAX_TOKENS = 256  # the model's max_seq_length, as sentence-transformers truncates
BATCH = 16  # measured best on 2 cores for 60-word chunks (16: 128/s, 32: 110/s)


class OnnxEmbedding(BaseEmbedding):
    """LlamaIndex embedding backed by onnxruntime and the `tokenizers` library."""

    model_path: str
    _session: Any = PrivateAttr()
    _tokenizer: Any = PrivateAttr()

    def __init__(self, model_path: Path, **kwargs: Any) -> None:
        super().__init__(
            model_name="sentence-transformers/all-MiniLM-L6-v2",
            model_path=str(model_path),
            **kwargs,
        )
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(model_path), options, providers=["CPUExecutionProvider"]
        )
        tokenizer = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._tokenizer = tokenizer

    def _encode(self, texts: list[str]) -> list[list[float]]:
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # little padding
        out: list[Any] = [None] * len(texts)
        for start in range(0, len(order), BATCH):
            ids = order[start : start + BATCH]
            encoded = self._tokenizer.encode_batch([texts[i] for i in ids])
            feeds = {
                "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
            }
            vectors = self._session.run(None, feeds)[0]
            for i, vector in zip(ids, vectors, strict=True):
                out[i] = vector.tolist()
        return out

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._encode([query])[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._encode([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)
