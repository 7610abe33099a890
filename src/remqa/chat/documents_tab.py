"""The chat's Documents tab: its components, what its buttons do (add and index, remove after a
confirmation, re-index; each refused with the reason when changes are not allowed) and their
wiring. What it shows is rendered by chat/documents.py; chat/app.py places the tab.

build_app calls the three parts at their places in the page: the handlers first, the
components inside the tab, the events after the chat's. Gradio numbers components and events
in the order they are made, and the page's API follows that order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from remqa.chat.documents import UPLOAD_TYPES, add_markdown, documents_html, ingest_line
from remqa.chat.render import escape_markdown
from remqa.errors import RemqaError
from remqa.models import Documents

if TYPE_CHECKING:
    import gradio as gr

    from remqa.assistant import Assistant

Handler = Callable[..., tuple[Any, ...]]


class DocumentHandlers(NamedTuple):
    """The tab's event handlers; `panel` also fills the list when the page loads."""

    panel: Handler
    add: Handler
    ask_remove: Handler
    remove: Handler
    cancel_remove: Handler
    reindex: Handler


@dataclass
class DocumentsTab:
    """The tab's components, as `documents_tab` laid them out."""

    table: gr.HTML
    upload: gr.File
    add_button: gr.Button
    outcome: gr.Markdown
    pick: gr.Dropdown
    remove_button: gr.Button
    confirm: gr.Button
    keep_it: gr.Button
    reindex_button: gr.Button
    report_json: gr.JSON


