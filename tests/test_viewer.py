"""The document viewer over real HTTP: only corpus files, only for who may chat, pages and
highlights right (the browser's view of it: tests/test_viewer_browser.py)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from remqa import Assistant, Settings
from remqa.server.app import launch
from remqa.server.pdf_view import merge_lines
from tests.conftest import free_port
from tests.paged_pdf import SPANNING
from tests.viewer_fixtures import SECRET, Served, paged_corpus, served

__all__ = ["served"]


@pytest.mark.parametrize(
    "source",
    [
        "../secret.md",
        "linked.md",  # a symlink inside the corpus to a file outside it
        "/etc/passwd",
        "notes.md/../../secret.md",
        "..%2Fsecret.md",
        ".hidden.md",
        "C:\\Windows\\win.ini",
        "",
    ],
)
def test_the_viewer_refuses_anything_but_a_corpus_document(served: Served, source: str) -> None:
    response = httpx.get(served.url + "view", params={"source": source, "start": 0, "end": 5})
    assert response.status_code == 403, response.text
    assert "not a document of the corpus" in response.text
    assert SECRET not in response.text and "root:x:" not in response.text
    png = httpx.get(served.url + "view/page.png", params={"source": source, "page": 1})
    assert png.status_code == 403 and png.headers["content-type"].startswith("text/html")


def test_a_missing_document_and_bad_numbers_get_one_clear_line(served: Served) -> None:
    gone = httpx.get(served.url + "view", params={"source": "gone.pdf"})
    assert gone.status_code == 404 and "not in the corpus" in gone.text
    for params, words in [
        ({"source": "report.pdf", "page": "9"}, "has pages 1 to 5"),
        ({"source": "report.pdf", "start": "x"}, "start must be a whole number"),
        ({"source": "report.pdf", "start": "9", "end": "3"}, "end must not be before start"),
        ({"source": "notes.md", "start": "0", "end": "99999"}, "characters"),
    ]:
        response = httpx.get(served.url + "view", params=params)
        assert response.status_code == 400 and words in response.text, (params, response.text)


def test_a_pdf_page_is_served_as_a_png_of_the_page(served: Served) -> None:
    response = httpx.get(served.url + "view/page.png", params={"source": "report.pdf", "page": 4})
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(response.content))
    assert abs(image.width / image.height - 210 / 297) < 0.01  # an A4 page
    again = httpx.get(served.url + "view/page.png", params={"source": "report.pdf", "page": 4})
    assert again.content == response.content


def test_the_viewer_opens_at_the_quotes_page(served: Served) -> None:
    answer = httpx.post(served.url + "api/ask", json={"question": SPANNING[2]}, timeout=60).json()
    c = answer["citations"][0]
    assert (c["page"], c["page_end"], c["section"]) == (4, 5, "History")
    params = {"source": c["source"], "start": c["start"], "end": c["end"]}
    first = httpx.get(served.url + "view", params=params)
    assert first.status_code == 200 and "Page 4 of 5" in first.text
    assert first.text.count('class="hl"') >= 1
    assert "script" not in first.headers["content-security-policy"]
    assert "default-src 'none'" in first.headers["content-security-policy"]
    turned = httpx.get(served.url + "view", params={**params, "page": 5})
    assert "Page 5 of 5" in turned.text and turned.text.count('class="hl"') >= 1
    other = httpx.get(served.url + "view", params={**params, "page": 2})
    assert "Page 2 of 5" in other.text and 'class="hl"' not in other.text


def test_the_viewer_needs_the_chats_login_when_one_is_set(tmp_path: Path) -> None:
    from pydantic import SecretStr

    corpus = paged_corpus(tmp_path)
    settings = Settings(
        corpus_dir=corpus, index_dir=tmp_path / "index", show_progress=False,
        port=free_port(), auth=SecretStr("ana:s3cret"),
    )  # fmt: skip
    Assistant(settings).ingest()
    app = launch(settings)
    try:
        params = {"source": "notes.md", "start": 0, "end": 9}
        denied = httpx.get(app.url + "view", params=params)
        assert denied.status_code == 401 and "Log in to the chat" in denied.text
        assert "Bridges" not in denied.text
        png = httpx.get(app.url + "view/page.png", params={"source": "report.pdf", "page": 1})
        assert png.status_code == 401
        with httpx.Client(base_url=app.url) as browser:
            wrong = browser.post("login", data={"username": "ana", "password": "nope"})
            assert wrong.status_code >= 400
            assert browser.get("view", params=params).status_code == 401
            assert browser.post("login", data={"username": "ana", "password": "s3cret"}).is_success
            allowed = browser.get("view", params=params)
            assert allowed.status_code == 200 and "Bridges" in allowed.text
    finally:
        app.close()


@pytest.mark.parametrize(
    ("boxes", "merged"),
    [
        ([], []),
        # three letters of one line, then the next line
        (
            [(0.10, 0.10, 0.12, 0.12), (0.12, 0.10, 0.14, 0.12), (0.145, 0.10, 0.16, 0.12),
             (0.10, 0.13, 0.12, 0.15)],
            [(0.10, 0.10, 0.16, 0.12), (0.10, 0.13, 0.12, 0.15)],
        ),
        # a word far to the right on the same line (a table cell) is its own rectangle
        (
            [(0.10, 0.10, 0.12, 0.12), (0.60, 0.10, 0.62, 0.12)],
            [(0.10, 0.10, 0.12, 0.12), (0.60, 0.10, 0.62, 0.12)],
        ),
    ],
)  # fmt: skip
def test_character_boxes_merge_line_by_line(
    boxes: list[tuple[float, float, float, float]],
    merged: list[tuple[float, float, float, float]],
) -> None:
    got = merge_lines(boxes)
    assert len(got) == len(merged)
    for rect, expected in zip(got, merged, strict=True):
        assert rect == pytest.approx(expected)


def test_a_pdf_indexed_without_its_character_map_is_still_shown(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index from before the viewer: a short PDF is read once on demand (and its map kept);
    a long one is shown unmarked, with the one-line fix."""
    from remqa.server import pdf_view

    maps = list((served.settings.index_dir / "layout").glob("*.json"))
    assert len(maps) == 1  # the report's; a Markdown file needs none
    answer = httpx.post(served.url + "api/ask", json={"question": SPANNING[2]}, timeout=60)
    c = answer.json()["citations"][0]
    params = {"source": "report.pdf", "start": c["start"], "end": c["end"]}
    marked = httpx.get(served.url + "view", params=params).text

    def forget() -> None:
        maps[0].unlink()
        pdf_view._char_map.cache_clear()

    forget()
    monkeypatch.setattr(pdf_view, "ON_DEMAND_PAGES", 2)
    unmarked = httpx.get(served.url + "view", params={**params, "page": 4})
    assert unmarked.status_code == 200 and "Page 4 of 5" in unmarked.text
    assert 'class="hl"' not in unmarked.text and "run `remqa ingest`" in unmarked.text
    monkeypatch.setattr(pdf_view, "ON_DEMAND_PAGES", 50)
    pdf_view._char_map.cache_clear()
    again = httpx.get(served.url + "view", params=params).text
    assert again == marked and maps[0].is_file()  # read on demand, and kept
