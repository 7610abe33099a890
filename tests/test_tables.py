"""Tables become rows that keep each cell's header, in every format, one sentence per row,
and citations of a row stay exact slices of the text offsets index."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from remqa import Assistant, Settings
from remqa.ingest.chunking import chunk_spans
from remqa.ingest.loaders import docx_text, html_text
from remqa.ingest.markdown_text import markdown_text
from remqa.ingest.tables import guess_header_rows, table_rows
from remqa.text.reflow import reflow
from remqa.text.sentences import split_sentences
from tests.documents import KILN_SURVEY

SHARES = [
    ["Country", "Share of world production", "Reserves"],
    ["China", "70%", "38%"],
    ["Brazil", "12.5 %", "9%"],
]


@pytest.mark.parametrize(
    ("grid", "header_rows", "continued", "expected"),
    [
        (  # the first row reads as headings: labels above figures
            SHARES,
            None,
            (),
            [
                "Country: China; Share of world production: 70%; Reserves: 38%.",
                "Country: Brazil; Share of world production: 12.5 %; Reserves: 9%.",
            ],
        ),
        (  # an empty corner: the first column names the row; years are headings
            [["", "2022", "2023"], ["Revenue", "10.2", "12,500"]],
            None,
            (),
            ["Revenue — 2022: 10.2; 2023: 12,500."],
        ),
        (  # two columns, no header: label and value pairs
            [["Voltage", "37.6 V"], ["Colour", "Red"]],
            None,
            (),
            ["Voltage: 37.6 V.", "Colour: Red."],
        ),
        (  # two header rows, a group heading spanning two columns
            [
                ["Country", "Production", "Production"],
                ["Country", "Mine", "Refined"],
                ["Chile", "1,200 t", "0.8 kt"],
            ],
            2,
            {(0, 2)},
            ["Country: Chile; Production, Mine: 1,200 t; Production, Refined: 0.8 kt."],
        ),
        (  # empty cells left out; a merged body cell once, under both headers; a group label
            [
                ["Site", "Q1", "Q2", "Note"],
                ["North", "", "4", ""],
                ["South", "7", "7", "closed"],
                ["Europe", "Europe", "Europe", "Europe"],
            ],
            1,
            {(2, 2), (3, 1), (3, 2), (3, 3)},
            ["Site: North; Q2: 4.", "Site: South; Q1 / Q2: 7; Note: closed.", "Europe."],
        ),
        (  # a header-less table of figures: the cells in order
            [["1", "2", "3"], ["4", "5", "6"]],
            None,
            (),
            ["1; 2; 3.", "4; 5; 6."],
        ),
    ],
)
def test_rows_keep_their_headers(
    grid: list[list[str]],
    header_rows: int | None,
    continued: set[tuple[int, int]],
    expected: list[str],
) -> None:
    assert table_rows(grid, header_rows, continued) == expected


def test_header_guess_needs_labels_above_values() -> None:
    assert guess_header_rows(SHARES) == 1
    assert guess_header_rows([["China", "70%"], ["Brazil", "12%"]]) == 0  # a figure in row one
    assert guess_header_rows([["Name", "Colour"], ["Apple", "Red"]]) == 0  # key-value pairs
    assert guess_header_rows([["A", "B", "C"], ["x", "y", "z"]]) == 1  # three text columns


def test_a_row_is_one_sentence_and_not_merged_with_the_next() -> None:
    """Rows with decimals, abbreviations and a trailing period inside a cell: one sentence
    each, through the same reflow and sentence splitting the chunker uses."""
    rows = table_rows(
        [
            ["Company", "Revenue", "Margin"],
            ["Acme Inc.", "$1,204.5 million", "3.5%"],
            ["Vega Ltd.", "€ 88.25 million", "12 %"],
        ]
    )
    text = "A paragraph before the table.\n\n" + "\n\n".join(rows) + "\n\nAfter it.\n"
    clean = reflow(text, may_be_wrapped=False)
    sentences = [clean.text[s:e] for s, e in split_sentences(clean.text)]
    for row in rows:
        assert row in sentences
    assert "Company: Acme Inc.; Revenue: $1,204.5 million; Margin: 3.5%." in sentences
    chunks = chunk_spans(clean.text, max_words=10, overlap_sentences=0)
    for row in rows:  # never cut between two chunks
        at = clean.text.index(row)
        assert any(s <= at and at + len(row) <= e for s, e in chunks), row


def test_html_th_rows_spans_caption_and_row_names() -> None:
    markup = (
        "<p>Before.</p><table><caption>Output 2024</caption>"
        "<thead><tr><th rowspan='2'>Mine</th><th colspan='2'>Output</th></tr>"
        "<tr><th>Ore</th><th>Metal</th></tr></thead><tbody>"
        "<tr><td>Kiruna</td><td>27 Mt</td><td>1.1 Mt</td></tr>"
        "<tr><td>Aitik</td><td colspan='2'>not reported</td></tr></tbody></table>"
        "<table><tr><th></th><th>2022</th><th>2023</th></tr>"
        "<tr><th>Revenue</th><td>10.2</td><td>12.5</td></tr></table><p>After.</p>"
    )
    assert [line for line in html_text(markup).split("\n") if line] == [
        "Before.",
        "Output 2024",
        "Mine: Kiruna; Output, Ore: 27 Mt; Output, Metal: 1.1 Mt.",
        "Mine: Aitik; Output, Ore / Output, Metal: not reported.",
        "Revenue — 2022: 10.2; 2023: 12.5.",
        "After.",
    ]


def test_html_nested_table_rows_are_not_read_twice() -> None:
    markup = (
        "<table><tr><th>Part</th><th>Detail</th></tr><tr><td>Pump</td><td>"
        "<table><tr><td>Flow</td><td>12 l/s</td></tr></table></td></tr></table>"
    )
    assert [line for line in html_text(markup).split("\n") if line] == [
        "Part: Pump; Detail: Flow 12 l/s."
    ]


def _docx(build: Callable[[object], None]) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Before the table.")
    build(document)
    document.add_paragraph("After the table.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_header_row_merged_cells_and_bold_header() -> None:
    def build(document: object) -> None:
        table = document.add_table(rows=4, cols=3)  # type: ignore[attr-defined]
        table.cell(0, 0).merge(table.cell(1, 0)).text = "Country"
        table.cell(0, 1).merge(table.cell(0, 2)).text = "Production"
        table.cell(1, 1).text, table.cell(1, 2).text = "Mine", "Refined"
        for r, c in ((0, 0), (0, 1), (1, 1), (1, 2)):
            for run in table.cell(r, c).paragraphs[0].runs:
                run.bold = True
        for c, value in enumerate(["Peru", "2,400 t", "1,900 t"]):
            table.cell(2, c).text = value
        table.cell(3, 0).text, table.cell(3, 1).text = "Chile", "3.5%"

    assert [line for line in docx_text(_docx(build)).split("\n") if line] == [
        "Before the table.",
        "Country: Peru; Production, Mine: 2,400 t; Production, Refined: 1,900 t.",
        "Country: Chile; Production, Mine: 3.5%.",
        "After the table.",
    ]


def test_docx_repeated_header_row_is_a_header_even_unstyled() -> None:
    from docx.oxml import OxmlElement

    def build(document: object) -> None:
        table = document.add_table(rows=2, cols=2)  # type: ignore[attr-defined]
        for (r, c), value in {
            (0, 0): "Alloy",
            (0, 1): "Grade",
            (1, 0): "AA6061",
            (1, 1): "T6",
        }.items():
            table.cell(r, c).text = value
        table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))

    assert "Alloy: AA6061; Grade: T6." in docx_text(_docx(build)).split("\n")


MARKDOWN = """# Deposits

