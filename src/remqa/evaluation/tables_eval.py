"""The table eval: questions about single cells of tables in a Word datasheet, an HTML page
and a PDF report (`eval/tables/tables.yaml`, invented data), answered by the real Assistant
over a real ingest of the generated files.

Per question, with the row's line in the extracted text as the yardstick (the one line that
holds all of the row's cells):
- right row: the first citation's quote is that row's line;
- headers kept: that line names the cell by its column ("Weight: 57 kg");
- figure: the answer's stated figure (its bold span) is the cell's value; a stated figure
  that is not is a figure from another row or column. An answer that states no figure of its
  own quotes the row, whose figures are each named by their header.
Floors: at least 90% answered from the right row, no figure from another row or column.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from remqa.evaluation.gates import GateResult
from remqa.evaluation.table_docs import TableDoc, write
from remqa.settings import Settings
from remqa.text.reflow import display_text

DEFAULT_SET = Path("eval/tables/tables.yaml")
MIN_RIGHT_ROW = 0.9
_BOLD = re.compile(r"\*\*(.+?)\*\*")


@dataclass(frozen=True)
class TableQuestion:
    question: str
    source: str
    row: list[str]  # the row's cells, the first one naming it
    value: str  # the asked cell


@dataclass
class TableResult:
    question: str
    source: str
    expected: str
    row_line: str
    answer: str
    quote: str
    right_row: bool
    headers_kept: bool
    figure: str  # the answer's stated figure: its bold span, when that holds a figure
    figure_right: bool
    wrong_figure: bool


def load(path: Path = DEFAULT_SET) -> tuple[list[TableDoc], list[TableQuestion]]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    docs, questions = [], []
    for raw in data["documents"]:
        doc = TableDoc.from_data(raw)
        docs.append(doc)
        for question, row_name, column in raw["questions"]:
            questions.append(_question(doc, str(question), str(row_name), str(column)))
    return docs, questions


def _question(doc: TableDoc, question: str, row_name: str, column: str) -> TableQuestion:
    for table in doc.tables:
        if (column in table.header) if column else not table.header:
            for row in table.rows:
                if row[0] == row_name:
                    # a table without a header is label and value: the value is the second cell
                    col = table.header.index(column) if column else 1
                    return TableQuestion(question, doc.file, row, row[col])
    raise ValueError(f"{doc.file}: no row {row_name!r} for {question!r}")


def row_line(text: str, row: list[str]) -> str:
    """The one line of the extracted text that holds every cell of the row."""
    lines = [line for line in text.split("\n") if all(c in line for c in row if c)]
    return lines[0] if len(lines) == 1 else ""


def score(q: TableQuestion, answer: Any, source_text: str, column: str) -> TableResult:
    line = row_line(source_text, q.row)
    quote = display_text(answer.citations[0].quote) if answer.citations else ""
    from remqa.answering.figures import find_figures

    bold = _BOLD.search(answer.text)
    stated = bold.group(1) if bold and find_figures(bold.group(1)) else ""
    right_figure = bool(stated) and _same(stated, q.value)
    return TableResult(
        question=q.question,
        source=q.source,
        expected=q.value,
        row_line=line,
        answer=answer.text,
        quote=quote,
        right_row=bool(line) and not answer.refused and quote.strip() == line.strip(),
        headers_kept=bool(line) and (not column or f"{column}: {q.value}" in line),
        figure=stated,
        figure_right=right_figure,
        wrong_figure=bool(stated) and not right_figure,
    )


def _same(stated: str, value: str) -> bool:
    """The stated figure is the cell's: its text is the cell's ("7" of "7 years") or the
    same figure written otherwise; a bold answer stating several figures is right only
    when each of them is the cell's."""
    from remqa.answering.figures import contains_figure, find_figures

    figures = find_figures(stated)  # never empty from score(); a bold with none is not right
    return stated.strip() in value or (
        bool(figures) and all(contains_figure(value, f) for f in figures)
    )


