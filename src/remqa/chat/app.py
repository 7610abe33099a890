"""The browser chat (Gradio): streamed answers with [n] markers, the cited passages beside.

Each browser session keeps its own conversation, saved in that browser (gr.BrowserState,
encrypted with a key kept across launches: chat/secret.py) so it survives a reload and a server
restart; the server keeps no copy (only the short-lived Markdown file a download
needs). Questions from many people run concurrently, as answering only reads the index. A
Documents tab lists, adds, removes and re-indexes files when changes are allowed
(chat/documents_tab.py). Bound to loopback unless told otherwise, no share link, no analytics,
and no route that serves the corpus or index folders.
An "Ask in" picker limits questions to chosen documents (chat/scope.py).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from remqa.chat import scope as picker
from remqa.chat import transcript
from remqa.chat.documents import changes_allowed
from remqa.chat.documents_tab import document_handlers, documents_tab, wire_documents_tab
from remqa.chat.render import (
    CSS,
    HEAD,
    answer_markdown,
    draft_markdown,
    sources_html,
    status_markdown,
)
from remqa.chat.secret import browser_secret
from remqa.errors import RemqaError
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
DOWNLOAD_SECONDS = 3600  # a conversation's Markdown file is deleted after an hour
STREAM_PAUSE = 0.015  # seconds between updates: enough to read as it arrives, not to wait


def _passages(assistant: Assistant, answer: Answer) -> dict[int, tuple[str, str, str]]:
    return {
        c.id: assistant.retriever.surrounding(c.source, c.start, c.end) for c in answer.citations
    }


def _stream(markdown: str) -> Iterator[str]:
    words = markdown.split(" ")
    for end in range(STREAM_WORDS, len(words) + STREAM_WORDS, STREAM_WORDS):
        yield " ".join(words[:end])


def build_app(assistant: Assistant, host: str | None = None) -> gr.Blocks:
    import gradio as gr

    allowed, why_not = changes_allowed(assistant.settings, host)
    downloads = Path(tempfile.mkdtemp(prefix="remqa-conversations-"))  # private: mode 0700
    atexit.register(shutil.rmtree, downloads, ignore_errors=True)

    def status(progress: gr.Progress = gr.Progress()) -> str:  # noqa: B008 (Gradio's idiom)
        """Loads (and on first use builds) the index, showing progress, then the status line."""
        progress(0, desc="Opening the index (building it if it is missing)…")
        assistant.ensure_ready(lambda done, total: progress(done / max(total, 1), desc="Indexing"))
        return _status_line(assistant)

    def respond(
        question: str, chat: list[dict[str, Any]], turns: list[Any], scope: list[str] | None = None
    ) -> Iterator[tuple[Any, ...]]:
        chat = [*chat, {"role": "user", "content": question}, {"role": "assistant", "content": ""}]
        # The box is emptied once, as the question moves into the chat; later updates leave
        # it alone, so a next question typed while this answer streams is kept.
        yield "", chat, turns, gr.update(), gr.update(), gr.update()
        unchanged = gr.update()
        answer = None
        try:
            history = transcript.history(turns)
            for part in assistant.ask_stream(question, history=history, sources=scope):
                if isinstance(part, Answer):
                    answer = part
                else:  # an LLM's text as it arrives, before its figures are checked
                    chat[-1] = {"role": "assistant", "content": draft_markdown(part)}
                    yield unchanged, chat, turns, gr.update(), gr.update(), gr.update()
        except RemqaError as exc:
            chat[-1] = {"role": "assistant", "content": f"> **Cannot ask that.** {exc}"}
            yield unchanged, chat, turns, gr.update(), gr.update(), gr.update()
            return
        assert answer is not None
        markdown = answer_markdown(answer)
        sources = sources_html(answer, _passages(assistant, answer))
        if answer.backend == "extractive":  # instant: shown word by word, as a stream would
            for partial in _stream(markdown):
                chat[-1] = {"role": "assistant", "content": partial}
                yield unchanged, chat, turns, gr.update(), gr.update(), gr.update()
                time.sleep(STREAM_PAUSE)
        chat[-1] = {"role": "assistant", "content": markdown}
        turns = [*turns, transcript.turn(question, answer)]
        # Kept in this browser with the same update that shows the answer: a reload right
        # after it cannot lose it.
        yield (unchanged, chat, turns, sources, *keep(chat, turns))

    def keep(chat: list[dict[str, Any]], turns: list[Any]) -> tuple[Any, ...]:
        """The conversation into this browser's storage, and a fresh file to download."""
        for old in downloads.glob("*.md"):  # a download is fetched at once; keep none long
            if time.time() - old.stat().st_mtime > DOWNLOAD_SECONDS:
                old.unlink(missing_ok=True)
        path = downloads / f"remqa-conversation-{uuid.uuid4().hex[:8]}.md"
        path.write_text(transcript.conversation_markdown(turns), encoding="utf-8")
        return {"chat": chat, "turns": turns}, gr.update(value=str(path), interactive=bool(turns))

    def restore(saved: Any) -> tuple[Any, ...]:
        """The conversation this browser kept, after a reload (bad data: a fresh start)."""
        try:
            chat, turns = list(saved["chat"]), list(saved["turns"])
        except (KeyError, TypeError):
            chat, turns = [], []
        scope = picker.picker_update(assistant.documents(), picker.last_scope(turns), True)
        return (chat, turns, *keep(chat, turns), scope)

    def ask_api(
        question: str, previous_question: str = "", sources: list[str] | None = None
    ) -> dict[str, Any]:
        """Answer `question` (optionally a follow-up to `previous_question`), from the files
        in `sources` only when given (names as /documents lists them): the answer text,
        `refused`, and `citations` with source, quote, start, end, score, page, page_end
        and section."""
        history = [(previous_question, previous_question)] if previous_question else []
        try:
            return assistant.ask(question, history=history, sources=sources).model_dump()
        except RemqaError as exc:
            raise gr.Error(str(exc)) from None

    def documents_api() -> dict[str, Any]:
        """The indexed files (source, type, bytes, chunks, indexed_at) and the skipped ones
        with the reason."""
        return assistant.documents().model_dump()

    handlers = document_handlers(assistant, allowed, why_not, lambda: _status_line(assistant))

    with gr.Blocks(title="remqa", analytics_enabled=False) as app:
        gr.Markdown("## remqa · answers quoted from your documents")
        status_line = gr.Markdown("Loading…", elem_id="remqa-status")
        turns = gr.State([])
        saved = gr.BrowserState(
            transcript.empty(),
            storage_key="remqa-conversation",
            secret=browser_secret(assistant.settings.chat_secret_file),
        )
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"), gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(
                        label="Chat", height=520, elem_id="remqa-chat", sanitize_html=True,
                        feedback_options=None, buttons=["copy"], latex_delimiters=[],
                    )  # fmt: skip
                    scope = gr.Dropdown(
                        [], value=[], multiselect=True, label=picker.LABEL, info=picker.INFO,
                        allow_custom_value=True,  # checked on the server: a clear message
                        elem_id="remqa-scope",
                    )  # fmt: skip
                    with gr.Row():
                        box = gr.Textbox(
                            placeholder="Ask about the documents…", show_label=False, scale=5,
                            elem_id="remqa-question",
                            max_length=assistant.settings.max_question_chars,
                        )  # fmt: skip
                        send = gr.Button("Ask", variant="primary", scale=1, elem_id="remqa-ask")
                    gr.Examples(EXAMPLES, inputs=box, label="Try")
                    with gr.Row():
                        clear = gr.Button("Clear chat", size="sm", elem_id="remqa-clear")
                        download = gr.DownloadButton(
                            "Download conversation (.md)", size="sm", interactive=False,
                            elem_id="remqa-download",
                        )  # fmt: skip
                with gr.Column(scale=2):
                    gr.Markdown("### Sources")
                    sources = gr.HTML(
                        sources_html(Answer(question="", text=""), {}), elem_id="remqa-sources"
                    )
            with gr.Tab("Documents", id="documents"):
                docs_tab = documents_tab(allowed, why_not)
        outputs = [box, chatbot, turns, sources, saved, download]
        # Clear stops an answer still on its way, so it cannot repaint the chat afterwards.
        asked: list[Any] = [
            send.click(
                respond, [box, chatbot, turns, scope], outputs, api_name="chat",
                trigger_mode="always_last",
            ),  # fmt: skip
            box.submit(
                respond,
                [box, chatbot, turns, scope],
                outputs,
                api_visibility="private",
                trigger_mode="always_last",
            ),  # fmt: skip
        ]

        def start_over() -> tuple[Any, ...]:
            return ("", [], [], sources_html(Answer(question="", text=""), {}), *keep([], []))

        # Both Clear chat and the chat box's own bin empty it, here and in the browser.
        clear.click(start_over, None, outputs, api_visibility="private", cancels=asked)
        chatbot.clear(start_over, None, outputs, api_visibility="private", cancels=asked)
        documents_out = [docs_tab.table, docs_tab.pick, status_line]
        wire_documents_tab(docs_tab, handlers, documents_out)
        app.load(status, None, status_line, api_visibility="private").then(
            handlers.panel, None, documents_out, api_visibility="private"
        )
        app.load(
            restore, [saved], [chatbot, turns, saved, download, scope], api_visibility="private"
        )
        # The picker offers what the Documents tab lists, whenever that list changes.
        docs_tab.table.change(
            lambda chosen: picker.picker_update(assistant.documents(), chosen),
            [scope], [scope], api_visibility="private",
        )  # fmt: skip
        gr.api(ask_api, api_name="ask")  # type: ignore[attr-defined]
        gr.api(documents_api, api_name="documents")  # type: ignore[attr-defined]
    blocks: gr.Blocks = app
    return blocks


def _status_line(assistant: Assistant) -> str:
    retriever = assistant.retriever
    documents = len({c.source for c in retriever.chunks})
    backend = describe_backend(assistant.settings)
    return status_markdown(documents, len(retriever.chunks), "all-MiniLM-L6-v2", backend)


def mount_options(settings: Settings) -> dict[str, Any]:
    """How the chat is served (gradio.mount_gradio_app's options): login, look, no file
    served from the corpus or index folders, no share link, monitoring or MCP."""
    import gradio as gr

    theme = gr.themes.Soft(
        font=["ui-sans-serif", "system-ui", "sans-serif"],  # no web-font download
        font_mono=["ui-monospace", "monospace"],
    )
    return {
        "auth": settings.auth_pair(),
        "show_error": False,
        "footer_links": ["api"],
        "blocked_paths": [str(settings.corpus_dir.resolve()), str(settings.index_dir.resolve())],
        "allowed_paths": [],
        "enable_monitoring": False,
        "theme": theme,
        "css": CSS,
        "head": HEAD,
        "ssr_mode": False,
        "mcp_server": False,
        # A file over the per-file limit is refused as it arrives, before it fills the disk.
        "max_file_size": settings.max_file_bytes,
    }
