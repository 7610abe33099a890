"""A file of the corpus named by a citation's `source`, and nothing else: no way out of the
corpus folder (`..`, an absolute path, a symlink pointing elsewhere), no hidden file."""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

from remqa.errors import CorpusError
from remqa.ingest.loaders import SUPPORTED_SUFFIXES


class OutsideCorpus(CorpusError):
    """The name points outside the corpus folder, or at a file that is not a document."""


def corpus_file(corpus_dir: Path, source: str) -> Path:
    """The document `source` (a path relative to the corpus folder, as citations give it);
    OutsideCorpus when it names anything else."""
    refused = OutsideCorpus(
        f"{source[:200]!r} is not a document of the corpus; open a source from an answer."
    )
    parts = PurePosixPath(source).parts
    if (
        not source or "\x00" in source or "\\" in source
        or PurePosixPath(source).is_absolute() or PureWindowsPath(source).drive
        or any(part in ("..", ".") or part.startswith(".") for part in parts)
    ):  # fmt: skip
        raise refused
    root = corpus_dir.resolve()
    path = (root / source).resolve()  # symlinks followed: one out of the corpus is refused
    if not path.is_relative_to(root) or path == root:
        raise refused
    if not path.is_file() or path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise CorpusError(f"{source[:200]!r} is not in the corpus (any more); ask again.")
    return path
