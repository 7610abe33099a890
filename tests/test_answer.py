"""The answer engine end to end: real Chroma, real model, the bundled article."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

import remqa
from remqa import Answer, Assistant, Settings
from remqa.answering.figures import contains_figure, find_figures
from remqa.errors import QuestionError
from remqa.evaluation.scoring import first_sentence
from tests.conftest import run_cli

MakeSettings = Callable[..., Settings]


@pytest.fixture(scope="module")
def assistant(bundled_index: Settings) -> Assistant:
    return Assistant(bundled_index)


def unbolded(text: str) -> str:
    """The answer without its bold short answer, if it leads with one ("**19** — ...")."""
    return re.sub(r"^\*\*.+?\*\* — ", "", text)


def source_text(settings: Settings, source: str) -> str:
    return open(settings.corpus_dir / source, encoding="utf-8").read()  # noqa: SIM115


def test_public_api_is_pinned() -> None:
    assert remqa.__all__ == sorted(remqa.__all__)
    assert remqa.__all__ == [
        "Answer",
        "Assistant",
        "Citation",
        "IngestReport",
        "RemqaError",
        "Settings",
    ]


QUESTIONS = [
    ("What share of the world's gallium production comes from China?", "98.8%"),
    ("How much is the germanium market worth per year?", "$230 million"),
    ("In what year did rare earth mining resume in the United States?", "2017"),
    ("By how many times does Russia want to raise rare metal output by 2030?", "eightfold"),
    ("How many tons of rare earth products did China make in 2024?", "270 thousand tons"),
    ("What portion of Russia's rare earth stock is in the Murmansk region?", "70%"),
]


@pytest.mark.parametrize(("question", "figure"), QUESTIONS)
def test_answer_leads_with_the_figure_and_quotes_exact_spans(
    assistant: Assistant, bundled_index: Settings, question: str, figure: str
) -> None:
    answer = assistant.ask(question)
    assert not answer.refused
    assert contains_figure(first_sentence(answer.text), figure), answer.text
    assert answer.citations and "[1]" in answer.text
    for citation in answer.citations:
        text = source_text(bundled_index, citation.source)
        assert text[citation.start : citation.end] == citation.quote
        assert f"[{citation.id}]" in answer.text
    quotes = " ".join(c.quote for c in answer.citations)
    for found in find_figures(answer.text):
        assert contains_figure(quotes, found), f"{found.text} is not in a cited quote"


def test_every_sentence_of_an_answer_is_a_cited_quote(assistant: Assistant) -> None:
    answer = assistant.ask("How big is China's share of world rare earth production?")
    for line in answer.text.split("\n"):
        line = line.strip().removeprefix("- ")
        if not line or line.endswith(":"):
            continue  # a heading such as "Other passages give other figures:"
        body, marker = line.rsplit(" [", 1)
        quote = answer.citations[int(marker.rstrip("]")) - 1].quote
        assert body.split(" — ")[-1] == quote


def test_conflicting_figures_are_each_shown_with_their_citation(assistant: Assistant) -> None:
    answer = assistant.ask("What is China's share of world rare earth production?")
    assert "other figures" in answer.text
    for figure in ("about 70%", "80-95%", "more than 95%"):
        cited = [c for c in answer.citations if contains_figure(c.quote, figure)]
        assert cited, f"{figure} missing"
        assert f"[{cited[0].id}]" in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "How many tons of rare earths does Brazil produce a year?",  # Brazil named, no tonnage
        "What percentage of global rare earth reserves is in Australia?",
        "How much did the Department of Defense spend on Mountain Pass?",
        "In what year did Molycorp go bankrupt?",
        "What is the capital of France?",
        "What was Tesla's revenue in 2023?",
    ],
)
def test_questions_the_documents_do_not_answer_are_refused(
    assistant: Assistant, question: str
) -> None:
    answer = assistant.ask(question)
    assert answer.refused, answer.text
    assert answer.text.startswith("The documents do not say")
    assert answer.citations == [] and not find_figures(answer.text)


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("What is the temperature of the vorpal alloy ingots?", "a temperature"),
        ("How heavy is a vorpal alloy ingot?", "a weight"),
        ("How many vorpal alloy ingots were cast?", "a number"),
    ],
)
def test_a_refusal_names_what_the_passages_lack(
    tmp_path: Path, make_settings: Callable[..., Settings], question: str, named: str
) -> None:
    """The subject is discussed but not the asked quantity: the refusal says which kind of
    figure is missing, by its dimension when the question asks for one."""
    from tests.conftest import write_corpus

    corpus = write_corpus(tmp_path / "corpus", {"alloy.txt": (
        "The vorpal alloy is cast into ingots at the Quillon foundry in Vexland. Vorpal "
        "alloy ingots are polished by hand and shipped to instrument makers every spring."
    )})  # fmt: skip
    answer = Assistant(make_settings(corpus)).ask(question)
    assert answer.refused, answer.text
    assert answer.text.endswith(f"do not give {named} for it."), answer.text


def test_a_when_question_is_answered_with_the_year_of_its_clause_era_included(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    """A year with its era is a year figure, stated with its era; of two years in one
    sentence, each dates its own clause."""
    from tests.conftest import write_corpus

    corpus = write_corpus(tmp_path / "corpus", {"valley.md": (
        "# The Orl valley\n\nThe Orl valley lies between two granite ridges. A Roman road "
        "crossed the valley in AD 120, and a stone bridge replaced the ford in 1342. Farmers "
        "first cleared the terraces around 4000 BC, long before any town stood there.\n\n"
        "The glacier reached its greatest extent about 26,000 years ago. Pine forest covered "
        "the slopes by 8,500 BP. The abbey was founded in 1120.\n"
    )})  # fmt: skip
    assistant = Assistant(make_settings(corpus))
    for question, year in [
        ("When did a Roman road cross the valley?", "AD 120"),
        ("When did a stone bridge replace the ford?", "1342"),
        ("When did farmers first clear the terraces?", "4000 BC"),
        ("When did pine forest cover the slopes?", "8,500 BP"),
    ]:
        answer = assistant.ask(question)
        assert answer.text.startswith(f"**{year}**"), (question, answer.text)
        assert year in answer.citations[0].quote


def test_a_length_of_time_is_a_figure_of_a_time_unit_or_said_in_words(
    tmp_path: Path, make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "How long" is answered by a count of a time unit, never by another count or a
    year; a length of time no figure gives ("a couple of years") is answered by its
    sentence, with nothing in bold."""
    from tests.conftest import write_corpus

    strike = write_corpus(tmp_path / "strike", {"quill.txt": (
        "In 2011 the Quillon foundry in Vexland cast 8098 vorpal alloy ingots. The Quillon "
        "foundry strike of 2011 lasted 19 days."
    )})  # fmt: skip
    answer = Assistant(make_settings(strike)).ask("How long did the Quillon foundry strike last?")
    assert unbolded(answer.text).startswith("The Quillon foundry strike of 2011 lasted 19 days."), (
        answer.text
    )
    closed = write_corpus(tmp_path / "closed", {"quill.txt": (
        "In 2011 the Quillon foundry in Vexland cast 8098 vorpal alloy ingots. After a strike "
        "the Quillon foundry closed its Vexland furnace hall for a couple of years."
    )})  # fmt: skip
    # The path is under test, not the calibration: on two sentences the selector's
    # P(the passages answer) sits near the trained threshold (0.22 against 0.26), and its
    # P(the sentence answers) x the reading model's near the reading check's (0.19 against
    # 0.22), so both are set under them. A figure refusal would refuse whatever they are.
    monkeypatch.setattr("remqa.answering.answerer.reading_check_threshold", lambda: 0.1)
    hall = Assistant(
        make_settings(closed, index_dir=tmp_path / "closed-index", refusal_threshold=0.1)
    ).ask("How long was the Vexland furnace hall of the Quillon foundry closed?")
    assert not hall.refused, hall.text
    assert hall.text.startswith("After a strike the Quillon foundry closed"), hall.text


