"""The document viewer: GET /view opens a cited document at its quote (a PDF at the page,
its characters marked, with page turning; any other format as its whole text, the quote
marked), and GET /view/page.png serves a PDF page as rendered by PDFium.

Only documents of the corpus (`ingest.corpus_path`), only for whoever may use the chat:
with REMQA_AUTH set, the chat's own login (Gradio's session cookie) is required.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from remqa.errors import CorpusError, RemqaError
from remqa.ingest.corpus_path import OutsideCorpus, corpus_file
from remqa.ingest.loaders import PDF_SUFFIXES, CorpusFile, extract_text
from remqa.server import pdf_view, viewer_html
from remqa.server.pdf_view import FileKey

if TYPE_CHECKING:
    from fastapi import FastAPI
    from starlette.requests import Request
    from starlette.responses import Response

    from remqa.settings import Settings


class ViewError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def add_viewer_routes(api: FastAPI, settings: Settings, chat_app: Callable[[], Any]) -> None:
    """Register the viewer on `api`; `chat_app()` is the mounted Gradio app (its logins)."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import HTMLResponse

    def checked(request: Request) -> tuple[str, Any]:
        _require_login(request, settings, chat_app())
        source = request.query_params.get("source", "")
        try:
            return source, corpus_file(settings.corpus_dir, source)
        except OutsideCorpus as exc:
            raise ViewError(403, str(exc)) from None
        except CorpusError as exc:
            raise ViewError(404, str(exc)) from None

    def view(request: Request) -> Response:
        source, path = checked(request)
        start, end = _int(request, "start", 0), _int(request, "end", 0)
        if end < start:
            raise ViewError(400, "end must not be before start.")
        if path.suffix.lower() not in PDF_SUFFIXES:
            text = _text(FileKey.of(path))
            if end > len(text):
                raise ViewError(400, f"{source} has {len(text):,} characters; ask again.")
            return _html(viewer_html.text_html(source, text, start, end))
        key = FileKey.of(path)
        notice = ""
        try:
            chars = pdf_view.quote_pages(key, settings.index_dir, start, end)
        except pdf_view.NoCharMap as exc:
            chars, notice = {}, str(exc)
        pages = pdf_view.page_count(key)
        page = _int(request, "page", min(chars) if chars else 1)
        if not 1 <= page <= pages:
            raise ViewError(400, f"{source} has pages 1 to {pages}; page {page} is not one.")
        rects = pdf_view.highlight(key, page, chars.get(page, []))
        rendered = pdf_view.render_page(key, page)
        size = (rendered.width, rendered.height)
        shown = viewer_html.pdf_page_html(
            source, start, end, page, pages, size, rects, notice, key.mtime_ns
        )
        return _html(shown)

    def page_png(request: Request) -> Response:
        from starlette.responses import Response

        source, path = checked(request)
        if path.suffix.lower() not in PDF_SUFFIXES:
            raise ViewError(400, f"{source} is not a PDF; it has no pages to show.")
        key = FileKey.of(path)
        page = _int(request, "page", 1)
        if not 1 <= page <= pdf_view.page_count(key):
            raise ViewError(400, f"{source} has no page {page}.")
        png = pdf_view.render_page(key, page).png
        headers = {"Cache-Control": "private, max-age=300"}
        return Response(png, media_type="image/png", headers=headers)

    def guarded(handler: Callable[[Request], Response]) -> Callable[[Request], Any]:
        async def run(request: Request) -> Response:
            try:
                return await run_in_threadpool(handler, request)
            except ViewError as exc:
                return _html(viewer_html.error_html(str(exc)), exc.status)
            except RemqaError as exc:
                return _html(viewer_html.error_html(str(exc)), 422)

        return run

    def _html(body: str, status: int = 200) -> HTMLResponse:
        return HTMLResponse(
            body, status_code=status,
            headers={"Content-Security-Policy": viewer_html.CSP, "Cache-Control": "no-store",
                     "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"},
        )  # fmt: skip

    api.add_route("/view", guarded(view), methods=["GET"], include_in_schema=False)
    api.add_route("/view/page.png", guarded(page_png), methods=["GET"], include_in_schema=False)


def mounted_app(api: FastAPI) -> Any:
    """The app mounted in `api` (the chat), whose logins the viewer accepts."""
    from starlette.routing import Mount

    return next((r.app for r in api.routes if isinstance(r, Mount)), None)


def _int(request: Request, name: str, default: int) -> int:
    value = request.query_params.get(name)
    if value is None or value == "":
        return default
    if not value.isdigit() or len(value) > 12:
        raise ViewError(400, f"{name} must be a whole number, not {value[:20]!r}.")
    return int(value)


def _require_login(request: Request, settings: Settings, chat: Any) -> None:
    """With REMQA_AUTH, the viewer is for a browser logged in to the chat: Gradio's own
    session cookie, checked against the sessions it issued."""
    if settings.auth_pair() is None:
        return  # the chat itself is open to whoever reaches this address
    tokens = getattr(chat, "tokens", None) or {}
    cookie_id = getattr(chat, "cookie_id", "")
    token = request.cookies.get(f"access-token-{cookie_id}") or request.cookies.get(
        f"access-token-unsecure-{cookie_id}"
    )
    if not token or token not in tokens:
        raise ViewError(401, "Log in to the chat first (this server asks for a login).")


@lru_cache(maxsize=8)
def _text(key: FileKey) -> str:
    """The extracted text citations point into (the last few documents kept)."""
    from pathlib import Path

    path = Path(key.path)
    return extract_text(CorpusFile(source=path.name, path=path, content_hash=""))