def run_tables(settings: Settings, work: Path, path: Path = DEFAULT_SET) -> list[TableResult]:
    """Write the documents into `work`/corpus, ingest them into `work`/index, ask every
    question with the Assistant these settings make."""
    from remqa.assistant import Assistant

    docs, questions = load(path)
    corpus = work / "corpus"
    for doc in docs:
        write(doc, corpus)
    run_settings = settings.model_copy(
        update={"corpus_dir": corpus, "index_dir": work / "index", "chroma_url": None}
    )
    assistant = Assistant(run_settings)
    assistant.ingest()
    columns = _columns(path)
    results = []
    for q in questions:
        answer = assistant.ask(q.question)
        results.append(score(q, answer, assistant.source_text(q.source), columns[q.question]))
    return results


def _columns(path: Path) -> dict[str, str]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(q): str(c) for d in data["documents"] for q, _, c in d["questions"]}


def metrics(results: list[TableResult]) -> dict[str, float | int]:
    n = len(results) or 1
    return {
        "questions": len(results),
        "right_row": round(sum(r.right_row for r in results) / n, 4),
        "headers_kept": round(sum(r.headers_kept for r in results) / n, 4),
        "figure_stated_right": round(sum(r.figure_right for r in results) / n, 4),
        "no_figure_stated": sum(not r.figure for r in results),
        "wrong_figures": sum(r.wrong_figure for r in results),
    }


def gates(m: dict[str, float | int]) -> list[GateResult]:
    return [
        GateResult(
            name="tables:right_row",
            value=m["right_row"],
            limit=f">= {MIN_RIGHT_ROW}",
            passed=float(m["right_row"]) >= MIN_RIGHT_ROW,
        ),
        GateResult(
            name="tables:wrong_figures",
            value=m["wrong_figures"],
            limit="== 0",
            passed=int(m["wrong_figures"]) == 0,
        ),
    ]


def tables_eval(
    settings: Settings, report_dir: Path, path: Path = DEFAULT_SET, work: Path | None = None
) -> int:
    """`remqa eval --set tables`: run (in `work`, by default next to the set), print, write
    tables.json and tables.md; 1 when a floor is not met."""
    results = run_tables(settings, work or path.parent / "work", path)
    m = metrics(results)
    verdicts = gates(m)
    report_dir.mkdir(parents=True, exist_ok=True)
    payload = {
        "metrics": m,
        "gates": [g.model_dump() for g in verdicts],
        "items": [asdict(r) for r in results],
    }
    (report_dir / "tables.json").write_text(json.dumps(payload, indent=2) + "\n", "utf-8")
    (report_dir / "tables.md").write_text(_markdown(m, verdicts, results), "utf-8")
    print(_markdown(m, verdicts, results, failures_only=True))
    print(f"Reports: {report_dir / 'tables.json'} and {report_dir / 'tables.md'}")
    return 0 if all(g.passed for g in verdicts) else 1


def _markdown(
    m: dict[str, float | int],
    verdicts: list[GateResult],
    results: list[TableResult],
    failures_only: bool = False,
) -> str:
    out = ["# Table eval", "", "| metric | value |", "| --- | --- |"]
    out += [f"| {k} | {v} |" for k, v in m.items()]
    out += ["", "| gate | value | limit | passed |", "| --- | --- | --- | --- |"]
    out += [
        f"| {g.name} | {g.value} | {g.limit} | {'yes' if g.passed else 'NO'} |" for g in verdicts
    ]
    shown = (
        [r for r in results if not (r.right_row and not r.wrong_figure)]
        if failures_only
        else results
    )
    if shown:
        out += [
            "",
            "| question | expected | stated | right row | answer |",
            "| --- | --- | --- | --- | --- |",
        ]
        for r in shown:
            answer = r.answer.replace("|", "\\|").replace("\n", " ")[:160]
            out.append(
                f"| {r.question} | {r.expected} | {r.figure} | {'yes' if r.right_row else 'no'} "
                f"| {answer} |"
            )
    return "\n".join(out) + "\n"
