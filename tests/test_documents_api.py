"""The Documents actions through the chat server's named API (gradio_client, real HTTP):
add, list, ask, remove, re-index; refused on a network address without a login; an upload
while eight sessions ask."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from remqa import Assistant, Settings
from remqa.server.app import launch
from tests.conftest import free_port
from tests.documents import docx_bytes

QUESTION = "How many burners does the vorpal furnace have?"
FACT = "The vorpal furnace has 3,150 burners in six rows."


@pytest.fixture
def served(
    tiny_corpus: Path, make_settings: Callable[..., Settings]
) -> Iterator[tuple[str, Settings]]:
    settings = make_settings(tiny_corpus, port=free_port())
    Assistant(settings).ingest()
    app = launch(settings)
    url = app.url
    yield url, settings
    app.close()


def _uploads(folder: Path) -> list[Any]:
    docx = folder / "furnace.docx"
    docx.write_bytes(docx_bytes(["Furnace notes", FACT]))
    text = folder / "kettle.txt"
    text.write_text("The copper kettle holds 4 litres.", encoding="utf-8")
    return [handle_file(str(docx)), handle_file(str(text))]


def test_add_ask_list_remove_and_reindex_through_the_api(
    served: tuple[str, Settings], tmp_path: Path
) -> None:
    url, settings = served
    client = Client(url, verbose=False)
    outcome, *_rest, report, _ = client.predict(_uploads(tmp_path), api_name="/add_documents")
    assert [o["saved_as"] for o in report["outcomes"]] == ["furnace.docx", "kettle.txt"]
    assert sorted(report["ingest"]["added"]) == ["furnace.docx", "kettle.txt"]
    assert "Indexed" in outcome
    listed = client.predict(api_name="/documents")
    assert {d["source"] for d in listed["documents"]} >= {"furnace.docx", "kettle.txt"}
    answer = client.predict(QUESTION, api_name="/ask")
    assert "3,150" in answer["text"] and answer["citations"][0]["source"] == "furnace.docx"

    removed = client.predict("furnace.docx", api_name="/remove_document")[-1]
    assert removed["removed"] == ["furnace.docx"]
    assert client.predict(QUESTION, api_name="/ask")["refused"]
    assert not (settings.corpus_dir / "furnace.docx").exists()
    with pytest.raises(AppError, match="not a document"):
        client.predict("../../etc/passwd", api_name="/remove_document")

    (settings.corpus_dir / "extra.md").write_text("The brass bell weighs 9 kilograms.")
    reindexed = client.predict(api_name="/reindex")[-1]
    assert reindexed["added"] == ["extra.md"]
    assert "9 kilograms" in client.predict("How heavy is the brass bell?", api_name="/ask")["text"]


def test_a_file_over_the_limit_is_refused_as_it_arrives(
    tiny_corpus: Path, make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    settings = make_settings(tiny_corpus, port=free_port(), max_file_bytes=50_000)
    Assistant(settings).ingest()
    app = launch(settings)
    url = app.url
    try:
        big = tmp_path / "big.txt"
        big.write_text("word " * 20_000, encoding="utf-8")  # 100 kB
        with pytest.raises(Exception, match="(?i)size|large|exceed"):
            Client(url, verbose=False).predict([handle_file(str(big))], api_name="/add_documents")
        assert not (tiny_corpus / "big.txt").exists()
    finally:
        app.close()


def test_changes_are_refused_on_a_network_address_without_a_login(
    tiny_corpus: Path, make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    settings = make_settings(tiny_corpus, port=free_port(), host="0.0.0.0")
    Assistant(settings).ingest()
    app = launch(settings)
    try:
        url = f"http://127.0.0.1:{settings.port}/"
        page = httpx.get(url + "config", timeout=30).json()  # what the page is built from
        notices = [c.get("props", {}).get("value") for c in page["components"]
                   if c.get("props", {}).get("elem_id") == "remqa-docs-off"]  # fmt: skip
        shown = str(notices[0]).replace("\\", "") if notices else ""  # Markdown escapes gone
        assert "REMQA_AUTH" in shown and "listens on 0.0.0.0" in shown
        client = Client(url, verbose=False)
        with pytest.raises(AppError, match="REMQA_AUTH"):
            client.predict(_uploads(tmp_path), api_name="/add_documents")
        with pytest.raises(AppError, match="REMQA_AUTH"):
            client.predict("zorblax.txt", api_name="/remove_document")
        with pytest.raises(AppError, match="REMQA_AUTH"):
            client.predict(api_name="/reindex")
        assert sorted(p.name for p in tiny_corpus.rglob("*") if p.is_file()) == [
            "flumbit.md", "zorblax.txt",
        ]  # fmt: skip
        assert "412" in client.predict("How much power does the zorblax reactor produce?",
                                       api_name="/ask")["text"]  # fmt: skip
    finally:
        app.close()


def test_an_upload_while_eight_sessions_ask_gives_no_errors_and_only_exact_quotes(
    served: tuple[str, Settings], tmp_path: Path
) -> None:
    url, settings = served
    reader = Assistant(settings)
    failures: list[str] = []
    answers: list[dict[str, Any]] = []
    stop = threading.Event()

    def ask_until_stopped() -> None:
        client = Client(url, verbose=False)
        while not stop.is_set():
            try:
                answers.append(client.predict(
                    "How much power does the zorblax reactor produce?", api_name="/ask"
                ))  # fmt: skip
            except Exception as exc:  # noqa: BLE001 - every failure is the finding
                failures.append(repr(exc))

    threads = [threading.Thread(target=ask_until_stopped) for _ in range(8)]
    for thread in threads:
        thread.start()
    try:
        report = Client(url, verbose=False).predict(_uploads(tmp_path), api_name="/add_documents")
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
    assert failures == []
    assert report[-2]["ingest"]["added"] == ["furnace.docx", "kettle.txt"]
    assert len(answers) >= 8
    for answer in answers:
        assert "412" in answer["text"]
        for c in answer["citations"]:
            assert reader.source_text(c["source"])[c["start"] : c["end"]] == c["quote"]
