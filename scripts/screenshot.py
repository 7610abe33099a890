"""Regenerate the README's pictures (needs Debian's chromium): docs/chat.png, the chat
answering a question, docs/documents.png, the Documents tab after adding a Word file, and
docs/scope.png, a question asked of that file alone. Works on a copy of corpus/ in a
temporary folder; the repository is not changed.

.venv/bin/python scripts/screenshot.py
"""

from __future__ import annotations

import io
import shutil
import socket
import tempfile
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from remqa import Settings
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


def main() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    work = Path(tempfile.mkdtemp(prefix="remqa-screenshot-"))
    shutil.copytree(REPO / "corpus", work / "corpus")
    settings = Settings(corpus_dir=work / "corpus", index_dir=work / "index", port=port)
    app = launch(settings)
    url = app.url
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(viewport={"width": 1280, "height": 820})
            page.goto(url)
            expect(page.locator("#remqa-status")).to_contain_text("chunks", timeout=120_000)
            chat_picture(page)
            upload = word_file(work)
            documents_picture(page, upload)
            scope_picture(page, upload)
            browser.close()
        print("wrote docs/chat.png, docs/documents.png and docs/scope.png")
    finally:
        app.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
