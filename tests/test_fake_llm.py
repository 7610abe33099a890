"""Self-test of tests/fake_llm.py against the real LlamaIndex OpenAILike and Ollama clients."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator

import pytest
from llama_index.core.llms import ChatMessage
from llama_index.llms.ollama import Ollama
from llama_index.llms.openai_like import OpenAILike

from tests.fake_llm import FakeLLMServer, Script, split_reply

REPLY = "The zorblax reactor produces 412 megawatts of power, built in 1987."
HI = [ChatMessage(role="user", content="hi")]


@pytest.fixture
def llm() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as server:
        yield server


def openai_like(server: FakeLLMServer, timeout: float = 5, **kwargs: object) -> OpenAILike:
    params: dict[str, object] = {
        "model": "fake-model",
        "api_base": server.url + "/v1",
        "api_key": "x",
        "is_chat_model": True,
        "timeout": timeout,
        "max_retries": 0,
        **kwargs,
    }
    return OpenAILike(**params)


def ollama(server: FakeLLMServer, timeout: float = 5) -> Ollama:
    return Ollama(model="fake-model", base_url=server.url, request_timeout=timeout)


def test_split_reply_round_trips() -> None:
    for text in ["", " ", "one", "a b c d e f g", "  lead\nand trail  ", REPLY]:
        assert "".join(split_reply(text)) == text
    assert len(split_reply("a b c d e f g")) == 3


# -- OpenAI-compatible --------------------------------------------------------------------


def test_openai_chat(llm: FakeLLMServer) -> None:
    llm.queue(Script(reply=REPLY))
    response = openai_like(llm).chat(HI)
    assert response.message.content == REPLY
    assert llm.paths[-1] == "/v1/chat/completions"
    assert llm.requests[-1]["model"] == "fake-model"
    assert llm.requests[-1]["messages"] == [{"role": "user", "content": "hi"}]
    assert not llm.requests[-1].get("stream")


def test_openai_stream_chat(llm: FakeLLMServer) -> None:
    llm.queue(Script(reply=REPLY))
    deltas = [chunk.delta or "" for chunk in openai_like(llm).stream_chat(HI)]
    assert "".join(deltas) == REPLY
    assert len([d for d in deltas if d]) > 1
    assert llm.requests[-1]["stream"] is True


def test_openai_complete_on_chat_model(llm: FakeLLMServer) -> None:
    llm.queue(Script(reply=REPLY))
    assert openai_like(llm).complete("hi").text == REPLY
    assert llm.paths[-1] == "/v1/chat/completions"
    assert llm.requests[-1]["messages"][-1]["content"] == "hi"


def test_openai_text_completion_model(llm: FakeLLMServer) -> None:
    client = openai_like(llm, is_chat_model=False)
    llm.queue(Script(reply=REPLY))
    assert client.complete("hi").text == REPLY
    assert llm.paths[-1] == "/v1/completions"
    assert llm.requests[-1]["prompt"] == "hi"
    deltas = [chunk.delta or "" for chunk in client.stream_complete("hi")]
    assert "".join(deltas) == REPLY
    assert len([d for d in deltas if d]) > 1


def test_scripts_are_consumed_in_order_then_last_reused(llm: FakeLLMServer) -> None:
    llm.queue(Script(reply="first"), Script(reply="second"))
    client = openai_like(llm)
    replies = [client.chat(HI).message.content for _ in range(3)]
    assert replies == ["first", "second", "second"]


def test_openai_timeout(llm: FakeLLMServer) -> None:
    import openai

    llm.queue(Script(reply=REPLY, delay=3))
    with pytest.raises(openai.APITimeoutError):
        openai_like(llm, timeout=1).chat(HI)


def test_openai_server_error(llm: FakeLLMServer) -> None:
    import openai

    llm.queue(Script(status=500))
    with pytest.raises(openai.InternalServerError) as info:
        openai_like(llm).chat(HI)
    assert info.value.status_code == 500
    assert "scripted failure" in str(info.value)


def test_openai_malformed_json(llm: FakeLLMServer) -> None:
    llm.queue(Script(raw_body=b"{not json"))
    with pytest.raises(ValueError):  # json.JSONDecodeError
        openai_like(llm).chat(HI)


def test_openai_models_endpoint(llm: FakeLLMServer) -> None:
    import openai

    client = openai.OpenAI(base_url=llm.url + "/v1", api_key="x", max_retries=0, timeout=5)
    assert [m.id for m in client.models.list()] == ["fake-model"]


# -- Ollama -------------------------------------------------------------------------------


def test_ollama_chat(llm: FakeLLMServer) -> None:
    llm.queue(Script(reply=REPLY))
    response = ollama(llm).chat(HI)
    assert response.message.content == REPLY
    assert llm.paths[-1] == "/api/chat"
    assert llm.requests[-1]["messages"] == [{"role": "user", "content": "hi"}]
    assert llm.requests[-1]["stream"] is False
    # With the default context_window=-1 the client asks /api/show first.
    assert llm.paths == ["/api/show", "/api/chat"]


def test_ollama_stream_chat(llm: FakeLLMServer) -> None:
    llm.queue(Script(reply=REPLY))
    chunks = list(ollama(llm).stream_chat(HI))
    deltas = [chunk.delta or "" for chunk in chunks]
    assert "".join(deltas) == REPLY
    assert len([d for d in deltas if d]) > 1
    assert chunks[-1].message.content == REPLY
    assert llm.requests[-1]["stream"] is True


def test_ollama_complete(llm: FakeLLMServer) -> None:
    llm.queue(Script(reply=REPLY))
    assert ollama(llm).complete("hi").text == REPLY


def test_ollama_context_window_from_show(llm: FakeLLMServer) -> None:
    assert ollama(llm).metadata.context_window == 8192


def test_ollama_timeout(llm: FakeLLMServer) -> None:
    import httpx

    llm.queue(Script(reply=REPLY, delay=3))
    client = ollama(llm, timeout=1)
    client.context_window = 4096  # skip /api/show so the timeout hits the chat call
    with pytest.raises(httpx.TimeoutException):
        client.chat(HI)


def test_ollama_server_error(llm: FakeLLMServer) -> None:
    from ollama import ResponseError

    llm.queue(Script(status=500))
    with pytest.raises(ResponseError) as info:
        ollama(llm).chat(HI)
    assert info.value.status_code == 500


def test_ollama_malformed_json(llm: FakeLLMServer) -> None:
    llm.queue(Script(raw_body=b"{not json"))
    with pytest.raises(ValueError):  # json.JSONDecodeError
        ollama(llm).chat(HI)
    with pytest.raises(ValueError):
        list(ollama(llm).stream_chat(HI))


def test_ollama_metadata_endpoints(llm: FakeLLMServer) -> None:
    from ollama import Client

    client = Client(host=llm.url, timeout=5)
    assert [m.model for m in client.list().models] == ["fake-model:latest"]
    with urllib.request.urlopen(llm.url + "/api/version", timeout=5) as response:
        assert "version" in json.load(response)


def test_server_shuts_down_promptly_during_delay() -> None:
    import threading
    import time

    errors: list[BaseException] = []

    def ask(server: FakeLLMServer) -> None:
        try:
            openai_like(server, timeout=60).chat(HI)
        except Exception as exc:
            errors.append(exc)

    with FakeLLMServer() as server:
        server.queue(Script(reply=REPLY, delay=30))
        worker = threading.Thread(target=ask, args=(server,), daemon=True)
        worker.start()
        time.sleep(0.3)
        started = time.monotonic()
    assert time.monotonic() - started < 5
    worker.join(timeout=5)
    assert errors  # the client sees the connection dropped, not a reply
