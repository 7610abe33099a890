"""Regenerate docs/chat.png, the README's picture of the chat (needs Debian's chromium).

.venv/bin/python scripts/screenshot.py
"""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from remqa import Settings
from remqa.chat.app import launch

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = Settings(corpus_dir=REPO / "corpus", index_dir=REPO / "index", port=port)
    app, url = launch(settings, block=False)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(viewport={"width": 1280, "height": 820})
            page.goto(url)
            expect(page.locator("#remqa-status")).to_contain_text("chunks", timeout=120_000)
            box = page.locator("#remqa-question textarea")
            box.fill("What is China's share of world rare earth production?")
            box.press("Enter")
            expect(page.locator("#remqa-sources mark").first).to_be_visible(timeout=30_000)
            page.wait_for_timeout(800)
            out = REPO / "docs" / "chat.png"
            page.screenshot(path=str(out))
            browser.close()
            print(f"wrote {out}")
    finally:
        app.close()


if __name__ == "__main__":
    main()
