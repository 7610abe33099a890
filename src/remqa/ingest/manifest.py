"""The list of indexed files and skipped ones, kept beside the index for the Documents panel.

Written atomically at the end of every ingest (index_dir/documents.json), so the page can
list what is indexed without reading every chunk's metadata from Chroma.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import ValidationError

from remqa.models import Documents

MANIFEST = "documents.json"


def read_manifest(index_dir: Path) -> Documents:
    """The last ingest's list; empty when there is none (or it cannot be read)."""
    try:
        return Documents.model_validate_json((index_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValidationError, ValueError):
        return Documents()


def write_manifest(index_dir: Path, documents: Documents) -> None:
    index_dir.mkdir(parents=True, exist_ok=True)
    partial = index_dir / f".{MANIFEST}.{os.getpid()}.tmp"
    partial.write_text(documents.model_dump_json(indent=1), encoding="utf-8")
    partial.replace(index_dir / MANIFEST)
