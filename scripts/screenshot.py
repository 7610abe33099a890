"""Regenerate the README's pictures (needs Debian's chromium): docs/chat.png, the chat
answering a question, docs/documents.png, the Documents tab after adding a Word file, and
docs/scope.png, a question asked of that file alone, and docs/viewer.png, a source opened in
the viewer (the article typeset as a PDF report). Works on copies of corpus/ in a
temporary folder; the repository is not changed.

.venv/bin/python scripts/screenshot.py [chat|viewer]    (default: all of them)
"""

from __future__ import annotations

import io
import shutil
import socket
import tempfile
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from remqa import Settings
from remqa.evaluation.pdf_maker import report_pdf
from remqa.server.app import launch

REPO = Path(__file__).resolve().parent.parent
WORD_FILE = [
    "Supplier notes, March",
    "Our magnet supplier in Ningbo ships 4,200 neodymium magnets a month.",
    "Delivery takes 26 days by sea to Rotterdam.",
]


def word_file(folder: Path) -> Path:
    import docx

    document = docx.Document()
    for text in WORD_FILE:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    path = folder / "supplier-notes.docx"
    path.write_bytes(out.getvalue())
    return path


def chat_picture(page: Page) -> None:
    box = page.locator("#remqa-question textarea")
    box.fill("What is China's share of world rare earth production?")
    box.press("Enter")
    expect(page.locator("#remqa-sources mark").first).to_be_visible(timeout=30_000)
    page.wait_for_timeout(800)
    page.screenshot(path=str(REPO / "docs" / "chat.png"))


def documents_picture(page: Page, upload: Path) -> None:
    page.get_by_role("tab", name="Documents").click()
    page.locator("#remqa-upload input[type=file]").set_input_files([str(upload)])
    page.locator("#remqa-add").click()
    expect(page.locator("#remqa-docs-result")).to_contain_text("Indexed", timeout=120_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(REPO / "docs" / "documents.png"))


def scope_picture(page: Page, upload: Path) -> None:
    page.get_by_role("tab", name="Chat").click()
    page.locator("#remqa-scope input").click()
    page.get_by_role("option", name=upload.name, exact=True).click()
    page.locator("#remqa-status").click()  # close the list
    box = page.locator("#remqa-question textarea")
    box.fill("How long does delivery take?")
    box.press("Enter")
    expect(page.locator("#remqa-sources mark").first).to_contain_text("26 days", timeout=30_000)
    page.wait_for_timeout(800)
    page.screenshot(path=str(REPO / "docs" / "scope.png"), full_page=True)


def viewer_picture(page: Page) -> None:
    box = page.locator("#remqa-question textarea")
    box.fill("How much is the germanium market worth per year?")
    box.press("Enter")
    page.locator("#remqa-sources a.remqa-open").first.click()
    frame = page.frame_locator("#remqa-viewer iframe")
    expect(frame.locator("#remqa-page img")).to_have_js_property("complete", True)
    expect(frame.locator("#remqa-quote")).to_be_in_viewport()
    page.wait_for_timeout(500)
    page.screenshot(path=str(REPO / "docs" / "viewer.png"))


def pdf_corpus(work: Path) -> Path:
    """The bundled article typeset as a PDF report, alone in a corpus."""
    corpus = work / "pdf-corpus"
    corpus.mkdir()
    article = next((REPO / "corpus").glob("*.txt")).read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in article.split("\n\n") if p.strip()]
    report_pdf(paragraphs, corpus / "rare-earths-report.pdf", title="Rare earths")
    return corpus


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    import sys

    wanted = set(sys.argv[1:]) or {"chat", "viewer"}
    work = Path(tempfile.mkdtemp(prefix="remqa-screenshot-"))
    shutil.copytree(REPO / "corpus", work / "corpus")
    corpora = []
    if "chat" in wanted:
        corpora.append((work / "corpus", work / "index"))
    if "viewer" in wanted:
        corpora.append((pdf_corpus(work), work / "pdf-index"))
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            for corpus, index in corpora:
                settings = Settings(corpus_dir=corpus, index_dir=index, port=free_port())
                app = launch(settings)
                try:
                    page = browser.new_page(viewport={"width": 1280, "height": 820})
                    page.goto(app.url)
                    expect(page.locator("#remqa-status")).to_contain_text("chunks", timeout=120_000)
                    if corpus.name == "corpus":
                        chat_picture(page)
                        upload = word_file(work)
                        documents_picture(page, upload)
                        scope_picture(page, upload)
                    else:
                        viewer_picture(page)
                    page.close()
                finally:
                    app.close()
            browser.close()
        print(f"wrote the pictures of {', '.join(sorted(wanted))} in docs/")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
