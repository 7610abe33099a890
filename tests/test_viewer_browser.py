"""The document viewer in a real browser (Debian's Chromium, Playwright): a source click opens
the cited page with the quote's own characters marked, page turning, a Markdown note scrolled
to its quote, paths outside the corpus refused, and a phone's width."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, FrameLocator, Page, expect

from tests.paged_pdf import SPANNING
from tests.test_browser import ask, browser
from tests.viewer_fixtures import SECRET, TOLERANCE, Box, Served, char_boxes, inside, served

__all__ = ["browser", "served"]


@pytest.fixture
def tab(browser: Browser, served: Served) -> Iterator[Page]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    yield page
    page.close()


def open_source(tab: Page, served: Served, question: str) -> FrameLocator:
    """Ask in the chat, click the first source's file name: the viewer's frame."""
    tab.goto(served.url)
    expect(tab.locator("#remqa-status")).to_contain_text("chunks", timeout=60_000)
    ask(tab, question)
    link = tab.locator("#remqa-sources a.remqa-open").first
    expect(link).to_be_visible(timeout=30_000)
    link.click()
    expect(tab.locator("#remqa-viewer")).to_be_visible()
    return tab.frame_locator("#remqa-viewer iframe")


def marked_boxes(frame: FrameLocator) -> list[Box]:
    """The viewer's highlight rectangles, as fractions of the page image shown."""
    image = frame.locator("#remqa-page img").bounding_box()
    assert image is not None
    out = []
    for mark in frame.locator(".hl").all():
        box = mark.bounding_box()
        assert box is not None
        out.append((
            (box["x"] - image["x"]) / image["width"],
            (box["y"] - image["y"]) / image["height"],
            (box["x"] + box["width"] - image["x"]) / image["width"],
            (box["y"] + box["height"] - image["y"]) / image["height"],
        ))  # fmt: skip
    return out


def assert_marks_cover_exactly(marks: list[Box], chars: list[Box]) -> None:
    """Every character of the quote lies inside a mark, and every mark holds characters of
    the quote and reaches no further than they do."""
    assert chars and marks

    for c in chars:
        assert any(inside(c, m) for m in marks), f"character box {c} not marked"
    for m in marks:
        held = [c for c in chars if inside(c, m)]
        assert held, f"mark {m} holds no character of the quote"
        hull = (min(c[0] for c in held), min(c[1] for c in held),
                max(c[2] for c in held), max(c[3] for c in held))  # fmt: skip
        assert all(abs(a - b) <= TOLERANCE for a, b in zip(m, hull, strict=True)), (m, hull)


def test_a_source_click_opens_the_page_with_the_quotes_characters_marked(
    tab: Page, served: Served
) -> None:
    frame = open_source(tab, served, SPANNING[2])
    expect(frame.locator("#remqa-pageno")).to_have_text("Page 4 of 5")
    expect(frame.locator("#remqa-page img")).to_have_js_property("complete", True)
    expect(frame.locator("#remqa-quote")).to_be_in_viewport()
    pdf = served.corpus / "report.pdf"
    assert_marks_cover_exactly(
        marked_boxes(frame), char_boxes(pdf, 4, "The Zentheria pipeline", None)
    )
    frame.locator("#remqa-next").click()  # the sentence goes on over the page
    expect(frame.locator("#remqa-pageno")).to_have_text("Page 5 of 5")
    expect(frame.locator("#remqa-page img")).to_have_js_property("complete", True)
    assert_marks_cover_exactly(marked_boxes(frame), char_boxes(pdf, 5, None, "to the city."))
    frame.locator("#remqa-prev").click()
    expect(frame.locator("#remqa-pageno")).to_have_text("Page 4 of 5")
    frame.locator("#remqa-prev").click()
    expect(frame.locator("#remqa-pageno")).to_have_text("Page 3 of 5")
    expect(frame.locator(".hl")).to_have_count(0)
    tab.locator("#remqa-viewer-close").click()
    expect(tab.locator("#remqa-viewer")).to_be_hidden()


def test_a_markdown_source_opens_its_text_scrolled_to_the_quote(tab: Page, served: Served) -> None:
    frame = open_source(tab, served, "How much did the Pellucid bridge cost?")
    quote = frame.locator("mark#remqa-quote")
    expect(quote).to_have_text("The Pellucid bridge cost 31 million euros.")
    expect(quote).to_be_in_viewport()
    expect(frame.locator("#remqa-doc")).to_contain_text("## Costs")


def test_the_viewer_refuses_a_path_outside_the_corpus(tab: Page, served: Served) -> None:
    for source in ("../secret.md", "linked.md", "/etc/passwd"):
        response = tab.goto(served.url + f"view?source={source}&start=0&end=9")
        assert response is not None and response.status == 403
        expect(tab.locator("#remqa-error")).to_contain_text("not a document of the corpus")
        assert SECRET not in tab.content() and "root:x:" not in tab.content()


def test_the_viewer_fits_a_phone(browser: Browser, served: Served) -> None:
    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        frame = open_source(phone, served, SPANNING[2])
        expect(frame.locator("#remqa-pageno")).to_have_text("Page 4 of 5")
        panel = phone.locator("#remqa-viewer .remqa-viewer-panel").bounding_box()
        assert panel is not None and panel["x"] >= 0 and panel["width"] <= 390
        root = frame.locator("html")
        assert root.evaluate("e => e.scrollWidth <= e.clientWidth"), "horizontal scroll"
        image = frame.locator("#remqa-page img").bounding_box()
        assert image is not None and image["width"] <= 390 and image["width"] > 300
        expect(frame.locator("#remqa-quote")).to_be_in_viewport()
        expect(frame.locator("#remqa-next")).to_be_visible()
        expect(phone.locator("#remqa-viewer-close")).to_be_in_viewport()
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        phone.close()