def document_handlers(
    assistant: Assistant, allowed: bool, why_not: str, status: Callable[[], str]
) -> DocumentHandlers:
    """The handlers, changing documents only when `allowed` (else `why_not` is the error);
    `status()` is the page's status line, refreshed with the list as the counts change."""
    import gradio as gr

    def panel() -> tuple[Any, ...]:
        docs = assistant.documents()
        choices = [d.source for d in docs.documents] + [s.source for s in docs.skipped]
        return documents_html(docs), gr.update(choices=choices, value=None), status()

    def require_allowed() -> None:
        if not allowed:
            raise gr.Error(why_not)

    def add(files: list[Any] | None, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        """Save the uploaded files into the corpus folder and index them; each file's outcome
        and the ingest in `report`."""
        require_allowed()
        uploads = [_upload(f) for f in files or []]
        progress(0, desc="Checking and saving the files…")
        try:
            report = assistant.add_documents(uploads, _progress(progress))
            assistant.ensure_ready(_progress(progress))  # the new sentences' vectors
        except RemqaError as exc:
            raise gr.Error(str(exc)) from None
        return (add_markdown(report), *panel(), report.model_dump(), None)

    def ask_remove(source: str | None) -> tuple[Any, ...]:
        require_allowed()
        if not source:
            raise gr.Error("Pick a document to remove first.")
        text = f"Remove **{escape_markdown(source)}** from the documents and the index?"
        return text, gr.update(visible=True), gr.update(visible=True)

    def remove(source: str | None, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        """Move `source` to the corpus folder's .trash/ and take it out of the index."""
        require_allowed()
        try:
            report = assistant.remove_document(source or "", _progress(progress))
            assistant.ensure_ready(_progress(progress))
        except RemqaError as exc:
            raise gr.Error(str(exc)) from None
        done = f"Removed {escape_markdown(source or '')} (kept in the corpus folder's .trash/). "
        hide = gr.update(visible=False)
        return (done + ingest_line(report), hide, hide, *panel(), report.model_dump())

    def cancel_remove() -> tuple[Any, ...]:
        hide = gr.update(visible=False)
        return "", hide, hide

    def reindex(progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        """The same as `remqa ingest`: bring the index in step with the corpus folder."""
        require_allowed()
        try:
            report = assistant.ingest(on_progress=_progress(progress))
            assistant.ensure_ready(_progress(progress))
        except RemqaError as exc:
            raise gr.Error(str(exc)) from None
        return (ingest_line(report), *panel(), report.model_dump())

    return DocumentHandlers(panel, add, ask_remove, remove, cancel_remove, reindex)


def documents_tab(allowed: bool, why_not: str) -> DocumentsTab:
    """Lay the tab out; call inside its `gr.Tab`. Without `allowed`, the controls are off
    and `why_not` says why."""
    import gradio as gr

    if not allowed:
        gr.Markdown(f"> {escape_markdown(why_not)}", elem_id="remqa-docs-off")
    docs_table = gr.HTML(documents_html(Documents()), elem_id="remqa-documents")
    upload = gr.File(
        file_count="multiple", file_types=UPLOAD_TYPES, interactive=allowed,
        label="Add documents (.txt .md .pdf .html .docx): drop files here or click",
        elem_id="remqa-upload",
    )  # fmt: skip
    add_button = gr.Button(
        "Add and index", variant="primary", interactive=allowed, elem_id="remqa-add"
    )
    outcome = gr.Markdown(elem_id="remqa-docs-result")
    with gr.Row():
        pick = gr.Dropdown(
            [], label="Remove a document", interactive=allowed, scale=3,
            allow_custom_value=True,  # checked on the server against the list
            elem_id="remqa-remove-pick",
        )  # fmt: skip
        remove_button = gr.Button(
            "Remove…", variant="stop", interactive=allowed, scale=1,
            elem_id="remqa-remove",
        )  # fmt: skip
    with gr.Row():
        confirm = gr.Button(
            "Yes, remove it", variant="stop", visible=False, elem_id="remqa-confirm"
        )
        keep_it = gr.Button("Keep it", visible=False, elem_id="remqa-keep")
    reindex_button = gr.Button(
        "Re-index all (same as `remqa ingest`)", interactive=allowed,
        elem_id="remqa-reindex",
    )  # fmt: skip
    report_json = gr.JSON(visible=False)
    return DocumentsTab(
        table=docs_table, upload=upload, add_button=add_button, outcome=outcome, pick=pick,
        remove_button=remove_button, confirm=confirm, keep_it=keep_it,
        reindex_button=reindex_button, report_json=report_json,
    )  # fmt: skip


def wire_documents_tab(
    tab: DocumentsTab, handlers: DocumentHandlers, documents_out: list[Any]
) -> None:
    """Connect the tab's buttons to the handlers; `documents_out` (the list, the remove
    picker, the status line) is refreshed after every change."""
    outcome, confirm, keep_it, report_json = tab.outcome, tab.confirm, tab.keep_it, tab.report_json
    # One change to the documents at a time, across all browsers.
    changing: dict[str, Any] = {"concurrency_limit": 1, "concurrency_id": "documents"}
    tab.add_button.click(
        handlers.add, [tab.upload], [outcome, *documents_out, report_json, tab.upload],
        api_name="add_documents", **changing,
    )  # fmt: skip
    tab.remove_button.click(
        handlers.ask_remove, [tab.pick], [outcome, confirm, keep_it], api_visibility="private"
    )
    confirm.click(
        handlers.remove, [tab.pick], [outcome, confirm, keep_it, *documents_out, report_json],
        api_name="remove_document", **changing,
    )  # fmt: skip
    keep_it.click(
        handlers.cancel_remove, None, [outcome, confirm, keep_it], api_visibility="private"
    )
    tab.reindex_button.click(
        handlers.reindex, None, [outcome, *documents_out, report_json], api_name="reindex",
        **changing,
    )  # fmt: skip


def _upload(file: Any) -> tuple[str, Path]:
    """(the name the browser sent, the file Gradio saved) for one uploaded file."""
    path = Path(getattr(file, "name", None) or str(file))
    original = getattr(file, "orig_name", None) or path.name
    return str(original), path


def _progress(progress: Any) -> Callable[[int, int], None]:
    return lambda done, total: progress(done / max(total, 1), desc=f"Indexing: {done}/{total}")
