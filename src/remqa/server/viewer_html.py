"""The viewer's pages: a PDF page with the quote's characters marked, or a document's whole
text with the quote marked. Plain HTML and CSS, no script (the page's Content-Security-Policy
allows none); `#remqa-quote` in the address scrolls to the quote."""

from __future__ import annotations

import html
from urllib.parse import urlencode

from remqa.chat.render import view_link
from remqa.server.pdf_view import SCALE, Rect

CSP = (
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)
_STYLE = """
* { box-sizing: border-box; }
html, body { margin: 0; background: #f1f5f9; color: #0f172a;
  font-family: ui-sans-serif, system-ui, sans-serif; }
.bar { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; gap: 6px 12px;
  align-items: center; padding: 8px 12px; background: #fff; border-bottom: 1px solid #cbd5e1; }
.name { font-weight: 600; overflow-wrap: anywhere; }
.place { color: #475569; }
nav { display: flex; gap: 8px; align-items: center; margin-left: auto; }
nav a, nav span.off { padding: 4px 10px; border: 1px solid #cbd5e1; border-radius: 6px;
  text-decoration: none; color: inherit; background: #fff; white-space: nowrap; }
nav span.off { color: #94a3b8; }
main { padding: 12px; }
.page { position: relative; margin: 0 auto; max-width: 100%; background: #fff;
  box-shadow: 0 1px 4px rgba(0,0,0,.2); }
.page img { display: block; width: 100%; height: auto; }
.hl { position: absolute; background: rgba(250, 204, 21, .45);
  outline: 1px solid rgba(202, 138, 4, .8); scroll-margin-top: 40vh; }
.doc { max-width: 60em; margin: 0 auto; padding: 16px; background: #fff; line-height: 1.55;
  white-space: pre-wrap; overflow-wrap: anywhere; font-family: inherit; }
.doc mark { background: #fde68a; scroll-margin-top: 40vh; }
.notice { margin: 8px 12px 0; color: #92400e; }
.error { max-width: 40em; margin: 2em auto; padding: 12px 16px; background: #fff;
  border-left: 4px solid #b91c1c; }
"""


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body>{body}</body></html>"
    )


def pdf_page_html(
    source: str, start: int, end: int, page: int, pages: int, size: tuple[int, int],
    rects: list[Rect], notice: str = "", version: int = 0,
) -> str:  # fmt: skip
    """Page `page` of `pages`, the quote's characters on it marked, and page turning."""
    # `v` (the file's modification time) makes a changed file's pages new addresses, so the
    # browser's cached image of the old page is never shown for it
    image = "view/page.png?" + urlencode({"source": source, "page": page, "v": version})

    def turn(to: int, label: str, rel: str) -> str:
        if not 1 <= to <= pages:
            return f'<span class="off" aria-disabled="true">{label}</span>'
        href = html.escape(view_link(source, start, end, to) + "#remqa-quote")
        return f'<a href="{href}" rel="{rel}" id="remqa-{rel}">{label}</a>'

    marks = "".join(
        f'<div class="hl"{" id=remqa-quote" if n == 0 else ""} '
        f'style="left:{left * 100:.3f}%;top:{top * 100:.3f}%;'
        f'width:{(right - left) * 100:.3f}%;height:{(bottom - top) * 100:.3f}%"></div>'
        for n, (left, top, right, bottom) in enumerate(rects)
    )
    width, height = size
    body = (
        f'<header class="bar"><span class="name">{html.escape(source)}</span>'
        f"<nav>{turn(page - 1, '‹ Previous', 'prev')}"
        f'<span id="remqa-pageno">Page {page} of {pages}</span>'
        f"{turn(page + 1, 'Next ›', 'next')}</nav></header>"
        + (f'<p class="notice" id="remqa-notice">{html.escape(notice)}</p>' if notice else "")
        + f'<main><div class="page" id="remqa-page" style="width:{width / SCALE:.0f}px">'
        f'<img src="{html.escape(image)}" width="{width}" height="{height}" '
        f'alt="Page {page} of {html.escape(source)}">{marks}</div></main>'
    )
    return _page(f"{source} · p. {page}", body)


def text_html(source: str, text: str, start: int, end: int) -> str:
    """The document's whole text, the quote marked."""
    body = (
        f'<header class="bar"><span class="name">{html.escape(source)}</span>'
        f'<span class="place">characters {start}–{end}</span></header>'
        f'<main><div class="doc" id="remqa-doc">{html.escape(text[:start])}'
        f'<mark id="remqa-quote">{html.escape(text[start:end])}</mark>'
        f"{html.escape(text[end:])}</div></main>"
    )
    return _page(source, body)


def error_html(message: str) -> str:
    body = f'<div class="error" id="remqa-error">{html.escape(message)}</div>'
    return _page("remqa viewer", body)
