"""One FastAPI app, one port: the chat (Gradio, mounted at /) and the HTTP API beside it,
served by uvicorn. `launch` starts it; the returned server's `close()` stops it."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from remqa.errors import RemqaError

if TYPE_CHECKING:
    import gradio as gr
    import uvicorn
    from fastapi import FastAPI

    from remqa.assistant import Assistant
    from remqa.settings import Settings

START_TIMEOUT = 60.0  # seconds for uvicorn to bind and run Gradio's startup events


def build_server(assistant: Assistant, host: str, port: int) -> tuple[FastAPI, gr.Blocks]:
    """The FastAPI app with the API routes and the chat mounted at /."""
    import gradio as gr
    from fastapi import FastAPI

    from remqa.chat.app import build_app, mount_options
    from remqa.server.routes import add_api_routes
    from remqa.server.viewer import add_viewer_routes, mounted_app

    # No /docs: FastAPI's docs page loads its scripts from a CDN, and the page makes no
    # request to another host.
    api = FastAPI(title="remqa", docs_url=None, redoc_url=None, openapi_url=None)
    add_api_routes(api, assistant, host)
    add_viewer_routes(api, assistant.settings, lambda: mounted_app(api))
    blocks = build_app(assistant, host)
    blocks.queue(default_concurrency_limit=8)
    gr.mount_gradio_app(
        api, blocks, path="/", server_name=host, server_port=port,
        **mount_options(assistant.settings),
    )  # fmt: skip
    return api, blocks


@dataclass
class RunningServer:
    """A started `remqa serve`: its URL, and close() to stop it."""

    url: str
    app: FastAPI
    blocks: gr.Blocks
    server: uvicorn.Server
    thread: threading.Thread

    def wait(self) -> None:
        """Serve until the server stops or Ctrl+C (then stop it)."""
        try:
            while self.thread.is_alive():
                self.thread.join(timeout=1)
        except KeyboardInterrupt:
            self.close()
            raise

    def close(self) -> None:
        self.blocks.close(verbose=False)  # first: its queue and heartbeats hold connections open
        self.server.should_exit = True
        self.thread.join(timeout=30)


def launch(settings: Settings, host: str | None = None, port: int | None = None) -> RunningServer:
    """Start the server (chat + API) in a background thread; returns once it accepts
    connections. `.wait()` serves until interrupted, `.close()` stops it."""
    import uvicorn

    from remqa.assistant import Assistant
    from remqa.index.serving import hold_serving_lock

    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    host = host or settings.host
    port = port or settings.port
    settings.auth_pair()  # a malformed REMQA_AUTH is an error before anything starts
    hold_serving_lock(settings)
    assistant = Assistant(settings)
    app, blocks = build_server(assistant, host, port)
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=False,
        timeout_graceful_shutdown=5, ws="none",
    )  # fmt: skip
    server = uvicorn.Server(config)
    failure: list[BaseException] = []

    def serve() -> None:
        try:
            server.run()
        except BaseException as exc:  # noqa: BLE001 - SystemExit from a failed bind, too
            failure.append(exc)

    thread = threading.Thread(target=serve, name="remqa-serve", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RemqaError(
                f"Cannot serve on {host}:{port} (the address is taken or not this machine's). "
                "Pick another with --port or --host."
            )
        time.sleep(0.02)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    return RunningServer(f"http://{shown}:{port}/", app, blocks, server, thread)
