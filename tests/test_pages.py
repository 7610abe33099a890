"""Where a quote is, end to end through the real Assistant: the page of a PDF it is printed on
and the heading it sits under, in every place a citation is shown (the pieces: test_layout.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from remqa import Assistant, Settings
from tests.conftest import raw_collection
from tests.paged_pdf import FACTS, HEADINGS, SPANNING, paged_report, pages_of


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Assistant, Path]:
    """The 5-page report and a Markdown note, ingested for real (Chroma, the packaged model)."""
    root = tmp_path_factory.mktemp("paged")
    corpus = root / "corpus"
    corpus.mkdir()
    paged_report(corpus / "report.pdf")
    (corpus / "notes.md").write_text(
        "# Bridges\n\nIntro line.\n\n## Costs\n\nThe Pellucid bridge cost 31 million euros.\n",
        encoding="utf-8",
    )
    assistant = Assistant(
        Settings(corpus_dir=corpus, index_dir=root / "index", show_progress=False)
    )
    assistant.ingest()
    return assistant, corpus / "report.pdf"


@pytest.mark.parametrize("fact", [*FACTS, SPANNING], ids=lambda f: f[0])
def test_every_citation_names_the_page_its_quote_is_printed_on(
    paged: tuple[Assistant, Path], fact: tuple[str, str, str]
) -> None:
    assistant, pdf = paged
    name, sentence, question = fact
    answer = assistant.ask(question)
    assert not answer.refused, answer.text
    assert answer.citations[0].quote == sentence
    text = assistant.source_text("report.pdf")
    for c in answer.citations:
        assert text[c.start : c.end] == c.quote  # offsets still index the extracted text
        # the truth: where PDFium's own page text holds the quote's first and last words
        first, last = " ".join(c.quote.split()[:3]), " ".join(c.quote.split()[-3:])
        assert [c.page] == pages_of(pdf, first), c.quote
        assert [c.page_end] == pages_of(pdf, last), c.quote
        assert c.section == HEADINGS[c.page - 1]
    if name == SPANNING[0]:  # the sentence set across the break from page 4 to page 5
        assert (answer.citations[0].page, answer.citations[0].page_end) == (4, 5)
        assert answer.citations[0].place == "pp. 4–5 · History"


def test_a_markdown_citation_names_its_heading_and_no_page(
    paged: tuple[Assistant, Path],
) -> None:
    answer = paged[0].ask("How much did the Pellucid bridge cost?")
    c = answer.citations[0]
    assert (c.source, c.page, c.page_end, c.section) == ("notes.md", None, None, "Costs")
    assert c.place == "Costs"
    assert '"page":null' in answer.model_dump_json() or '"page": null' in answer.model_dump_json()


def test_an_index_from_before_pages_works_and_ingest_adds_them_without_re_embedding(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    paged_report(corpus / "report.pdf")
    settings = make_settings(corpus)
    Assistant(settings).ingest()
    # the chunks as an older version wrote them: the same vectors, no layout keys
    collection = raw_collection(settings)
    got = collection.get(include=["metadatas", "embeddings", "documents"])
    old = [
        {k: v for k, v in m.items() if k not in ("layout", "pages", "headings")}
        for m in got["metadatas"] or []
    ]
    collection.delete(ids=got["ids"])
    collection.add(
        ids=got["ids"], embeddings=got["embeddings"], documents=got["documents"], metadatas=old
    )
    before = Assistant(settings).ask(FACTS[1][2])
    assert not before.refused and before.citations[0].page is None
    report = Assistant(settings).ingest()
    assert report.chunks_embedded == 0 and report.changed == ["report.pdf"]
    after = Assistant(settings).ask(FACTS[1][2])
    assert (after.citations[0].page, after.citations[0].section) == (2, "Pumping")


def test_the_cli_prints_each_sources_page_and_heading(
    paged: tuple[Assistant, Path], tmp_path: Path
) -> None:
    import json

    from tests.conftest import run_cli

    settings = paged[0].settings
    where = ["--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir)]
    shown = run_cli("ask", SPANNING[2], *where, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "[1] report.pdf  pp. 4–5 · History  chars" in shown.stdout, shown.stdout[-800:]
    as_json = run_cli("ask", "--json", SPANNING[2], *where, cwd=tmp_path)
    cited = json.loads(as_json.stdout)["citations"][0]
    assert (cited["page"], cited["page_end"], cited["section"]) == (4, 5, "History")


def test_the_chat_export_and_eval_report_show_the_place(paged: tuple[Assistant, Path]) -> None:
    from remqa.chat import transcript
    from remqa.chat.render import sources_html
    from remqa.evaluation.report_markdown import item_markdown
    from remqa.evaluation.scoring import ItemResult

    answer = paged[0].ask(FACTS[2][2])
    html = sources_html(answer, {})
    assert '<span class="remqa-place">p. 3 · Treatment</span>' in html
    c = answer.citations[0]
    assert f'href="view?source=report.pdf&amp;start={c.start}&amp;end={c.end}&amp;page=3"' in html
    markdown = transcript.conversation_markdown([transcript.turn(FACTS[2][2], answer)])
    assert f"[1] `report.pdf`, p. 3 · Treatment, characters {c.start}-{c.end}:" in markdown
    item = ItemResult.model_construct(
        id="x", type="figure", question="q", resolved_question=None, checks={},
        answer=answer.text, gold_rank=1, answer_figures=[],
        citations=[c.model_dump() for c in answer.citations],
    )  # fmt: skip
    assert f"[1] `report.pdf`, p. 3 · Treatment, chars {c.start}-{c.end}" in item_markdown(item)


def test_the_http_apis_reply_names_the_page_and_heading(paged: tuple[Assistant, Path]) -> None:
    from remqa.server.openai_api import extras, reply_text

    answer = paged[0].ask(FACTS[0][2])
    c = answer.citations[0]
    assert f"[1] report.pdf, p. 1 · Storage, characters {c.start}-{c.end}: “" in reply_text(answer)
    assert extras(answer)["citations"][0]["page"] == 1
