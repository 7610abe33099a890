"""Questions scoped to chosen files through `remqa serve`: the HTTP API (/api/ask and the
OpenAI-compatible /v1/chat/completions), Gradio's /ask and /chat, and the chat's picker in a
real browser. One real server over a real ingest of two files, each holding facts the other
lacks (zorblax.txt: the reactor; notes/flumbit.md: the harvest)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
from gradio_client import Client
from playwright.sync_api import Browser, Page, expect

from remqa import Assistant, Settings
from remqa.server.app import launch
from tests.conftest import TINY_DOCS, free_port, write_corpus
from tests.test_browser import browser  # noqa: F401 - the real Chromium of the browser tests
from tests.test_ui import chat_text

A, B = "zorblax.txt", "notes/flumbit.md"
ONLY_IN_A = "How many megawatts does the zorblax reactor produce?"
FOLLOW_UP = "And when was it built?"  # about the reactor: only in A


@pytest.fixture(scope="module")
def scoped_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("scope-serve")
    corpus = write_corpus(root / "corpus", TINY_DOCS)
    settings = Settings(
        corpus_dir=corpus, index_dir=root / "index", show_progress=False, port=free_port()
    )
    Assistant(settings).ingest()
    running = launch(settings)
    yield running.url
    running.close()


def api_ask(url: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(url + "api/ask", json=body, timeout=60)


def test_api_ask_takes_sources(scoped_server: str) -> None:
    refused = api_ask(scoped_server, {"question": ONLY_IN_A, "sources": [B]}).json()
    assert refused["refused"] and refused["sources"] == [B]
    assert "chosen documents" in refused["text"] and refused["citations"] == []
    answered = api_ask(scoped_server, {"question": ONLY_IN_A, "sources": [A]}).json()
    assert not answered["refused"] and "412 megawatts" in answered["text"]
    assert {c["source"] for c in answered["citations"]} == {A}
    everything = api_ask(scoped_server, {"question": ONLY_IN_A}).json()
    assert not everything["refused"] and everything["sources"] == []


def test_api_ask_follow_up_with_the_same_sources_keeps_the_scope(scoped_server: str) -> None:
    first = api_ask(scoped_server, {"question": ONLY_IN_A, "sources": [A]}).json()
    body = {"question": FOLLOW_UP, "history": [first]}
    kept = api_ask(scoped_server, body | {"sources": [A]}).json()
    assert not kept["refused"] and "1987" in kept["text"]
    other = api_ask(scoped_server, body | {"sources": [B]}).json()
    assert other["refused"] and "chosen documents" in other["text"]


@pytest.mark.parametrize(
    ("sources", "param", "code", "says"),
    [
        (["zorblx.txt"], "sources", "unknown_source", "did you mean 'zorblax.txt'"),
        (["report.pdf", "q3 memo.docx"], "sources", "unknown_source", "the indexed ones are"),
        ("zorblax.txt", "sources", "invalid_value", "sources"),
        ([1], "sources.0", "invalid_value", "sources"),
    ],
)
def test_a_bad_source_is_a_400_in_the_error_shape(
    scoped_server: str, sources: Any, param: str, code: str, says: str
) -> None:
    for path, body in (
        ("api/ask", {"question": ONLY_IN_A, "sources": sources}),
        (
            "v1/chat/completions",
            {
                "model": "remqa",
                "messages": [{"role": "user", "content": ONLY_IN_A}],
                "sources": sources,
            },
        ),
    ):
        response = httpx.post(scoped_server + path, json=body, timeout=60)
        assert response.status_code == 400, (path, response.text)
        error = response.json()["error"]
        assert error["code"] == code and error["param"] == param, error
        assert says in error["message"] and "\n" not in error["message"]


def test_openai_client_sends_sources_with_extra_body(scoped_server: str) -> None:
    client = openai.OpenAI(base_url=scoped_server + "v1", api_key="unused", max_retries=0)

    def ask(messages: list[dict[str, str]], sources: list[str]) -> Any:
        return client.chat.completions.create(
            model="remqa",
            messages=messages,
            extra_body={"sources": sources},
        )

    question = [{"role": "user", "content": ONLY_IN_A}]
    refused = ask(question, [B])
    assert (refused.model_extra or {})["refused"] is True
    assert (refused.model_extra or {})["sources"] == [B]
    assert "chosen documents" in (refused.choices[0].message.content or "")
    answered = ask(question, [A])
    assert "412 megawatts" in (answered.choices[0].message.content or "")
    conversation = [
        *question,
        {"role": "assistant", "content": answered.choices[0].message.content or ""},
        {"role": "user", "content": FOLLOW_UP},
    ]
    assert "1987" in (ask(conversation, [A]).choices[0].message.content or "")
    assert (ask(conversation, [B]).model_extra or {})["refused"] is True
    with pytest.raises(openai.BadRequestError, match="did you mean 'zorblax.txt'"):
        ask(question, ["zorblax"])
    streamed = client.chat.completions.create(
        model="remqa",
        messages=question,
        stream=True,
        extra_body={"sources": [B]},
    )
    last = list(streamed)[-1]
    assert (last.model_extra or {})["refused"] is True


def test_gradio_ask_and_chat_endpoints_take_sources(scoped_server: str) -> None:
    client = Client(scoped_server, verbose=False)
    refused = client.predict(ONLY_IN_A, "", [B], api_name="/ask")
    assert refused["refused"] and "chosen documents" in refused["text"]
    answered = client.predict(ONLY_IN_A, "", [A], api_name="/ask")
    assert not answered["refused"] and "412 megawatts" in answered["text"]
    assert not client.predict(ONLY_IN_A, api_name="/ask")["refused"]  # default: all
    with pytest.raises(Exception, match="did you mean 'zorblax.txt'"):
        client.predict(ONLY_IN_A, "", ["zorblx.txt"], api_name="/ask")
    chat = client.predict(ONLY_IN_A, [], [B], api_name="/chat")[1]
    assert "Not in the chosen documents" in chat_text(chat)
    chat = client.predict(ONLY_IN_A, [], [A], api_name="/chat")[1]
    assert "412 megawatts" in chat_text(chat)


# ---- the picker in a real browser


def choose_only(page: Page, name: str) -> None:
    """Empty the picker, then choose `name` from its list."""
    picker = page.locator("#remqa-scope")
    for _ in range(picker.locator(".token").count()):
        picker.locator(".token .token-remove").first.click()
    expect(picker.locator(".token")).to_have_count(0)
    picker.locator("input").click()
    page.get_by_role("option", name=name, exact=True).click()
    page.locator("#remqa-status").click()  # close the list
    expect(picker.locator(".token")).to_have_text([name])


def ask(page: Page, question: str) -> None:
    box = page.locator("#remqa-question textarea")
    box.fill(question)
    box.press("Enter")


def test_the_picker_limits_answers_and_follow_ups_keep_it(
    browser: Browser,  # noqa: F811 - the fixture imported above
    scoped_server: str,
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(scoped_server)
    expect(page.locator("#remqa-status")).to_contain_text("chunks", timeout=60_000)
    rows = page.locator("#remqa-chat .message-row")
    sources = page.locator("#remqa-sources")

    choose_only(page, B)
    ask(page, ONLY_IN_A)
    expect(rows).to_have_count(2, timeout=30_000)
    expect(rows.last).to_contain_text("Not in the chosen documents", timeout=30_000)
    expect(sources).to_contain_text(f"only in {B}", timeout=30_000)
    ask(page, FOLLOW_UP)  # answered from A when A may be searched: see below
    expect(rows).to_have_count(4, timeout=30_000)
    expect(rows.last).to_contain_text("Not in the chosen documents", timeout=30_000)
    expect(sources).to_contain_text(FOLLOW_UP, timeout=30_000)

    page.reload()  # the conversation comes back, and its scope with it
    expect(page.locator("#remqa-status")).to_contain_text("chunks", timeout=60_000)
    expect(rows).to_have_count(4, timeout=30_000)
    expect(page.locator("#remqa-scope .token")).to_have_text([B], timeout=30_000)

    choose_only(page, A)
    ask(page, ONLY_IN_A)
    expect(rows).to_have_count(6, timeout=30_000)
    expect(rows.last).to_contain_text("412 megawatts", timeout=30_000)
    expect(sources).to_contain_text(f"only in {A}", timeout=30_000)
    ask(page, FOLLOW_UP)
    expect(rows).to_have_count(8, timeout=30_000)
    expect(rows.last).to_contain_text("1987", timeout=30_000)
    expect(sources).to_contain_text(FOLLOW_UP, timeout=30_000)
    expect(sources.locator("mark")).to_contain_text("1987")
    page.close()


def test_the_picker_follows_documents_added_and_removed(
    browser: Browser,  # noqa: F811 - the fixture imported above
    tmp_path: Path,
) -> None:
    corpus = write_corpus(tmp_path / "corpus", TINY_DOCS)
    settings = Settings(
        corpus_dir=corpus, index_dir=tmp_path / "index", show_progress=False, port=free_port()
    )
    added = tmp_path / "furnace.txt"
    added.write_text("The vorpal furnace has 3,150 burners in six rows.", encoding="utf-8")
    app = launch(settings)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(app.url)
        expect(page.locator("#remqa-status")).to_contain_text("2 documents", timeout=120_000)
        choose_only(page, A)

        page.get_by_role("tab", name="Documents").click()
        page.locator("#remqa-upload input[type=file]").set_input_files([str(added)])
        page.locator("#remqa-add").click()
        expect(page.locator("#remqa-docs-result")).to_contain_text("Indexed", timeout=120_000)
        pick = page.locator("#remqa-remove-pick input")
        pick.fill(A)
        pick.press("Enter")
        page.locator("#remqa-remove").click()
        page.locator("#remqa-confirm").click()
        expect(page.locator("#remqa-docs-result")).to_contain_text("Removed", timeout=60_000)

        page.get_by_role("tab", name="Chat").click()
        picker = page.locator("#remqa-scope")
        expect(picker.locator(".token")).to_have_count(0)  # the removed file is unchosen
        picker.locator("input").click()
        expect(page.get_by_role("option", name="furnace.txt", exact=True)).to_be_visible()
        expect(page.get_by_role("option", name=A, exact=True)).to_have_count(0)
        page.get_by_role("option", name="furnace.txt", exact=True).click()
        page.locator("#remqa-status").click()
        ask(page, "How many burners does the vorpal furnace have?")
        expect(page.locator("#remqa-chat .message-row").last).to_contain_text(
            "3,150", timeout=30_000
        )
        expect(page.locator("#remqa-sources")).to_contain_text("only in furnace.txt")
        page.close()
    finally:
        app.close()
