"""Opening Chroma: an embedded PersistentClient in the index folder, or a Chroma server."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlparse

from remqa.errors import IndexCorruptError, RemqaError
from remqa.settings import Settings

if TYPE_CHECKING:
    from chromadb.api import ClientAPI


def describe_store(settings: Settings) -> str:
    return settings.chroma_url or f"{settings.index_dir}/"


def open_client(settings: Settings) -> ClientAPI:
    """A Chroma client for the configured store; errors say how to recover."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise RemqaError(
                f"REMQA_CHROMA_URL={settings.chroma_url!r} is not a URL like http://127.0.0.1:8000"
            )
        try:
            return chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        except Exception as exc:
            raise RemqaError(
                f"Cannot reach the Chroma server at {settings.chroma_url} ({exc}). Start it with "
                "`chroma run --path DIR --host 127.0.0.1 --port N`, or unset REMQA_CHROMA_URL."
            ) from None
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    try:
        return chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)
    except Exception as exc:
        raise IndexCorruptError(
            f"The index in {settings.index_dir}/ cannot be opened ({type(exc).__name__}: {exc}). "
            "Rebuild it with `remqa ingest --rebuild`."
        ) from None
