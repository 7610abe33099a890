"""The API routes: /v1/models, /v1/chat/completions (OpenAI's shape) and /api/ask (the
`Answer` model as JSON). Every error is {"error": {message, type, param, code}}."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from remqa.errors import QuestionError, RemqaError, UnknownSourceError
from remqa.models import Answer
from remqa.server import openai_api
from remqa.server.auth import check_api_key
from remqa.server.errors import ApiError, read_json
from remqa.server.requests import AskRequest, ChatRequest, Turn, conversation, history_of, parse

if TYPE_CHECKING:
    from fastapi import FastAPI
    from starlette.requests import Request
    from starlette.responses import Response

    from remqa.assistant import Assistant

Handler = Callable[["Request"], Awaitable["Response"]]


def add_api_routes(api: FastAPI, assistant: Assistant, host: str) -> None:
    """Register the API on `api`; `host` is the address the server listens on (auth)."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse, StreamingResponse

    settings = assistant.settings

    def guarded(handler: Handler) -> Handler:
        async def run(request: Request) -> Response:
            try:
                check_api_key(request, settings, host)
                return await handler(request)
            except ApiError as exc:
                return exc.response()

        return run

    def answer(question: str, earlier: list[str | Turn], sources: list[str] | None) -> Answer:
        """Runs in a worker thread: answering is CPU work, the event loop stays free."""
        try:
            assistant.ensure_ready()  # the index a follow-up is understood with, too
            history = history_of(assistant, earlier)
            return assistant.ask(question, history=history, sources=sources)
        except UnknownSourceError as exc:
            raise ApiError(400, str(exc), code="unknown_source", param="sources") from None
        except QuestionError as exc:
            raise ApiError(400, str(exc), code="invalid_question") from None
        except RemqaError as exc:
            raise ApiError(503, str(exc), code="not_ready", kind="server_error") from None

    async def models(request: Request) -> Response:
        return JSONResponse({"object": "list", "data": [openai_api.model_card()]})

    async def model(request: Request) -> Response:
        openai_api.check_model(request.path_params["model"])
        return JSONResponse(openai_api.model_card())

    async def chat_completions(request: Request) -> Response:
        body = parse(
            ChatRequest, await read_json(request, settings.max_request_bytes), settings.max_messages
        )
        openai_api.check_model(body.model)
        question, earlier = conversation(body)
        result = await run_in_threadpool(answer, question, list(earlier), body.sources)
        if body.stream:
            return StreamingResponse(
                openai_api.stream_events(body, result),
                media_type="text/event-stream",
                headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
            )
        return JSONResponse(openai_api.completion(body, result))

    async def ask(request: Request) -> Response:
        body = parse(
            AskRequest, await read_json(request, settings.max_request_bytes), settings.max_messages
        )
        result = await run_in_threadpool(answer, body.question, list(body.history), body.sources)
        return JSONResponse(result.model_dump(mode="json"))

    routes: list[tuple[str, Handler, str]] = [
        ("/v1/models", models, "GET"),
        ("/v1/models/{model:path}", model, "GET"),
        ("/v1/chat/completions", chat_completions, "POST"),
        ("/api/ask", ask, "POST"),
    ]
    for path, handler, method in routes:
        api.add_route(path, guarded(handler), methods=[method], include_in_schema=False)
        # Otherwise another method falls through to the chat mounted at / and gets its 404.
        others = [m for m in ("GET", "POST", "PUT", "PATCH", "DELETE") if m != method]
        api.add_route(path, _wrong_method(method), methods=others, include_in_schema=False)


def _wrong_method(allowed: str) -> Handler:
    async def refuse(request: Request) -> Response:
        response = ApiError(
            405, f"{request.url.path} takes {allowed}, not {request.method}.", code="wrong_method"
        ).response()
        response.headers["Allow"] = allowed
        return response

    return refuse