Grades were measured
in 2024.

| Deposit | Grade | Tonnage |
|:--------|------:|--------:|
| **Lappberg** | 2.4 g/t | 1,250 kt |
| [Norrby](https://example.org) | 0.9 g/t | |
| Pipe \\| cell | 1 | 2 |

```
| not | a table |
|-----|---------|
| in  | code    |
```
"""


def test_markdown_pipe_tables_become_rows_and_the_rest_is_untouched() -> None:
    text = markdown_text(MARKDOWN)
    assert text.startswith("# Deposits\n\nGrades were measured\nin 2024.\n\n")
    assert "Deposit: Lappberg; Grade: 2.4 g/t; Tonnage: 1,250 kt.\n\n" in text
    assert "Deposit: Norrby; Grade: 0.9 g/t.\n\n" in text
    assert "Deposit: Pipe | cell; Grade: 1; Tonnage: 2." in text
    assert text.endswith("```\n| not | a table |\n|-----|---------|\n| in  | code    |\n```\n")
    plain = "# Notes\n\nA | B without a delimiter line\nis prose.\n"
    assert markdown_text(plain) == plain


def test_markdown_row_is_cited_exactly_from_the_text_offsets_index(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    """A .md file with a table: the quote of a row is that row, an exact slice of
    `source_text`; a .md file without one still indexes the file as written."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "deposits.md").write_text(MARKDOWN, encoding="utf-8")
    prose = "# Field notes\n\nThe zorblat quarry closed in 1987 after a flood.\n"
    (corpus / "notes.md").write_text(prose, encoding="utf-8")
    assistant = Assistant(make_settings(corpus))
    assistant.ingest()
    assert assistant.source_text("notes.md") == prose
    answer = assistant.ask("What is the tonnage of the Lappberg deposit?")
    assert not answer.refused
    first = answer.citations[0]
    assert first.quote == "Deposit: Lappberg; Grade: 2.4 g/t; Tonnage: 1,250 kt."
    for c in answer.citations:
        assert assistant.source_text(c.source)[c.start : c.end] == c.quote
    assert "1,250 kt" in answer.text


def test_pdf_ruled_and_unruled_tables_become_rows_and_prose_stays(tmp_path: Path) -> None:
    """A two-page report: a ruled grid and a table with no lines at all, both found in the
    printed lines; the paragraphs, captions and a bulleted list stay as they were."""
    from remqa.evaluation.table_docs import write
    from remqa.ingest.pdf_text import pdf_text

    doc = KILN_SURVEY
    text = pdf_text(write(doc, tmp_path).read_bytes())
    got = [line for line in text.split("\n") if line]
    assert got == [
        "Kiln survey",
        doc.intro,
        "Kilns at full load",
        "Kiln: Ostra; Capacity: 12.5 t; Fuel use: 3,100 l; Uptime: 91%.",
        "Kiln: Vasta; Capacity: 8 t; Fuel use: 2,450 l; Uptime: 87%.",
        "Inspector: Agneta Lindqvist; Visits: 14; Report due: week 9.",
        "Inspector: Bertil Holmgren; Visits: 11; Report due: week 12.",
        "• The figures are rounded.",
    ]


def test_pdf_lines_that_do_not_stand_in_columns_are_not_a_table() -> None:
    from remqa.ingest.pdf_tables import tables_as_rows
    from remqa.ingest.pdf_text import Line

    def line(top: float, *cells: tuple[float, float, str]) -> Line:
        text = " ".join(c[2] for c in cells)
        return Line(0, cells[0][0], cells[-1][1], top, top + 10, 10, text, 10, cells=cells)

    bullets = [line(20 * i, (50, 53, "•"), (60, 300, f"item {i} of a list")) for i in range(4)]
    assert tables_as_rows(bullets) == bullets
    ragged = [  # runs that straddle each other's gaps: no columns
        line(0, (50, 120, "one two"), (140, 300, "three")),
        line(20, (50, 200, "four five six"), (220, 300, "seven")),
        line(40, (50, 90, "eight"), (100, 300, "nine ten")),
    ]
    assert tables_as_rows(ragged) == ragged
    grid = [line(20 * i, (50, 90, f"r{i}"), (150, 170, f"{i}.5")) for i in range(3)]
    assert [r.text for r in tables_as_rows(grid)] == ["r0: 0.5.", "r1: 1.5.", "r2: 2.5."]


def test_a_figure_in_a_row_binds_to_its_own_header_not_the_row_name() -> None:
    """'City: Elsworth; Fixed charge: €5.55; Price per cubic metre: €2.37': the row's name
    stands next to €5.55, but a figure that is a field's value is tied to its label only."""
    from remqa.answering.binding import bind, field_label
    from remqa.answering.figures import find_figures
    from remqa.text.words import tokenize

    row = "City: Elsworth; Fixed charge: €5.55 a month; Price per cubic metre: €2.37."
    figures = find_figures(row)
    subject = [(t, 1.0) for t in tokenize(row) if t.text in {"Elsworth", "Price", "cubic"}]
    best, _ = bind(row, figures, figures, subject)[0]
    assert row[best.start : best.end] == "€2.37"
    start = row.index("€2.37")
    label = field_label(row, start)
    assert label is not None and row[label[0] : label[1]] == "Price per cubic metre"
    assert field_label("It rose by 5% in 2023.", 11) is None


def test_pdf_cell_wrapped_onto_more_lines_stays_in_its_row() -> None:
    """A remark wrapped over three lines is one cell; the next table's caption (a larger
    font) and its rows are not taken into the first table."""
    from remqa.ingest.pdf_tables import tables_as_rows
    from remqa.ingest.pdf_text import Line

    def line(top: float, *cells: tuple[float, float, str], size: float = 9.5) -> Line:
        text = " ".join(c[2] for c in cells)
        return Line(0, cells[0][0], cells[-1][1], top, top + 9, size, text, 10, cells=cells)

    lines = [
        line(0, (68, 106, "Station"), (159, 199, "Oxygen"), (295, 332, "Remark")),
        line(18, (68, 121, "Inner basin"), (159, 197, "5.1 mg/l"), (295, 410, "below the")),
        line(30, (295, 407, "limit for three")),
        line(42, (295, 346, "weeks")),
        line(60, (68, 136, "Outer harbour"), (159, 197, "8.4 mg/l"), (295, 349, "none")),
        line(78, (62, 182, "Traffic by quarter"), size=12),
        line(96, (68, 110, "Quarter"), (122, 153, "Cargo")),
        line(114, (68, 81, "Q1"), (122, 158, "1.21 Mt")),
        line(132, (68, 81, "Q2"), (122, 158, "1.37 Mt")),
    ]
    assert [r.text for r in tables_as_rows(lines)] == [
        "Station: Inner basin; Oxygen: 5.1 mg/l; Remark: below the limit for three weeks.",
        "Station: Outer harbour; Oxygen: 8.4 mg/l; Remark: none.",
        "Traffic by quarter",
        "Quarter: Q1; Cargo: 1.21 Mt.",
        "Quarter: Q2; Cargo: 1.37 Mt.",
    ]
