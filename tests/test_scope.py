"""Questions scoped to chosen files: the real Assistant over a real ingest of two files, each
holding facts the other lacks (zorblax.txt: the reactor; notes/flumbit.md: the harvest)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from remqa import Assistant, Settings
from remqa.errors import QuestionError, UnknownSourceError
from remqa.retrieval.scope import check_sources

A, B = "zorblax.txt", "notes/flumbit.md"
ONLY_IN_A = "How many megawatts does the zorblax reactor produce?"
ONLY_IN_B = "How many tonnes of flumbit were harvested in 2021?"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    from tests.conftest import TINY_DOCS, write_corpus

    root = tmp_path_factory.mktemp("scope")
    corpus = write_corpus(root / "corpus", TINY_DOCS)
    built = Assistant(Settings(corpus_dir=corpus, index_dir=root / "index", show_progress=False))
    built.ingest()
    return built


def test_a_question_only_file_a_answers_is_refused_with_only_b_chosen(
    assistant: Assistant,
) -> None:
    answer = assistant.ask(ONLY_IN_A, sources=[B])
    assert answer.refused
    assert answer.citations == []
    assert answer.sources == [B]
    assert "chosen documents" in answer.text
    assert any("in the chosen documents" in n and B in n for n in answer.notices)


def test_the_same_question_is_answered_from_a_with_a_chosen(assistant: Assistant) -> None:
    answer = assistant.ask(ONLY_IN_A, sources=[A])
    assert not answer.refused
    assert "412 megawatts" in answer.text
    assert {c.source for c in answer.citations} == {A}
    assert answer.sources == [A]


def test_no_scope_and_an_empty_scope_mean_all_documents(assistant: Assistant) -> None:
    for sources in (None, [], [""]):
        answer = assistant.ask(ONLY_IN_B, sources=sources)
        assert not answer.refused and "7,300 tonnes" in answer.text
        assert answer.sources == []
    both = assistant.ask(ONLY_IN_B, sources=[A, B, B])
    assert not both.refused and both.sources == sorted([A, B])


def test_the_top_passages_come_from_the_chosen_file_even_when_the_other_matches_better(
    assistant: Assistant,
) -> None:
    everywhere = assistant.retriever.retrieve(ONLY_IN_B)
    assert everywhere[0].chunk.source == B  # B matches the question better...
    assert {p.chunk.source for p in everywhere} == {A, B}
    scoped = assistant.retriever.retrieve(ONLY_IN_B, sources=[A])
    assert scoped and {p.chunk.source for p in scoped} == {A}  # ...but only A was chosen
    assert len(scoped) == len([c for c in assistant.retriever.chunks if c.source == A])
    refused = assistant.ask(ONLY_IN_B, sources=[A])
    assert refused.refused and "7,300" not in refused.text


def test_each_leg_is_filtered_before_fusion(assistant: Assistant) -> None:
    """Dense (Chroma `where`) and BM25 (weight mask) each return only the chosen file's
    chunks, so fusion ranks passages of that file, not a global list thinned afterwards."""
    from remqa.retrieval.scope import scoped_bundle

    retriever = assistant.retriever
    scope = retriever.scope((A,))
    vector = assistant.similarity.embed_query(ONLY_IN_B)
    bundle = scoped_bundle(ONLY_IN_B, vector, scope)
    dense, bm25 = retriever.legs
    for leg in (dense, bm25):
        hits = leg.retrieve(bundle)
        assert hits, leg
        assert {retriever.by_id[h.node.node_id].source for h in hits} == {A}
    unscoped = scoped_bundle(ONLY_IN_B, vector, None)
    for leg in (dense, bm25):
        assert B in {retriever.by_id[h.node.node_id].source for h in leg.retrieve(unscoped)}


def test_a_follow_up_keeps_the_scope_it_is_given(assistant: Assistant) -> None:
    first = assistant.ask(ONLY_IN_A, sources=[A])
    follow = assistant.ask("And when was it built?", history=[(ONLY_IN_A, first)], sources=[B])
    assert follow.refused and follow.sources == [B]
    again = assistant.ask("And when was it built?", history=[(ONLY_IN_A, first)], sources=[A])
    assert not again.refused and "1987" in again.text
    assert {c.source for c in again.citations} == {A}


def test_an_unknown_name_is_a_one_line_error_naming_close_ones(assistant: Assistant) -> None:
    with pytest.raises(UnknownSourceError) as caught:
        assistant.ask(ONLY_IN_A, sources=["zorblx.txt"])
    message = str(caught.value)
    assert "\n" not in message
    assert "'zorblx.txt'" in message and "did you mean 'zorblax.txt'" in message
    assert "remqa documents" in message and "remqa ingest" in message
    assert isinstance(caught.value, QuestionError)  # a bad question: HTTP 400, CLI exit 2


def test_unknown_names_without_a_close_one_list_the_indexed_files() -> None:
    with pytest.raises(UnknownSourceError, match="the indexed ones are a.txt, b.txt"):
        check_sources(["quarterly report.pdf"], ["a.txt", "b.txt"])
    with pytest.raises(UnknownSourceError, match="and 2 more"):
        check_sources(["zzz"], [f"{n}.txt" for n in "abcdefg"])
    assert check_sources([" b.txt", "a.txt", "b.txt"], ["a.txt", "b.txt"]) == ("a.txt", "b.txt")
    assert check_sources(None, ["a.txt"]) == ()
    assert check_sources("a.txt", ["a.txt"]) == ("a.txt",)


def test_a_scope_holds_in_an_assistant_that_loads_the_saved_bm25(assistant: Assistant) -> None:
    """The BM25 index comes from its saved cache in a new Assistant; its scope still holds."""
    fresh = Assistant(assistant.settings)
    assert fresh.ask(ONLY_IN_A, sources=[B]).refused
    assert not fresh.ask(ONLY_IN_A, sources=[A]).refused
    assert fresh.retriever.sources == sorted([A, B])


def test_removing_a_file_makes_its_name_unknown(tmp_path: Path) -> None:
    from tests.conftest import TINY_DOCS, write_corpus

    corpus = write_corpus(tmp_path / "corpus", TINY_DOCS)
    assistant = Assistant(
        Settings(corpus_dir=corpus, index_dir=tmp_path / "index", show_progress=False)
    )
    assistant.ingest()
    assert not assistant.ask(ONLY_IN_A, sources=[A]).refused
    assistant.remove_document(A)
    with pytest.raises(UnknownSourceError, match="'zorblax.txt'"):
        assistant.ask(ONLY_IN_A, sources=[A])


def test_cli_ask_doc_limits_the_answer_to_the_named_files(assistant: Assistant) -> None:
    from tests.conftest import run_cli

    where = [
        "--corpus", str(assistant.settings.corpus_dir),
        "--index", str(assistant.settings.index_dir),
    ]  # fmt: skip
    cwd = assistant.settings.index_dir.parent
    refused = run_cli("ask", ONLY_IN_A, "--doc", B, *where, cwd=cwd)
    assert refused.returncode == 0, refused.stderr
    assert "The chosen documents do not say." in refused.stdout
    assert "in the chosen documents (notes/flumbit.md)" in refused.stdout
    answered = run_cli("ask", "--json", ONLY_IN_A, "--doc", B, "--doc", A, *where, cwd=cwd)
    data = json.loads(answered.stdout)
    assert not data["refused"] and "412 megawatts" in data["text"]
    assert data["sources"] == [B, A] == sorted([A, B])
    unknown = run_cli("ask", ONLY_IN_A, "--doc", "zorblax", *where, cwd=cwd)
    assert unknown.returncode == 2 and unknown.stdout == ""
    assert unknown.stderr.count("\n") == 1 and "Traceback" not in unknown.stderr
    assert "did you mean 'zorblax.txt'" in unknown.stderr
    listed = run_cli("documents", *where, cwd=cwd)
    assert listed.returncode == 0, listed.stderr
    assert [line.split()[0] for line in listed.stdout.splitlines()] == [B, A]


def test_cli_help_shows_doc(capsys: pytest.CaptureFixture[str]) -> None:
    from remqa.cli import main

    with pytest.raises(SystemExit):
        main(["ask", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "--doc NAME answer only from this file" in shown and "repeat" in shown


def test_the_chat_and_the_saved_conversation_say_where_a_scoped_refusal_looked() -> None:
    from remqa.chat.render import answer_markdown, sources_html
    from remqa.chat.scope import last_scope, picker_update
    from remqa.chat.transcript import conversation_markdown, turn
    from remqa.models import Answer, DocumentEntry, Documents

    scoped = Answer(question="q?", text="The chosen documents do not say.", refused=True)
    scoped.sources = [B]
    plain = Answer(question="q?", text="The documents do not say.", refused=True)
    assert answer_markdown(scoped).startswith("> **Not in the chosen documents.**")
    assert answer_markdown(plain).startswith("> **Not in the documents.**")
    assert "No answer in the chosen documents." in sources_html(scoped, {})
    assert f"only in {B}" in sources_html(scoped, {})
    assert "only in" not in sources_html(plain, {})
    saved = conversation_markdown([turn("q?", scoped)])
    assert f"Asked of: `{B}`" in saved and "> Not in the chosen documents." in saved

    assert last_scope([turn("q?", plain), turn("q?", scoped)]) == [B]
    assert last_scope([]) == []
    listed = Documents(
        documents=[DocumentEntry(source=s, type="txt", bytes=1, chunks=1) for s in (A, "c.txt")]
    )
    assert picker_update(listed, [A, B])["value"] == [A]  # B has left the index: unchosen
    assert picker_update(listed, [A])["choices"] == [A, "c.txt"]
    assert "value" not in picker_update(listed, [A])  # a refresh keeps what is chosen
    assert picker_update(listed, [], restore=True)["value"] == []


def test_an_llm_backend_sees_only_the_chosen_files_passages(assistant: Assistant) -> None:
    from tests.fake_llm import FakeLLMServer, Script
    from tests.test_llm import with_llm

    with FakeLLMServer() as fake:
        llm = Assistant(with_llm(assistant.settings, fake))
        fake.queue(Script(reply="NOT_IN_DOCUMENTS"))
        refused = llm.ask(ONLY_IN_A, sources=[B])
        prompt = json.dumps(fake.requests[-1])
        assert "Flumbit farmers harvested" in prompt and "zorblax reactor produces" not in prompt
        assert refused.refused and refused.text.startswith("The chosen documents do not say.")
        assert refused.backend.startswith("openai-like")
        fake.queue(Script(reply="The zorblax reactor produces 412 megawatts of power [1]."))
        answered = llm.ask(ONLY_IN_A, sources=[A])
        prompt = json.dumps(fake.requests[-1])
        assert "zorblax reactor produces" in prompt and "Flumbit farmers" not in prompt
        assert not answered.refused and {c.source for c in answered.citations} == {A}
