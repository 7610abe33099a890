"""BM25 and corpus statistics saved with the index, so a start does not rebuild them.

Both are keyed by a fingerprint of the index's chunk ids: any ingest that changes the index
changes the fingerprint, and the next start rebuilds once and saves again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from remqa.models import Chunk
from remqa.text.stats import CorpusStats

logger = logging.getLogger(__name__)
T = TypeVar("T")


def fingerprint(chunks: Sequence[Chunk]) -> str:
    digest = hashlib.sha1()
    for chunk in chunks:
        digest.update(chunk.id.encode())
    return digest.hexdigest()[:20]


def cached(folder: Path, key: str, load: Callable[[Path], T], build: Callable[[Path], T]) -> T:
    """`load(folder/key)` when saved, else `build(tmp)` that saves into tmp, then publish tmp
    as folder/key atomically and drop older keys. A failed load falls back to a rebuild."""
    target = folder / key
    if target.is_dir():
        try:
            return load(target)
        except Exception as exc:  # noqa: BLE001 - a damaged cache is rebuilt, not fatal
            logger.warning("rebuilding %s (%s)", target, exc)
            shutil.rmtree(target, ignore_errors=True)
    tmp = folder / f".{key}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    value = build(tmp)
    try:
        tmp.rename(target)
    except OSError:  # another process published it first: theirs is the same
        shutil.rmtree(tmp, ignore_errors=True)
    for old in folder.iterdir():
        if old.name != key and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)
    return value


def save_stats(stats: CorpusStats, folder: Path) -> None:
    data = {
        "n": stats.n,
        "df": dict(stats.df),
        "acronyms": stats.acronyms,
        "lowercase": sorted(stats.lowercase),
    }
    (folder / "stats.json").write_text(json.dumps(data), encoding="utf-8")


def load_stats(folder: Path) -> CorpusStats:
    data: dict[str, Any] = json.loads((folder / "stats.json").read_text(encoding="utf-8"))
    stats = CorpusStats([])
    stats.n = int(data["n"])
    stats.df = Counter(data["df"])
    stats.acronyms = {k: tuple(v) for k, v in data["acronyms"].items()}
    stats.lowercase = set(data["lowercase"])
    return stats
