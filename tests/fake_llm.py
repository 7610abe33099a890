"""A fake LLM server for tests: OpenAI-compatible and Ollama HTTP APIs on loopback.

No model can run on the test machines, so tests point the real LlamaIndex clients
(``OpenAILike`` and ``Ollama``) at this server and script its replies::

    with FakeLLMServer() as llm:
        llm.queue(Script(reply="The reactor makes 412 MW."), Script(status=500))
        client = OpenAILike(model="fake-model", api_base=llm.url + "/v1", api_key="x",
                            is_chat_model=True, timeout=5, max_retries=0)
        ...
        assert "reactor" in llm.requests[-1]["messages"][-1]["content"]

Scripts are consumed in order by the generation endpoints (``/v1/chat/completions``,
``/v1/completions``, ``/api/chat``, ``/api/generate``); once the queue is empty the last
script is replayed. Metadata endpoints (``/v1/models``, ``/api/tags``, ``/api/show``,
``/api/version``, ``/api/ps``, ``/``) never consume a script.

Standard library only.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

__all__ = ["FakeLLMServer", "Script", "split_reply"]

JSON = "application/json"
WORDS_PER_CHUNK = 3

_Wrap = Callable[[str], dict[str, Any]]  # reply text -> the content part of an Ollama answer


@dataclass
class Script:
    """One scripted answer of the fake server."""

    reply: str = ""  # the assistant message content to return
    status: int = 200  # HTTP status to answer with
    delay: float = 0.0  # seconds to sleep before answering (to test timeouts)
    raw_body: bytes | None = None  # if set, sent verbatim as the body (malformed JSON tests)


def split_reply(reply: str, words: int = WORDS_PER_CHUNK) -> list[str]:
    """Cut ``reply`` into pieces of about ``words`` words; ``"".join(pieces) == reply``."""
    tokens = re.findall(r"\s*\S+", reply)
    pieces = ["".join(tokens[i : i + words]) for i in range(0, len(tokens), words)]
    tail = reply[len("".join(pieces)) :]  # trailing whitespace, if any
    if tail:
        if pieces:
            pieces[-1] += tail
        else:
            pieces = [tail]
    return pieces


def _count_words(value: object) -> int:
    """A rough token count of everything textual in a request body."""
    if isinstance(value, str):
        return len(value.split())
    if isinstance(value, dict):
        return sum(_count_words(v) for v in value.values())
    if isinstance(value, list):
        return sum(_count_words(v) for v in value)
    return 0


def _now_iso() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # never wait for a handler still sleeping on a delay

    def __init__(self, fake: FakeLLMServer) -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out and hung up is expected; don't print tracebacks.
        return


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.0"  # one request per connection; streams end on close

    def log_message(self, format: str, *args: Any) -> None:
        return  # no request logging to stderr

    # -- plumbing ---------------------------------------------------------------------------

    @property
    def fake(self) -> FakeLLMServer:
        return self.server.fake

    def _send(self, status: int, body: bytes, content_type: str = JSON) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def _send_json(self, status: int, payload: object) -> None:
        self._send(status, json.dumps(payload).encode())

    def _send_error_json(self, status: int, message: str) -> None:
        self._send_json(status, {"error": {"message": message}})

    def _start_stream(self, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.flush()

    def _write(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()

    def _read_json(self) -> dict[str, Any] | None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return None
        return body if isinstance(body, dict) else None

    # -- dispatch ---------------------------------------------------------------------------

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0].rstrip("/")
        try:
            if path == "/v1/models":
                self._send_json(200, self.fake._models_payload())
            elif path == "/api/tags":
                self._send_json(200, self.fake._tags_payload())
            elif path == "/api/ps":
                self._send_json(200, {"models": []})
            elif path == "/api/version":
                self._send_json(200, {"version": "0.12.0"})
            elif path == "":
                self._send(200, b"Ollama is running", "text/plain; charset=utf-8")
            else:
                self._send_error_json(404, f"not found: GET {self.path}")
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_POST(self) -> None:
        path = self.path.split("?", 1)[0].rstrip("/")
        body = self._read_json()
        try:
            if body is None:
                self._send_error_json(400, "request body is not a JSON object")
                return
            self.fake._record(path, body)
            if path == "/api/show":
                self._send_json(200, self.fake._show_payload())
                return
            generators = {
                "/v1/chat/completions": self._openai_chat,
                "/v1/completions": self._openai_completion,
                "/api/chat": self._ollama_chat,
                "/api/generate": self._ollama_generate,
            }
            handler = generators.get(path)
            if handler is None:
                self._send_error_json(404, f"not found: POST {self.path}")
                return
            script = self.fake._next_script()
            if script.delay > 0 and self.fake._closing.wait(script.delay):
                return  # server is shutting down
            if script.raw_body is not None:
                self._send(script.status, script.raw_body)
            elif script.status != 200:
                self._send_error_json(script.status, "scripted failure")
            else:
                handler(body, script.reply)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. its timeout fired during a delay)

    # -- OpenAI-compatible ------------------------------------------------------------------

    def _usage(self, body: dict[str, Any], reply: str) -> dict[str, int]:
        prompt = _count_words(body.get("messages", body.get("prompt", "")))
        completion = len(reply.split())
        return {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        }

    def _sse(self, payload: object) -> None:
        self._write(b"data: " + json.dumps(payload).encode() + b"\n\n")

    def _openai_chat(self, body: dict[str, Any], reply: str) -> None:
        model = str(body.get("model") or self.fake.model)
        ident = "chatcmpl-" + uuid.uuid4().hex
        created = int(time.time())
        usage = self._usage(body, reply)
        if not body.get("stream"):
            self._send_json(
                200,
                {
                    "id": ident,
                    "object": "chat.completion",
                    "created": created,
                    "model": model,
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": reply},
                            "logprobs": None,
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": usage,
                },
            )
            return

        def chunk(delta: dict[str, str], finish: str | None) -> dict[str, Any]:
            return {
                "id": ident,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [
                    {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
                ],
            }

        self._start_stream("text/event-stream")
        for i, piece in enumerate(split_reply(reply)):
            delta = {"role": "assistant", "content": piece} if i == 0 else {"content": piece}
            self._sse(chunk(delta, None))
        self._sse(chunk({}, "stop"))
        if (body.get("stream_options") or {}).get("include_usage"):
            self._sse({**chunk({}, None), "choices": [], "usage": usage})
        self._write(b"data: [DONE]\n\n")

    def _openai_completion(self, body: dict[str, Any], reply: str) -> None:
        model = str(body.get("model") or self.fake.model)
        ident = "cmpl-" + uuid.uuid4().hex
        created = int(time.time())
        usage = self._usage(body, reply)

        def payload(text: str, finish: str | None) -> dict[str, Any]:
            return {
                "id": ident,
                "object": "text_completion",
                "created": created,
                "model": model,
                "choices": [{"index": 0, "text": text, "logprobs": None, "finish_reason": finish}],
            }

        if not body.get("stream"):
            self._send_json(200, {**payload(reply, "stop"), "usage": usage})
            return
        self._start_stream("text/event-stream")
        for piece in split_reply(reply):
            self._sse(payload(piece, None))
        self._sse(payload("", "stop"))
        if (body.get("stream_options") or {}).get("include_usage"):
            self._sse({**payload("", None), "choices": [], "usage": usage})
        self._write(b"data: [DONE]\n\n")

    # -- Ollama -----------------------------------------------------------------------------

    def _ollama(self, body: dict[str, Any], reply: str, wrap: _Wrap, prompt: object) -> None:
        """Shared /api/chat and /api/generate answer; ``wrap(text)`` gives the content part."""
        model = str(body.get("model") or self.fake.model)
        stats = {
            "total_duration": 1_000_000,
            "load_duration": 1_000,
            "prompt_eval_count": _count_words(prompt),
            "prompt_eval_duration": 1_000,
            "eval_count": len(reply.split()),
            "eval_duration": 1_000,
        }
        if body.get("stream") is False:
            final = {"model": model, "created_at": _now_iso(), **wrap(reply)}
            self._send_json(200, {**final, "done": True, "done_reason": "stop", **stats})
            return
        self._start_stream("application/x-ndjson")
        for piece in split_reply(reply):
            part = {"model": model, "created_at": _now_iso(), **wrap(piece), "done": False}
            self._write(json.dumps(part).encode() + b"\n")
        last = {"model": model, "created_at": _now_iso(), **wrap("")}
        last.update({"done": True, "done_reason": "stop", **stats})
        self._write(json.dumps(last).encode() + b"\n")

    def _ollama_chat(self, body: dict[str, Any], reply: str) -> None:
        def wrap(text: str) -> dict[str, Any]:
            return {"message": {"role": "assistant", "content": text}}

        self._ollama(body, reply, wrap, body.get("messages", []))

    def _ollama_generate(self, body: dict[str, Any], reply: str) -> None:
        def wrap(text: str) -> dict[str, Any]:
            return {"response": text}

        self._ollama(body, reply, wrap, body.get("prompt", ""))


class FakeLLMServer:
    """Context manager: ``with FakeLLMServer() as llm:`` serves on 127.0.0.1, a free port.

    ``url`` is ``http://127.0.0.1:PORT`` (the OpenAI base url is ``url + "/v1"``; the Ollama
    base url is ``url`` itself). ``requests`` holds every JSON body POSTed, in order, and
    ``paths`` the matching request paths (the Ollama client POSTs ``/api/show`` before its
    first chat unless given a ``context_window``).
    """

    url: str
    requests: list[dict[str, Any]]
    paths: list[str]

    def __init__(self, *, model: str = "fake-model", context_length: int = 8192) -> None:
        self.model = model
        self.context_length = context_length
        self.url = ""
        self.requests = []
        self.paths = []
        self._pending: deque[Script] = deque()
        self._last = Script()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- scripting --------------------------------------------------------------------------

    def queue(self, *scripts: Script) -> None:
        """Add replies, consumed in order; when none are left, the last one is reused."""
        with self._lock:
            self._pending.extend(scripts)

    def _next_script(self) -> Script:
        with self._lock:
            if self._pending:
                self._last = self._pending.popleft()
            return self._last

    def _record(self, path: str, body: dict[str, Any]) -> None:
        with self._lock:
            self.requests.append(body)
            self.paths.append(path)

    # -- lifecycle --------------------------------------------------------------------------

    def __enter__(self) -> FakeLLMServer:
        self._closing.clear()
        self._httpd = _HTTPServer(self)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-llm-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._closing.set()  # wake handlers sleeping on a scripted delay
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    # -- metadata payloads ------------------------------------------------------------------

    def _models_payload(self) -> dict[str, Any]:
        return {
            "object": "list",
            "data": [{"id": self.model, "object": "model", "created": 0, "owned_by": "fake-llm"}],
        }

    def _details(self) -> dict[str, Any]:
        return {
            "parent_model": "",
            "format": "gguf",
            "family": "fake",
            "families": ["fake"],
            "parameter_size": "1B",
            "quantization_level": "Q4_0",
        }

    def _tags_payload(self) -> dict[str, Any]:
        name = self.model if ":" in self.model else self.model + ":latest"
        return {
            "models": [
                {
                    "name": name,
                    "model": name,
                    "modified_at": _now_iso(),
                    "size": 0,
                    "digest": "0" * 64,
                    "details": self._details(),
                }
            ]
        }

    def _show_payload(self) -> dict[str, Any]:
        return {
            "modelfile": "",
            "parameters": "",
            "template": "{{ .Prompt }}",
            "details": self._details(),
            "model_info": {
                "general.architecture": "fake",
                "fake.context_length": self.context_length,
            },
            "capabilities": ["completion"],
            "modified_at": _now_iso(),
        }