def test_a_share_written_as_a_fraction_answers_how_much_of(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    from tests.conftest import write_corpus

    corpus = write_corpus(tmp_path / "corpus", {"delta.txt": (
        "Two thirds of the water of the Vorn flows west through the Wael channel. The Issel "
        "channel carries one ninth of the water of the Vorn north into the bay."
    )})  # fmt: skip
    assistant = Assistant(make_settings(corpus))
    answer = assistant.ask("How much of the Vorn's water does the Issel channel carry?")
    assert unbolded(answer.text).startswith("The Issel channel carries one ninth"), answer.text
    answer = assistant.ask("What share of the Vorn's water flows through the Wael channel?")
    assert unbolded(answer.text).startswith("Two thirds of the water"), answer.text


GUILD = (
    "Trade guilds of the northern river towns have a long history, and several of them merged "
    "in the years after the war to share their halls, their funds and their training schools. "
    "At its founding in 1968, the Vorlan Guild had about 11 million members in nearly 42,000 "
    "lodges. Like many older bodies of its kind, it has lost members in recent decades as the "
    "towns emptied, the young moved south and the old crafts gave way to factory work. "
    "In 1975, membership dropped below 10 million for the first time. "
    "In 2005, there were about 8 million members in over 34,000 lodges.\n\n"
    "The Osric Union is a younger body of dock workers. In 2005, there were about 2 million "
    "members in its halls."
)


def test_a_sentence_is_read_with_its_paragraph_across_chunk_boundaries(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    """ "In 2005, there were about 8 million members" names no guild; the guild is named two
    sentences before, in the chunk before (chunks hold about 60 words). The sentence's
    context reaches back into that chunk, and stops at the paragraph's start."""
    from remqa.ingest.chunking import chunk_spans
    from tests.conftest import write_corpus

    later = GUILD.index("In 2005, there were about 8")
    holding = [(a, b) for a, b in chunk_spans(GUILD, 60, 1) if a <= later < b]
    assert holding and all("Vorlan" not in GUILD[a:b] for a, b in holding)  # the setup holds
    corpus = write_corpus(tmp_path / "corpus", {"guilds.txt": GUILD})
    retriever = Assistant(make_settings(corpus)).retriever
    context = retriever.paragraph_before("guilds.txt", later)
    assert context.startswith("Trade guilds of the northern river towns")
    assert context.endswith("below 10 million for the first time. ")
    assert "At its founding in 1968, the Vorlan Guild had" in context
    second = GUILD.index("In 2005, there were about 2 million")
    assert retriever.paragraph_before("guilds.txt", second) == (
        "The Osric Union is a younger body of dock workers. "
    )


def test_follow_up_question_uses_the_conversation(assistant: Assistant) -> None:
    first = assistant.ask("What share of world gallium production does China have?")
    assert contains_figure(first_sentence(first.text), "98.8%")
    follow = assistant.ask("And germanium?", history=[(first.question, first)])
    assert follow.resolved_question is not None and "germanium" in follow.resolved_question
    assert contains_figure(first_sentence(follow.text), "59.2%"), follow.text
    chained = assistant.ask(
        "What about antimony?", history=[(first.question, first), ("And germanium?", follow)]
    )
    assert contains_figure(first_sentence(chained.text), "48%"), chained.text


def test_follow_up_accepts_plain_string_answers(assistant: Assistant) -> None:
    follow = assistant.ask(
        "How about vanadium?", history=[("What is China's share of tungsten production?", "86%")]
    )
    assert contains_figure(first_sentence(follow.text), "62%"), follow.text


@pytest.mark.parametrize("question", ["", "   \n\t ", "x" * 1001])
def test_bad_questions_raise_a_clear_error(assistant: Assistant, question: str) -> None:
    with pytest.raises(QuestionError, match="empty|limit"):
        assistant.ask(question)


def test_query_engine_is_a_llama_index_query_engine(
    assistant: Assistant, bundled_index: Settings
) -> None:
    from llama_index.core.base.base_query_engine import BaseQueryEngine

    engine = assistant.query_engine
    assert isinstance(engine, BaseQueryEngine)
    response = engine.query("How much is the gallium market worth annually?")
    assert "$430 million" in str(response)
    node = response.source_nodes[0].node
    text = source_text(bundled_index, node.metadata["source"])
    assert text[node.start_char_idx : node.end_char_idx] == node.get_content()
    assert isinstance(response.metadata["answer"], Answer)  # type: ignore[index]


def test_first_ask_builds_a_missing_index(tiny_corpus: Path, make_settings: MakeSettings) -> None:
    settings = make_settings(tiny_corpus)
    assert not settings.index_dir.exists()
    answer = Assistant(settings).ask("How many megawatts does the zorblax reactor produce?")
    assert contains_figure(first_sentence(answer.text), "412 megawatts") or "412" in answer.text
    assert settings.index_dir.exists()


def test_tiny_corpus_answer_and_near_miss(tiny_corpus: Path, make_settings: MakeSettings) -> None:
    assistant = Assistant(make_settings(tiny_corpus))
    answer = assistant.ask("What share of the flumbit crop goes abroad to Vexland?")
    assert contains_figure(first_sentence(answer.text), "64%"), answer.text
    assert answer.citations[0].source == "notes/flumbit.md"
    near_miss = assistant.ask("How many tonnes of flumbit does Vexland grow?")
    assert near_miss.refused, near_miss.text


def test_cli_ask_json_is_the_answer_model(bundled_index: Settings, tmp_path: Path) -> None:
    result = run_cli(
        "ask",
        "--json",
        "How much is the gallium market worth?",
        "--corpus",
        str(bundled_index.corpus_dir),
        "--index",
        str(bundled_index.index_dir),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    answer = Answer.model_validate(data)
    assert set(data) >= {"question", "text", "citations", "refused"}
    assert set(data["citations"][0]) == {
        "id", "source", "quote", "start", "end", "score", "page", "page_end", "section"
    }  # fmt: skip
    assert data["citations"][0]["page"] is None  # a text file has no pages
    assert "$430 million" in answer.text


def test_cli_ask_prints_numbered_sources(bundled_index: Settings, tmp_path: Path) -> None:
    result = run_cli(
        "ask",
        "When did China stop exporting permanent magnet technology?",
        "--corpus",
        str(bundled_index.corpus_dir),
        "--index",
        str(bundled_index.index_dir),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "2023" in result.stdout and "Sources" in result.stdout
    assert "[1] rare-earths-us-china-russia.txt" in result.stdout


@pytest.mark.parametrize("question", ["", "   ", "y" * 5000])
def test_cli_rejects_bad_questions_with_exit_2(
    question: str, bundled_index: Settings, tmp_path: Path
) -> None:
    result = run_cli(
        "ask",
        question,
        "--corpus",
        str(bundled_index.corpus_dir),
        "--index",
        str(bundled_index.index_dir),
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_bm25_and_corpus_statistics_are_saved_with_the_index(
    tiny_corpus: Path, make_settings: MakeSettings
) -> None:
    settings = make_settings(tiny_corpus)
    question = "What share of the flumbit crop goes abroad to Vexland?"
    first = Assistant(settings).ask(question)
    saved = sorted(p.name for p in (settings.index_dir / "retrieval" / "bm25").iterdir())
    assert len(saved) == 1  # one fingerprint of the index
    assert Assistant(settings).ask(question).text == first.text  # loaded, not rebuilt
    (tiny_corpus / "more.txt").write_text("Glimmerfin exports rose by 12% in 2022.")
    Assistant(settings).ingest()
    Assistant(settings).ask(question)
    again = sorted(p.name for p in (settings.index_dir / "retrieval" / "bm25").iterdir())
    assert len(again) == 1 and again != saved  # rebuilt for the new index, old one dropped
