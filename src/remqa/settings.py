"""The one settings object. Built at the entry points (CLI, app.py, tests) and passed in."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from remqa.errors import RemqaError


class Settings(BaseSettings):
    """Everything remqa can be told; each field can be set as an env var `REMQA_<NAME>`."""

    model_config = SettingsConfigDict(env_prefix="REMQA_", extra="ignore")

    corpus_dir: Path = Field(Path("corpus"), description="Folder of documents to index.")
    index_dir: Path = Field(Path("index"), description="Folder where the Chroma index lives.")
    chroma_url: str | None = Field(
        None,
        description="http://host:port of a Chroma server; unset: embedded Chroma in index_dir.",
    )
    collection: str = Field("remqa", description="Chroma collection name.")

    chunk_max_words: int = Field(60, ge=20, le=2000, description="Largest chunk, in words.")
    chunk_overlap_sentences: int = Field(1, ge=0, le=5, description="Sentences shared by chunks.")
    embed_batch_size: int = Field(64, ge=1, le=4096)
    embed_backend: Literal["auto", "onnx", "onnx-int8", "torch"] = Field(
        "auto",
        description="auto: a new or rebuilt index in per-channel int8 ONNX (1.4x faster "
        "ingest, the same answers; PyTorch fp32 with a notice when the model cache cannot be "
        "written), an existing index in its own precision; onnx: ONNX Runtime fp32; "
        "onnx-int8: int8 only; torch: sentence-transformers (fp32). Changing an index's "
        "precision needs `remqa ingest --rebuild`.",
    )
    model_cache_dir: Path | None = Field(
        None,
        description="Where the exported ONNX models are kept, once per machine and shared "
        "by every index (default: the user cache folder, e.g. ~/.cache/remqa/models).",
    )
    max_file_bytes: int = Field(20_000_000, ge=1, description="Larger files are skipped.")
    max_upload_bytes: int = Field(
        100_000_000, ge=1, description="Most bytes added from the page in one batch."
    )
    max_upload_files: int = Field(20, ge=1, description="Most files added from the page at once.")
    allow_uploads: bool | None = Field(
        None,
        description="Adding and removing documents from the page. Unset: on when the chat is "
        "bound to a loopback address or REMQA_AUTH is set; off otherwise.",
    )

    top_k: int = Field(10, ge=1, le=50, description="Passages retrieved and read per question.")
    selector_weights: Path | None = Field(
        None,
        description="Answer-selector weights (JSON); unset: the ones shipped with remqa.",
    )
    refusal_threshold: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="Refuse when the selector's P(the passages answer) (an answer's "
        "answerability, read from its five likeliest sentences) is below this; unset: the "
        "threshold trained with the weights (4% of answerable training questions refused, "
        "on predictions for questions the models did not see). Lower answers more, higher "
        "refuses more.",
    )
    max_question_chars: int = Field(1000, ge=10, description="Longer questions are refused.")
    max_citations: int = Field(6, ge=1, le=50, description="Most passages shown per answer.")
    refresh_seconds: float = Field(
        2.0, ge=0, description="How often a running app checks the index for a newer ingest."
    )

    llm: Literal["extractive", "openai-like", "ollama"] = "extractive"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout: float = Field(30.0, gt=0)

    show_progress: bool = Field(True, description="Progress bars on the terminal.")

    host: str = Field("127.0.0.1", description="Address the chat server binds to (loopback).")
    port: int = Field(7860, ge=1, le=65535)
    auth: SecretStr | None = Field(
        None, description='Login for the chat, "user:password"; unset: no login.'
    )
    api_key: SecretStr | None = Field(
        None,
        description="Bearer token for the HTTP API (/v1/..., /api/ask); required from "
        "clients whenever it is set, and needed for the API to answer at all when the server "
        "is not on a loopback address.",
    )
    max_request_bytes: int = Field(
        2_000_000, ge=1_000, description="Largest HTTP API request body, in bytes."
    )
    max_messages: int = Field(
        500, ge=1, description="Most messages in one chat completion request."
    )
    chat_secret_file: Path | None = Field(
        None,
        description="File with the key that encrypts the conversation each browser keeps, "
        "made (owner-only) on first launch so conversations survive a server restart "
        "(default: the user data folder, e.g. ~/.local/share/remqa/chat-secret).",
    )

    def auth_pair(self) -> tuple[str, str] | None:
        """The chat login as (user, password), or None when no login is configured."""
        if self.auth is None:
            return None
        user, sep, password = self.auth.get_secret_value().partition(":")
        if not sep or not user or not password:
            raise RemqaError('REMQA_AUTH must look like "user:password".')
        return user, password


def is_loopback(host: str) -> bool:
    """Whether an address to bind to is reachable only from this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
