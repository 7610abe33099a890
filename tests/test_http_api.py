"""The HTTP API of `remqa serve` over real HTTP: the official `openai` client (plain and
streaming), curl, /api/ask, auth, hostile bodies and concurrent clients."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import openai
import pytest
from pydantic import SecretStr

from remqa import Assistant, Settings
from remqa.answering.figures import contains_figure
from remqa.server.app import RunningServer, launch
from tests.conftest import free_port

GALLIUM = "How much is the gallium market worth?"


def client(url: str, key: str = "unused") -> openai.OpenAI:
    return openai.OpenAI(base_url=url + "v1", api_key=key, max_retries=0, timeout=60)


def ask(url: str, question: str, **extra: Any) -> Any:
    messages = [{"role": "user", "content": question}]
    return client(url).chat.completions.create(model="remqa", messages=messages, **extra)


def assert_exact_quotes(citations: list[dict[str, Any]], settings: Settings) -> None:
    assert citations
    for c in citations:
        text = (settings.corpus_dir / c["source"]).read_text(encoding="utf-8")
        assert text[c["start"] : c["end"]] == c["quote"]


def test_openai_client_gets_the_answer_with_markers_and_citations(
    server: str, bundled_index: Settings
) -> None:
    response = ask(server, GALLIUM)
    content = response.choices[0].message.content
    lead = content.split("\n")[0]
    assert contains_figure(lead, "$430 million") and "[1]" in lead
    assert response.model == "remqa" and response.choices[0].finish_reason == "stop"
    extra = response.model_extra or {}
    assert extra["refused"] is False
    assert_exact_quotes(extra["citations"], bundled_index)
    # the content names each source, so a chat UI that shows only the content can follow it
    first = extra["citations"][0]
    assert f"[1] {first['source']}, characters {first['start']}-{first['end']}" in content
    assert response.usage is not None and response.usage.completion_tokens > 0


def test_the_answer_is_the_one_the_python_api_gives(server: str, bundled_index: Settings) -> None:
    direct = Assistant(bundled_index).ask(GALLIUM)
    via_openai = ask(server, GALLIUM)
    assert via_openai.choices[0].message.content.startswith(direct.text)
    extra = via_openai.model_extra or {}
    assert extra["citations"] == [c.model_dump(mode="json") for c in direct.citations]
    via_json = httpx.post(server + "api/ask", json={"question": GALLIUM}, timeout=60).json()
    assert via_json["text"] == direct.text
    assert via_json["citations"] == extra["citations"]


def test_streaming_sends_the_same_content_then_citations(server: str) -> None:
    plain = ask(server, GALLIUM)
    chunks = list(ask(server, GALLIUM, stream=True, stream_options={"include_usage": True}))
    deltas = [c.choices[0].delta.content or "" for c in chunks if c.choices]
    assert len([d for d in deltas if d]) > 3  # really in pieces
    assert "".join(deltas) == plain.choices[0].message.content
    finals = [c for c in chunks if c.choices and c.choices[0].finish_reason == "stop"]
    assert len(finals) == 1
    assert (finals[0].model_extra or {})["citations"] == (plain.model_extra or {})["citations"]
    assert chunks[-1].usage is not None and not chunks[-1].choices


def test_a_follow_up_through_messages_uses_the_conversation(server: str) -> None:
    messages: list[dict[str, str]] = []
    leads = []
    for question in (
        "What share of world gallium production does China have?",
        "And germanium?",
        "And antimony?",
    ):
        messages.append({"role": "user", "content": question})
        reply = client(server).chat.completions.create(model="remqa", messages=messages)
        content = reply.choices[0].message.content or ""
        messages.append({"role": "assistant", "content": content})
        leads.append(content.split("\n")[0])
    assert contains_figure(leads[0], "98.8%"), leads
    assert contains_figure(leads[1].split(" — ")[0], "59.2%"), leads
    assert contains_figure(leads[2].split(" — ")[0], "48%"), leads


def test_api_ask_takes_history_as_the_answers_it_returned(server: str) -> None:
    first = httpx.post(
        server + "api/ask",
        json={"question": "What share of world gallium production does China have?"},
        timeout=60,
    ).json()
    follow = httpx.post(
        server + "api/ask", json={"question": "And germanium?", "history": [first]}, timeout=60
    ).json()
    assert "germanium" in follow["resolved_question"]
    assert contains_figure(follow["text"].split(" — ")[0], "59.2%"), follow["text"]


def test_a_question_the_documents_do_not_answer_is_refused(server: str) -> None:
    response = ask(server, "How many tons of rare earths does Brazil produce?")
    extra = response.model_extra or {}
    assert extra["refused"] is True and extra["citations"] == []


def test_models_are_listed_and_an_unknown_one_is_a_clear_404(server: str) -> None:
    assert [m.id for m in client(server).models.list()] == ["remqa"]
    assert client(server).models.retrieve("remqa").id == "remqa"
    with pytest.raises(openai.NotFoundError) as raised:
        client(server).chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": GALLIUM}]
        )
    error = raised.value.body
    assert isinstance(error, dict) and error["code"] == "model_not_found"
    assert "remqa" in error["message"]


def test_curl_plain_and_streaming(server: str) -> None:
    body = json.dumps({"model": "remqa", "messages": [{"role": "user", "content": GALLIUM}]})
    plain = subprocess.run(
        ["curl", "-sS", server + "v1/chat/completions", "-H", "Content-Type: application/json",
         "-d", body],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert "$430 million" in json.loads(plain.stdout)["choices"][0]["message"]["content"]
    streamed = subprocess.run(
        ["curl", "-sSN", server + "v1/chat/completions", "-H", "Content-Type: application/json",
         "-d", json.dumps({**json.loads(body), "stream": True})],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    events = [line[6:] for line in streamed.stdout.splitlines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    text = "".join(json.loads(e)["choices"][0]["delta"].get("content", "") for e in events[:-1])
    assert "$430 million" in text


def post(url: str, **kwargs: Any) -> httpx.Response:
    return httpx.post(url, timeout=60, **kwargs)


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("v1/chat/completions", b"{not json", 400, "invalid_json"),
        ("v1/chat/completions", b'{"model": "remqa", "messages": "\xff\xfe\xfa"}', 400,
         "invalid_json"),  # invalid UTF-8
        ("v1/chat/completions", b"[1, 2, 3]", 400, "invalid_body"),
        ("v1/chat/completions", json.dumps({"model": "remqa", "messages": "hi"}).encode(), 400,
         "invalid_value"),
        ("v1/chat/completions", json.dumps({"model": 7, "messages": []}).encode(), 400,
         "invalid_value"),
        ("v1/chat/completions",
         json.dumps({"model": "remqa", "messages": [{"role": "user", "content": 5}]}).encode(),
         400, "invalid_value"),
        ("v1/chat/completions",
         json.dumps({"model": "remqa", "messages": [{"role": "user", "content": "  "}]}).encode(),
         400, "empty_question"),
        ("v1/chat/completions",
         json.dumps({"model": "remqa", "messages": [{"role": "system", "content": "x"}]}).encode(),
         400, "empty_question"),
        ("v1/chat/completions",
         json.dumps({"model": "remqa",
                     "messages": [{"role": "user", "content": "why " * 2000}]}).encode(),
         400, "invalid_question"),
        ("v1/chat/completions",
         json.dumps({"model": "remqa", "messages": [{"role": "user", "content": "x"}] * 100_000})
         .encode(), 413, "request_too_large"),
        ("v1/chat/completions",
         json.dumps({"model": "remqa", "messages": [{}] * 100_000}).encode(), 400,
         "too_many_messages"),
        ("v1/chat/completions", b"[" * 100_000 + b"]" * 100_000, 400, "invalid_json"),
        ("v1/chat/completions", b" " * 3_000_000, 413, "request_too_large"),
        ("api/ask", json.dumps({"question": ["a", "list"]}).encode(), 400, "invalid_value"),
        ("api/ask", json.dumps({"question": "x", "surprise": 1}).encode(), 400, "invalid_value"),
        ("api/ask", json.dumps({"question": ""}).encode(), 400, "invalid_question"),
    ],
)  # fmt: skip
def test_hostile_bodies_get_a_4xx_in_the_openai_shape_and_the_server_keeps_serving(
    server: str, path: str, body: bytes, status: int, code: str
) -> None:
    response = post(server + path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and error["message"] and "\n" not in error["message"]
    assert contains_figure(ask(server, GALLIUM).choices[0].message.content or "", "$430 million")


def test_a_body_larger_than_it_says_is_cut_off(server: str) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"model": "remqa", "messages": ['
        for _ in range(40_000):  # streamed, no content-length: refused as it arrives
            yield b'{"role": "user", "content": "' + b"y" * 80 + b'"},'
        yield b"]}"

    response = post(server + "v1/chat/completions", content=chunks())
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"


def test_a_wrong_method_is_answered_in_the_same_shape(server: str) -> None:
    response = httpx.get(server + "v1/chat/completions")
    assert response.status_code == 405
    assert "error" in response.json()


QUESTIONS = [
    ("What share of the world's gallium production comes from China?", "98.8%"),
    ("How much is the germanium market worth per year?", "$230 million"),
    ("When did rare earth mining resume in the United States?", "2017"),
    ("By what year does Rusatom MetalTech plan to launch its neodymium magnet plant?", "2028"),
    ("How much could a joint aluminum project in the Krasnoyarsk Territory cost?", "$15 billion"),
    ("How much is the gallium market worth each year?", "$430 million"),
    ("How many tons of rare earths does Brazil produce?", ""),
    ("What share of refined germanium production does China have?", "59.2%"),
]


def test_eight_concurrent_clients_get_the_answers_sequential_ones_do(server: str) -> None:
    def one(question: str) -> tuple[str | None, Any]:
        response = ask(server, question)
        return response.choices[0].message.content, (response.model_extra or {})["citations"]

    sequential = [one(q) for q, _ in QUESTIONS]
    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = list(pool.map(one, [q for q, _ in QUESTIONS] * 3))
    assert concurrent == sequential * 3
    for (_, figure), (content, _) in zip(QUESTIONS, sequential, strict=True):
        if figure:
            assert contains_figure((content or "").split("\n")[0], figure), content


@pytest.fixture
def keyed_server(bundled_index: Settings) -> Iterator[RunningServer]:
    settings = bundled_index.model_copy(
        update={"port": free_port(), "api_key": SecretStr("k-31415926")}
    )
    running = launch(settings)
    yield running
    running.close()


def test_with_an_api_key_set_every_api_call_needs_it(keyed_server: RunningServer) -> None:
    url = keyed_server.url
    with pytest.raises(openai.AuthenticationError):
        client(url, "wrong").models.list()
    with pytest.raises(openai.AuthenticationError):
        client(url, "wrong").chat.completions.create(
            model="remqa", messages=[{"role": "user", "content": GALLIUM}]
        )
    denied = post(url + "api/ask", json={"question": GALLIUM})
    assert denied.status_code == 401 and denied.json()["error"]["code"] == "invalid_api_key"
    reply = client(url, "k-31415926").chat.completions.create(
        model="remqa", messages=[{"role": "user", "content": GALLIUM}]
    )
    assert "$430 million" in (reply.choices[0].message.content or "")
    allowed = post(
        url + "api/ask", json={"question": GALLIUM}, headers={"Authorization": "Bearer k-31415926"}
    )
    assert allowed.status_code == 200 and "$430 million" in allowed.json()["text"]
    assert httpx.get(url).status_code == 200  # the chat page is not behind the API key


def test_off_loopback_the_api_needs_a_key(bundled_index: Settings) -> None:
    settings = bundled_index.model_copy(update={"port": free_port()})
    running = launch(settings, host="0.0.0.0")
    try:
        local = f"http://127.0.0.1:{settings.port}/"  # only ever called from this machine
        refused = httpx.get(local + "v1/models")
        assert refused.status_code == 403
        assert "REMQA_API_KEY" in refused.json()["error"]["message"]
        assert post(local + "api/ask", json={"question": GALLIUM}).status_code == 403
    finally:
        running.close()
