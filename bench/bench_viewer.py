"""Benchmark: the document viewer opening pages of a 2,000-page PDF, over real HTTP.

    .venv/bin/python bench/bench_viewer.py [--pages 2000] [--opens 15]
                                           [--out bench/results/viewer.json]

Issue 22: "a 2,000-page PDF opens a page in under a second". Makes a 2,000-page PDF
(reportlab, 45 lines a page), reads it as `remqa ingest` does (text, pages, the character
map kept beside the index; no embedding, which the viewer does not use), then serves the
viewer routes (uvicorn, a real socket) and opens pages the way the chat's panel does: GET
/view (the page's HTML with the quote's marks) then GET /view/page.png. Measured:

- first open of the document in a fresh server (content hash, character map read, PDFium
  opening the file, one page rendered);
- first open of each of `--opens` other pages spread over the document (not yet rendered);
- the same pages again (rendered pages cached);
- a first open with no character map on disk (an index from before the viewer): the
  whole PDF is read once, then kept.

Prints medians and writes every figure as JSON.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

from remqa.ingest.layout import CharMap, char_map_path, save_char_map
from remqa.ingest.loaders import CorpusFile, extract_document
from remqa.settings import Settings

REPO = Path(__file__).resolve().parent.parent
LINE = "Line {line} of page {page}: the survey recorded the level of the reservoir at noon."
QUOTE = "The Quillmere reservoir on page {page} holds {page} million cubic metres."


def make_pdf(path: Path, pages: int) -> None:
    """`pages` A4 pages of 45 lines each; line 20 of every page is a quotable sentence."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    for page in range(1, pages + 1):
        pdf.setFont("Helvetica", 10)
        for line in range(45):
            text = QUOTE.format(page=page) if line == 20 else LINE.format(line=line, page=page)
            pdf.drawString(60, 780 - line * 16, text)
        pdf.showPage()
    pdf.save()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(settings: Settings) -> tuple[str, object, threading.Thread]:
    """The viewer's routes alone on a real socket (the chat is not needed to view)."""
    import uvicorn
    from fastapi import FastAPI

    from remqa.server.viewer import add_viewer_routes

    api = FastAPI()
    add_viewer_routes(api, settings, lambda: None)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(api, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    return f"http://127.0.0.1:{port}/", server, thread


def open_page(client: object, text: str, page: int) -> float:
    """Seconds for the viewer's HTML (with marks) and the page's PNG, as the panel loads
    them."""
    start = text.index(QUOTE.format(page=page))
    params = {"source": "big.pdf", "start": start, "end": start + len(QUOTE.format(page=page))}
    began = time.perf_counter()
    html = client.get("view", params=params)  # type: ignore[attr-defined]
    assert html.status_code == 200 and f"Page {page} of" in html.text, html.text[-300:]
    assert 'class="hl"' in html.text
    png = client.get("view/page.png", params={"source": "big.pdf", "page": page})  # type: ignore[attr-defined]
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    return time.perf_counter() - began


def fresh_server_caches() -> None:
    """As a new process would start: nothing open, rendered or read yet."""
    from remqa.server import pdf_view, viewer

    for cached in (pdf_view._render, pdf_view.content_hash, pdf_view._char_map, viewer._text):
        cached.cache_clear()
    pdf_view.close_documents()


def main() -> None:
    import httpx

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--opens", type=int, default=15)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "viewer.json")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="remqa-bench-viewer-"))
    try:
        corpus, index = work / "corpus", work / "index"
        corpus.mkdir()
        pdf = corpus / "big.pdf"
        began = time.perf_counter()
        make_pdf(pdf, args.pages)
        made_s = time.perf_counter() - began
        import hashlib

        digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
        began = time.perf_counter()
        extracted = extract_document(CorpusFile("big.pdf", pdf, digest))
        read_s = time.perf_counter() - began
        assert extracted.char_map is not None and len(extracted.layout.pages) == args.pages
        save_char_map(index, digest, extracted.char_map)
        text = extracted.text
        settings = Settings(corpus_dir=corpus, index_dir=index, show_progress=False)
        url, server, thread = serve(settings)
        step = max(1, args.pages // args.opens)
        pages = [1 + (7 + i * step) % args.pages for i in range(args.opens)]
        with httpx.Client(base_url=url, timeout=120) as client:
            fresh_server_caches()
            first_ever = open_page(client, text, args.pages // 2)
            cold = [open_page(client, text, p) for p in pages]
            warm = [open_page(client, text, p) for p in pages]
            fresh_server_caches()
            char_map_path(index, digest).unlink()
            without_map = open_page(client, text, 3)
            assert CharMap.from_json(char_map_path(index, digest).read_text()) is not None
        server.should_exit = True  # type: ignore[attr-defined]
        thread.join(timeout=10)
        result = {
            "machine": f"{platform.machine()}, {platform.python_version()}, "
            f"{len(__import__('os').sched_getaffinity(0))} cores",
            "pages": args.pages,
            "pdf_bytes": pdf.stat().st_size,
            "make_pdf_s": round(made_s, 2),
            "read_pdf_with_char_map_s": round(read_s, 2),
            "char_map_bytes": char_map_path(index, digest).stat().st_size,
            "first_open_fresh_server_ms": round(first_ever * 1000, 1),
            "first_open_of_a_page_ms": [round(s * 1000, 1) for s in cold],
            "first_open_of_a_page_median_ms": round(statistics.median(cold) * 1000, 1),
            "first_open_of_a_page_max_ms": round(max(cold) * 1000, 1),
            "open_again_median_ms": round(statistics.median(warm) * 1000, 1),
            "first_open_without_char_map_s": round(without_map, 2),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    for key, value in result.items():
        if not isinstance(value, list):
            print(f"{key:36} {value}")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
