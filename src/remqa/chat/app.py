"""The browser chat (Gradio): streamed answers with [n] markers, the cited passages beside.

Each browser session keeps its own conversation (gr.State); questions from many people run
concurrently, as answering only reads the index. Bound to loopback unless told otherwise,
no share link, no analytics, and no route that serves the corpus or index folders.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from remqa.chat.render import (
    CSS,
    HEAD,
    answer_markdown,
    draft_markdown,
    sources_html,
    status_markdown,
)
from remqa.errors import RemqaError
from remqa.index.serving import hold_serving_lock
from remqa.llm.backends import describe_backend
from remqa.models import Answer

if TYPE_CHECKING:
    import gradio as gr

    from remqa.assistant import Assistant
    from remqa.settings import Settings

EXAMPLES = [
    "What share of the world's gallium production comes from China?",
    "How much is the germanium market worth per year?",
    "When did rare earth mining resume in the United States?",
    "What is China's share of world rare earth production?",
    "How many tons of rare earths does Brazil produce?",
]
STREAM_WORDS = 4  # words per streamed update
STREAM_PAUSE = 0.015  # seconds between updates: enough to read as it arrives, not to wait


def _passages(assistant: Assistant, answer: Answer) -> dict[int, tuple[str, str, str]]:
    return {
        c.id: assistant.retriever.surrounding(c.source, c.start, c.end) for c in answer.citations
    }


def _stream(markdown: str) -> Iterator[str]:
    words = markdown.split(" ")
    for end in range(STREAM_WORDS, len(words) + STREAM_WORDS, STREAM_WORDS):
        yield " ".join(words[:end])


def build_app(assistant: Assistant) -> gr.Blocks:
    import gradio as gr

    def status(progress: gr.Progress = gr.Progress()) -> str:  # noqa: B008 (Gradio's idiom)
        """Loads (and on first use builds) the index, showing progress, then the status line."""
        progress(0, desc="Opening the index (building it if it is missing)…")
        assistant.ensure_ready(lambda done, total: progress(done / max(total, 1), desc="Indexing"))
        retriever = assistant.retriever
        documents = len({c.source for c in retriever.chunks})
        backend = describe_backend(assistant.settings)
        return status_markdown(documents, len(retriever.chunks), "all-MiniLM-L6-v2", backend)

    def respond(
        question: str, chat: list[dict[str, Any]], turns: list[tuple[str, Answer]]
    ) -> Iterator[tuple[Any, ...]]:
        chat = [*chat, {"role": "user", "content": question}, {"role": "assistant", "content": ""}]
        answer = None
        try:
            for part in assistant.ask_stream(question, history=turns):
                if isinstance(part, Answer):
                    answer = part
                else:  # an LLM's text as it arrives, before its figures are checked
                    chat[-1] = {"role": "assistant", "content": draft_markdown(part)}
                    yield "", chat, turns, gr.update()
        except RemqaError as exc:
            chat[-1] = {"role": "assistant", "content": f"> **Cannot ask that.** {exc}"}
            yield "", chat, turns, gr.update()
            return
        assert answer is not None
        markdown = answer_markdown(answer)
        sources = sources_html(answer, _passages(assistant, answer))
        if answer.backend == "extractive":  # instant: shown word by word, as a stream would
            for partial in _stream(markdown):
                chat[-1] = {"role": "assistant", "content": partial}
                yield "", chat, turns, gr.update()
                time.sleep(STREAM_PAUSE)
        chat[-1] = {"role": "assistant", "content": markdown}
        yield "", chat, [*turns, (question, answer)], sources

    def ask_api(question: str, previous_question: str = "") -> dict[str, Any]:
        """Answer `question` (optionally a follow-up to `previous_question`): the answer text,
        `refused`, and `citations` with source, quote, start, end and score."""
        history = [(previous_question, previous_question)] if previous_question else []
        try:
            return assistant.ask(question, history=history).model_dump()
        except RemqaError as exc:
            raise gr.Error(str(exc)) from None

    with gr.Blocks(title="remqa", analytics_enabled=False) as app:
        gr.Markdown("## remqa · answers quoted from your documents")
        status_line = gr.Markdown("Loading…", elem_id="remqa-status")
        turns = gr.State([])
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(
                    label="Chat", height=520, elem_id="remqa-chat", sanitize_html=True,
                    feedback_options=None, buttons=["copy"], latex_delimiters=[],
                )  # fmt: skip
                with gr.Row():
                    box = gr.Textbox(
                        placeholder="Ask about the documents…", show_label=False, scale=5,
                        elem_id="remqa-question", max_length=assistant.settings.max_question_chars,
                    )  # fmt: skip
                    send = gr.Button("Ask", variant="primary", scale=1, elem_id="remqa-ask")
                gr.Examples(EXAMPLES, inputs=box, label="Try")
                clear = gr.Button("Clear chat", size="sm", elem_id="remqa-clear")
            with gr.Column(scale=2):
                gr.Markdown("### Sources")
                sources = gr.HTML(
                    sources_html(Answer(question="", text=""), {}), elem_id="remqa-sources"
                )
        outputs = [box, chatbot, turns, sources]
        # Clear stops an answer still on its way, so it cannot repaint the chat afterwards.
        asked: list[Any] = [
            send.click(respond, [box, chatbot, turns], outputs, api_name="chat"),
            box.submit(respond, [box, chatbot, turns], outputs, api_visibility="private"),
        ]
        clear.click(
            lambda: ("", [], [], sources_html(Answer(question="", text=""), {})),
            None, outputs, api_visibility="private", cancels=asked,
        )  # fmt: skip
        app.load(status, None, status_line, api_visibility="private")
        gr.api(ask_api, api_name="ask")  # type: ignore[attr-defined]
    blocks: gr.Blocks = app
    return blocks


def launch(settings: Settings, host: str | None = None, port: int | None = None,
           block: bool = True) -> tuple[gr.Blocks, str]:  # fmt: skip
    """Start the chat server; returns the app and its URL."""
    import gradio as gr

    from remqa.assistant import Assistant

    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    hold_serving_lock(settings)
    assistant = Assistant(settings)
    app = build_app(assistant)
    app.queue(default_concurrency_limit=8)
    auth = settings.auth_pair()
    theme = gr.themes.Soft(
        font=["ui-sans-serif", "system-ui", "sans-serif"],  # no web-font download
        font_mono=["ui-monospace", "monospace"],
    )
    _, url, _ = app.launch(
        server_name=host or settings.host,
        server_port=port or settings.port,
        share=False,
        auth=auth,
        prevent_thread_lock=not block,
        show_error=False,
        footer_links=["api"],
        blocked_paths=[str(settings.corpus_dir.resolve()), str(settings.index_dir.resolve())],
        allowed_paths=[],
        enable_monitoring=False,
        quiet=not block,
        theme=theme,
        css=CSS,
        head=HEAD,
        ssr_mode=False,
        mcp_server=False,
    )
    return app, url
