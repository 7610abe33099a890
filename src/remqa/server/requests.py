"""The request bodies the HTTP API accepts, and how a conversation becomes a question with
its history. Extra fields OpenAI clients send (temperature, max_tokens, user, ...) are
accepted and ignored: an extractive answer has nothing for them to tune. Both routes take
`sources`, the files to answer from (OpenAI clients send it with `extra_body`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from remqa.models import Answer
from remqa.server.errors import ApiError, validation_message

if TYPE_CHECKING:
    from remqa.assistant import Assistant

# Earlier questions resolved in turn, so "And germanium?" after "And antimony?" after
# "What share of gallium ..." still knows what is asked; older ones no longer matter.
RESOLVED_TURNS = 4


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str
    text: str | None = None


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return " ".join(p.text or "" for p in self.content if p.type == "text")
        return self.content or ""


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")

    include_usage: bool = False


class ChatRequest(BaseModel):
    """POST /v1/chat/completions."""

    model_config = ConfigDict(extra="allow")

    model: str
    messages: list[Message] = Field(min_length=1)
    stream: bool = False
    stream_options: StreamOptions | None = None
    sources: list[str] | None = Field(
        None, description="Answer only from these files (names as /documents lists them)."
    )


class Turn(BaseModel):
    """An earlier turn for /api/ask: its question, and optionally the Answer JSON returned
    for it (only `resolved_question` is read from that)."""

    model_config = ConfigDict(extra="ignore")

    question: str
    resolved_question: str | None = None


class AskRequest(BaseModel):
    """POST /api/ask."""

    model_config = ConfigDict(extra="forbid")

    question: str
    history: list[Turn] = Field(default_factory=list)
    sources: list[str] | None = Field(
        None, description="Answer only from these files (names as /documents lists them)."
    )


T = TypeVar("T", bound=BaseModel)


def parse(model: type[T], body: Any, max_items: int) -> T:
    """Validate a decoded body; lists longer than `max_items` are refused before any of their
    items is looked at."""
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object.", code="invalid_body")
    for field in ("messages", "history", "sources"):
        items = body.get(field)
        if isinstance(items, list) and len(items) > max_items:
            raise ApiError(
                400,
                f"'{field}' has {len(items):,} items; the limit is {max_items:,} "
                "(REMQA_MAX_MESSAGES). Send only the recent part of the conversation.",
                code="too_many_messages",
                param=field,
            )
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        message, where = validation_message(exc)
        raise ApiError(400, message, code="invalid_value", param=where) from None


def conversation(request: ChatRequest) -> tuple[str, list[str]]:
    """(the question: the last user message, the user messages before it)."""
    asked = [m.text() for m in request.messages if m.role == "user"]
    asked = [q for q in asked if q.strip()]
    if not asked:
        raise ApiError(
            400,
            "The messages hold no user message with text: put the question in a message "
            'with "role": "user".',
            code="empty_question",
            param="messages",
        )
    return asked[-1], asked[:-1]


def history_of(assistant: Assistant, earlier: list[str | Turn]) -> list[tuple[str, Answer]]:
    """The history `Assistant.ask` takes: the last earlier question, understood through the
    ones before it when they are follow-ups too."""
    if not earlier:
        return []
    resolved: str | None = None
    question = ""
    limit = assistant.settings.max_question_chars
    for item in earlier[-RESOLVED_TURNS:]:
        question = " ".join((item if isinstance(item, str) else item.question).split())[:limit]
        given = None if isinstance(item, str) else item.resolved_question
        if given:
            resolved = " ".join(given.split())[:limit]
        elif question:
            resolved = assistant.resolve(question, [(resolved, resolved)] if resolved else [])
    if not question:
        return []
    return [(question, Answer(question=question, text="", resolved_question=resolved))]
