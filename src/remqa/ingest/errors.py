"""Why a file is skipped: raised by the loaders, reported by ingest, never fatal."""

from __future__ import annotations


class UnreadableFile(Exception):
    """Raised by a loader with the reason the file is skipped, in words a person can act on."""
