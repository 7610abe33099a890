"""The OpenAI Chat Completions API over remqa, so the tools people already run (Open WebUI,
LibreChat, editor plugins, the `openai` client) can ask remqa as if it were a model.

The last user message is the question, the user messages before it the conversation. The
reply's content is the answer with its [n] markers followed by its numbered sources; the
response also carries `citations` (source, page, offsets, quote) and `refused` as fields of
their own, in a stream's last chunk too. A stream sends the answer only once it is checked:
with an LLM backend, text whose figures were not yet verified is never sent.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from remqa.models import Answer
from remqa.server.errors import ApiError

if TYPE_CHECKING:
    from remqa.server.requests import ChatRequest

MODEL_ID = "remqa"
CREATED = 1767225600  # 2026-01-01: a fixed date, as the model does not change per request
STREAM_WORDS = 8  # words per streamed chunk


def model_card() -> dict[str, Any]:
    return {"id": MODEL_ID, "object": "model", "created": CREATED, "owned_by": "remqa"}


def check_model(name: str) -> None:
    if name != MODEL_ID:
        raise ApiError(
            404,
            f"The model {name!r} does not exist here; this server answers as {MODEL_ID!r} "
            "(see GET /v1/models).",
            code="model_not_found",
            param="model",
        )


def reply_text(answer: Answer) -> str:
    """The answer, then its sources as a numbered Markdown list, so a chat UI that shows only
    the content still shows where each [n] comes from."""
    if not answer.citations:
        return answer.text
    lines = [answer.text, "", "Sources:"]
    for c in answer.citations:
        quote = " ".join(c.quote.split())
        place = f", {c.place}" if c.place else ""
        lines.append(f"[{c.id}] {c.source}{place}, characters {c.start}-{c.end}: “{quote}”")
    return "\n".join(lines)


def extras(answer: Answer) -> dict[str, Any]:
    """remqa's fields beside OpenAI's: what a client needs to show or check the sources."""
    return {
        "refused": answer.refused,
        "citations": [c.model_dump(mode="json") for c in answer.citations],
        "sources": answer.sources,  # the files it was limited to; empty: all
    }


def _usage(request: ChatRequest, content: str) -> dict[str, int]:
    """Counted in words: there is no tokenizer of a generating model to count with."""
    prompt = sum(len(m.text().split()) for m in request.messages)
    completion = len(content.split())
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def new_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex}"


def completion(request: ChatRequest, answer: Answer) -> dict[str, Any]:
    content = reply_text(answer)
    return {
        "id": new_id(),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": MODEL_ID,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": _usage(request, content),
        **extras(answer),
    }


def _event(payload: dict[str, Any] | str) -> str:
    data = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    return f"data: {data}\n\n"


def stream_events(request: ChatRequest, answer: Answer) -> Iterator[str]:
    """Server-sent events in the shape of OpenAI's chat.completion.chunk, then [DONE]."""
    content = reply_text(answer)
    head = {
        "id": new_id(),
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": MODEL_ID,
    }

    def chunk(delta: dict[str, Any], finish: str | None = None, **more: Any) -> str:
        choice = {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
        return _event({**head, "choices": [choice], **more})

    yield chunk({"role": "assistant", "content": ""})
    words = content.split(" ")
    for i in range(0, len(words), STREAM_WORDS):
        piece = " ".join(words[i : i + STREAM_WORDS])
        yield chunk({"content": piece if i == 0 else " " + piece})
    yield chunk({}, "stop", **extras(answer))
    if request.stream_options is not None and request.stream_options.include_usage:
        yield _event({**head, "choices": [], "usage": _usage(request, content)})
    yield _event("[DONE]")
