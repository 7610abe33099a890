"""Errors a user can act on. Every message says what went wrong and how to fix it."""

from __future__ import annotations


class RemqaError(Exception):
    """Base class; the CLI prints the message on one line and exits with `exit_code`."""

    exit_code = 2


class CorpusError(RemqaError):
    """The corpus folder is missing or holds nothing that can be indexed."""


class IndexMismatchError(RemqaError):
    """The index was built with another embedding model or chunking."""


class IndexLockedError(RemqaError):
    """Another ingest holds the index."""


class IndexCorruptError(RemqaError):
    """The index cannot be opened or read."""


class IndexMissingError(RemqaError):
    """No index has been built yet."""


class QuestionError(RemqaError):
    """The question cannot be answered as asked (empty, too long)."""


class ModelCacheError(RemqaError):
    """The embedding model's ONNX files cannot be made or stored on this machine."""


class UnknownSourceError(QuestionError):
    """A question was limited to a file name the index does not hold."""
