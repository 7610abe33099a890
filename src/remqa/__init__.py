"""remqa: question answering over your documents, with exact citations, offline by default."""

from remqa.assistant import Assistant
from remqa.errors import RemqaError
from remqa.models import Answer, Citation, IngestReport
from remqa.settings import Settings

__all__ = ["Answer", "Assistant", "Citation", "IngestReport", "RemqaError", "Settings"]
__version__ = "0.1.0"
