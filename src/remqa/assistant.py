"""Assistant: the Python API."""

from __future__ import annotations

from remqa.models import IngestReport
from remqa.settings import Settings


class Assistant:
    """Indexes a corpus and answers questions about it with exact citations."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()

    def ingest(self, rebuild: bool = False) -> IngestReport:
        """Bring the index in step with the corpus folder (incremental)."""
        from remqa.ingest import run_ingest

        return run_ingest(self.settings, rebuild=rebuild)
