"""Sentence vectors saved with the index, so a question embeds only itself.

Embedding the candidate sentences of each question was most of a warm answer's time on a
large corpus (about 9 new sentences, 3-4 ms each). The index's sentences are embedded once,
when the index is opened after a change, and saved here. Keys are SHA-1 digests of the
sentence text: the store follows the text, so after an ingest only new sentences are
embedded. Plain arrays (npz, no pickle); the embedding model that made them is recorded, and
a store made by another model, or one that cannot be read, is ignored and made again.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

FILE_NAME = "sentence-vectors.npz"


def text_key(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8")).digest()


def load_vectors(path: Path, model: str) -> dict[bytes, np.ndarray]:
    """The saved vectors by text key; {} when there are none, or they were made by another
    model, or the file cannot be read (it is then made again)."""
    if not path.is_file():
        return {}
    try:
        with np.load(path, allow_pickle=False) as saved:
            if str(saved["model"]) != model:
                return {}
            keys, vectors = saved["keys"], saved["vectors"]
            if len(keys) != len(vectors):
                raise ValueError(f"{len(keys)} keys for {len(vectors)} vectors")
            if keys.dtype != np.uint8 or keys.shape[1:] != (20,):
                raise ValueError(f"keys of {keys.dtype} {keys.shape}")
            return {k.tobytes(): v for k, v in zip(keys, vectors.astype(np.float32), strict=True)}
    except Exception as exc:  # noqa: BLE001 - a damaged store is rebuilt, not fatal
        logger.warning("making the sentence vectors again (%s: %s)", path, exc)
        return {}


def save_vectors(path: Path, model: str, vectors: Mapping[bytes, np.ndarray]) -> None:
    """Write atomically: a reader never sees half a file, and a failed write keeps the old."""
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = list(vectors)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as out:
        np.savez(
            out,
            model=np.array(model),
            # raw bytes, (n, 20): numpy's bytes type would drop a digest's trailing zeros
            keys=np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), 20),
            vectors=np.stack([vectors[k] for k in keys]) if keys else np.zeros((0, 0), np.float32),
        )
    os.replace(tmp, path)


def keys_of(texts: Iterable[str]) -> dict[bytes, str]:
    return {text_key(t): t for t in texts}
