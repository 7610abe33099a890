"""LLM backends through LlamaIndex's integrations, built from Settings. Imported only when a
backend is configured: `import remqa` never loads an LLM client."""

from __future__ import annotations

from typing import TYPE_CHECKING

from remqa.errors import RemqaError
from remqa.settings import Settings

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

DEFAULT_URLS = {"openai-like": "http://127.0.0.1:8000/v1", "ollama": "http://127.0.0.1:11434"}


def describe_backend(settings: Settings) -> str:
    if settings.llm == "extractive":
        return "extractive"
    return f"{settings.llm}:{settings.llm_model or '?'}@{backend_url(settings)}"


def backend_url(settings: Settings) -> str:
    return settings.llm_base_url or DEFAULT_URLS.get(settings.llm, "")


def build_llm(settings: Settings) -> LLM:
    """The configured LLM client; errors say which setting or package is missing."""
    if not settings.llm_model:
        raise RemqaError(
            f"REMQA_LLM={settings.llm} needs a model name: set REMQA_LLM_MODEL (e.g. llama3.1)."
        )
    try:
        if settings.llm == "openai-like":
            from llama_index.llms.openai_like import OpenAILike

            return OpenAILike(
                model=settings.llm_model,
                api_base=backend_url(settings),
                api_key=settings.llm_api_key.get_secret_value() if settings.llm_api_key else "none",
                is_chat_model=True,
                timeout=settings.llm_timeout,
                max_retries=0,
                temperature=0.0,
            )
        if settings.llm == "ollama":
            from llama_index.llms.ollama import Ollama

            return Ollama(
                model=settings.llm_model,
                base_url=backend_url(settings),
                request_timeout=settings.llm_timeout,
                context_window=8192,  # known up front: no /api/show round trip
                temperature=0.0,
            )
    except ImportError:
        raise RemqaError(
            f"REMQA_LLM={settings.llm} needs the LLM extra: pip install 'remqa[llm]'."
        ) from None
    raise RemqaError(f"Unknown REMQA_LLM={settings.llm!r}; use extractive, openai-like or ollama.")
