"""The table eval: cells of tables in a Word datasheet, an HTML page and a PDF report,
answered by the real Assistant over a real ingest; its floors hold, and its scoring catches a
figure from another column."""

from __future__ import annotations

import json
from pathlib import Path

from remqa import Answer, Citation, Settings
from remqa.evaluation.tables_eval import TableQuestion, load, score, tables_eval

REPO = Path(__file__).resolve().parent.parent
SET = REPO / "eval" / "tables" / "tables.yaml"


def test_the_set_asks_about_cells_of_three_formats() -> None:
    docs, questions = load(SET)
    assert {Path(d.file).suffix for d in docs} == {".docx", ".html", ".pdf"}
    assert len(questions) >= 30
    styles = {t.style for d in docs if d.file.endswith(".pdf") for t in d.tables}
    assert styles == {"ruled", "unruled"}


def test_scoring_catches_a_figure_from_another_column() -> None:
    row = ["Brellin", "€6.40 a month", "€2.15"]
    q = TableQuestion("What is the price per cubic metre in Brellin?", "w.html", row, "€2.15")
    line = "City: Brellin; Fixed charge: €6.40 a month; Price per cubic metre: €2.15."
    text = f"Title\n\n{line}\n"
    start = text.index(line)
    cite = Citation(id=1, source="w.html", quote=line, start=start, end=start + len(line), score=1)
    wrong = Answer(question=q.question, text=f"**€6.40** — {line} [1]", citations=[cite])
    right = Answer(question=q.question, text=f"**€2.15** — {line} [1]", citations=[cite])
    assert score(q, wrong, text, "Price per cubic metre").wrong_figure
    # a bold answer running into the next cell states that cell's figure too: wrong
    both = Answer(question=q.question, text=f"**€6.40 a month; Price per cubic metre: €2.15** "
                  f"— {line} [1]", citations=[cite])  # fmt: skip
    assert score(q, both, text, "Price per cubic metre").wrong_figure
    scored = score(q, right, text, "Price per cubic metre")
    assert scored.right_row and scored.figure_right and not scored.wrong_figure
    assert scored.headers_kept


def test_table_eval_floors(tmp_path: Path) -> None:
    """At least 90% answered from the right row (the first quote is that row's line), no
    figure from another row or column, with the default answerer."""
    settings = Settings(show_progress=False)
    code = tables_eval(settings, tmp_path / "report", SET, work=tmp_path / "work")
    report = json.loads((tmp_path / "report" / "tables.json").read_text(encoding="utf-8"))
    metrics = report["metrics"]
    assert metrics["questions"] >= 30
    assert metrics["right_row"] >= 0.9, (tmp_path / "report" / "tables.md").read_text()
    assert metrics["wrong_figures"] == 0, (tmp_path / "report" / "tables.md").read_text()
    assert metrics["headers_kept"] == 1.0
    assert code == 0
    for item in report["items"]:  # the quote of every right row is exact text of its line
        if item["right_row"]:
            assert item["quote"] == item["row_line"]
