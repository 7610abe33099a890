"""Benchmark: which PDF table extractor gives remqa a table's rows, each cell under its header.

    .venv/bin/python bench/bench_pdf_tables.py [--runs 3] [--out bench/results/pdf_tables.json]

Needs the `bench` extra for the other candidates (pdfplumber, camelot-py, tabula-py, which
also needs a Java runtime): `.venv/bin/pip install -e '.[bench]'`; a candidate that is not
installed is reported as such.

Candidates: remqa's own reading (PDFium's printed lines, runs drawn apart standing in columns:
`remqa.ingest.pdf_tables`), pdfplumber's table finder with its "lines" (ruled) and "text"
(unruled) strategies, camelot's lattice (ruled) and stream (unruled) flavours, tabula's lattice
and stream modes. Every table a candidate finds goes through the same `ingest.tables` rows,
so what is compared is what each finds.

Documents, typeset like real ones with reportlab (tables on pages with paragraphs, a running
header and page numbers): the table eval's orchard survey (a ruled and an unruled table), the
test datasheet (a ruled table of wrapped-paragraph cells after label lines), a report with a
table whose cells wrap onto two lines and a six-column unruled table; and the PDFs found on
this machine (manuals: no known tables, so only what is found and the time are reported).

Figures per candidate and document:
- rows right: the share of the document's table rows that come out exactly as the row text
  `ingest.tables` makes from the true table (every cell, under its header);
- tables: tables found that hold at least one right row / true tables; extra: tables found
  that hold none (prose or page furniture read as a table);
- s/page: the median over runs of the time to find and read the tables, per page (for remqa:
  its whole PDF reading, tables and prose).
Prints a table and writes the figures as JSON.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO)]

from remqa.evaluation.pdf_maker import datasheet_pdf  # noqa: E402
from remqa.evaluation.table_docs import DocTable, TableDoc, write  # noqa: E402
from remqa.evaluation.tables_eval import load  # noqa: E402
from remqa.ingest.tables import table_rows  # noqa: E402
from tests import documents  # noqa: E402

Grid = list[list[str]]
REAL_PDFS = [
    Path("/usr/share/doc/libtasn1-doc/libtasn1.pdf"),
    Path("/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf"),
]


@dataclass(frozen=True)
class Sample:
    name: str
    pdf: bytes
    pages: int
    tables: list[Grid] | None  # header row first; None: not known (a found PDF)


def _pages(data: bytes) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def samples(work: Path) -> list[Sample]:
    docs, _ = load(REPO / "eval" / "tables" / "tables.yaml")
    survey = next(d for d in docs if d.file.endswith(".pdf"))
    report = TableDoc(
        file="report.pdf",
        title="Annual water report",
        intro=" ".join(documents.REPORT_PARAGRAPHS[1:3]),
        tables=[
            DocTable(
                header=["Station", "Oxygen", "Nitrate", "Remark"],
                rows=[
                    [
                        "Inner basin",
                        "5.1 mg/l",
                        "0.42 mg/l",
                        "below the limit for three weeks of August after a warm spell",
                    ],
                    [
                        "Eastern fairway",
                        "7.8 mg/l",
                        "0.31 mg/l",
                        "dredged in spring; silt from the upstream catchment",
                    ],
                    ["Outer harbour", "8.4 mg/l", "0.18 mg/l", "no remarks"],
                ],
                caption="Water quality by station",
            ),
            DocTable(
                header=["Quarter", "Cargo", "Containers", "Cruise calls", "Revenue", "Staff"],
                rows=[
                    ["Q1", "1.21 Mt", "48,200", "3", "9.6 MSEK", "212"],
                    ["Q2", "1.37 Mt", "52,900", "41", "10.9 MSEK", "230"],
                    ["Q3", "1.44 Mt", "55,300", "77", "11.8 MSEK", "241"],
                    ["Q4", "1.18 Mt", "47,600", "9", "9.4 MSEK", "219"],
                ],
                caption="Traffic by quarter",
                style="unruled",
            ),
        ],
        outro=" ".join(documents.REPORT_PARAGRAPHS[4:6]),
    )
    out = []
    for doc in (survey, report):
        path = write(doc, work) if doc is survey else _wrapped_report(doc, work)
        data = path.read_bytes()
        truth = [[t.header, *t.rows] for t in doc.tables]
        out.append(Sample(Path(doc.file).stem, data, _pages(data), truth))
    sheet = work / "datasheet.pdf"
    datasheet_pdf(sheet, documents.DATASHEET_TITLE, documents.DATASHEET_INTRO,
                  documents.DATASHEET_SECTIONS, documents.DATASHEET_TABLE,
                  documents.DATASHEET_NOTES)  # fmt: skip
    data = sheet.read_bytes()
    out.append(Sample("datasheet", data, _pages(data), [documents.DATASHEET_TABLE]))
    for path in REAL_PDFS:
        if path.exists():
            data = path.read_bytes()
            out.append(Sample(path.stem, data, _pages(data), None))
    return out


def _wrapped_report(doc: TableDoc, work: Path) -> Path:
    """The report with its first table's last column in narrow wrapping cells."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    from remqa.evaluation.pdf_maker import _document, _fonts

    fonts = _fonts()
    body = ParagraphStyle("b", fontName=fonts.regular, fontSize=10.5, leading=14)
    cell = ParagraphStyle("c", fontName=fonts.regular, fontSize=9.5, leading=12)
    bold = ParagraphStyle("h", fontName=fonts.bold, fontSize=12, leading=16)
    story: list[object] = [Paragraph(doc.title, bold), Paragraph(doc.intro, body)]
    for n, t in enumerate(doc.tables):
        grid: list[list[object]] = [list(r) for r in [t.header, *t.rows]]
        if n == 0:
            grid = [[*r[:-1], Paragraph(str(r[-1]), cell)] for r in grid]
        style = [
            ("FONTNAME", (0, 0), (-1, -1), fonts.regular),
            ("FONTSIZE", (0, 0), (-1, -1), 9.5),
            ("FONTNAME", (0, 0), (-1, 0), fonts.bold),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        if t.style == "ruled":
            style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
        widths = [32 * mm, 24 * mm, 24 * mm, 52 * mm] if n == 0 else None
        story += [
            Spacer(0, 4 * mm),
            Paragraph(t.caption, bold),
            Table(grid, colWidths=widths, hAlign="LEFT", style=TableStyle(style)),
        ]
    story += [Spacer(0, 4 * mm), Paragraph(doc.outro, body)] * 4  # fmt: skip
    path = work / doc.file
    _document(path, documents.REPORT_HEADER, doc.title, fonts).build(story)
    return path


# ---- the candidates: each returns the tables it finds, as grids of cell text


def _remqa(data: bytes) -> list[Grid]:
    """remqa's reading: the rows it writes, grouped into tables (runs of table rows)."""
    from remqa.ingest.pdf_tables import tables_as_rows
    from remqa.ingest.pdf_text import _read_lines, drop_running_lines
    from remqa.ingest.pdf_units import assemble

    lines, page_starts = _read_lines(data)
    rows = tables_as_rows(drop_running_lines(lines, len(page_starts)))
    assemble(rows)  # the rest of the reading, so the time is the whole of it
    tables: list[list[str]] = []
    previous = False
    for line in rows:
        if line.table_row and not previous:
            tables.append([])
        if line.table_row:
            tables[-1].append(line.text)
        previous = line.table_row
    return [[[text] for text in t] for t in tables]  # rows already written


def _pdfplumber(strategy: str) -> Callable[[bytes], list[Grid]]:
    def extract(data: bytes) -> list[Grid]:
        import pdfplumber

        settings = {"vertical_strategy": strategy, "horizontal_strategy": strategy}
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return [
                [[c or "" for c in row] for row in table]
                for page in pdf.pages
                for table in page.extract_tables(settings)
            ]

    return extract


def _camelot(flavor: str) -> Callable[[bytes], list[Grid]]:
    def extract(data: bytes) -> list[Grid]:
        import camelot

        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(data)
            f.flush()
            found = camelot.read_pdf(f.name, pages="all", flavor=flavor)
            return [[[str(c) for c in row] for row in t.df.values.tolist()] for t in found]

    return extract


def _tabula(lattice: bool) -> Callable[[bytes], list[Grid]]:
    def extract(data: bytes) -> list[Grid]:
        import tabula

        frames = tabula.read_pdf(io.BytesIO(data), pages="all", multiple_tables=True,
                                 lattice=lattice, stream=not lattice,
                                 pandas_options={"header": None}, silent=True)  # fmt: skip
        return [[["" if str(c) == "nan" else str(c) for c in row] for row in f.values.tolist()]
                for f in frames]  # fmt: skip

    return extract


CANDIDATES: dict[str, tuple[Callable[[bytes], list[Grid]], str]] = {
    "remqa (pypdfium2 lines)": (_remqa, "pypdfium2"),
    "pdfplumber lines": (_pdfplumber("lines"), "pdfplumber"),
    "pdfplumber text": (_pdfplumber("text"), "pdfplumber"),
    "camelot lattice": (_camelot("lattice"), "camelot"),
    "camelot stream": (_camelot("stream"), "camelot"),
    "tabula lattice": (_tabula(True), "tabula"),
    "tabula stream": (_tabula(False), "tabula"),
}


def _rows_of(grid: Grid) -> list[str]:
    if all(len(row) == 1 for row in grid):  # remqa's: already rows
        return [row[0] for row in grid]
    return table_rows(grid)


def score(sample: Sample, found: list[Grid]) -> dict[str, float | int | None]:
    got = [set(_rows_of(g)) for g in found]
    everything = set().union(*got) if got else set()
    if sample.tables is None:
        return {"rows_right": None, "tables": None, "extra": None, "found": len(found)}
    truth = [table_rows(t, header_rows=1) for t in sample.tables]
    rows = [r for t in truth for r in t]
    matched = sum(any(set(t) & g for t in truth) for g in got)
    return {
        "rows_right": sum(r in everything for r in rows) / len(rows),
        "tables": sum(bool(set(t) & everything) for t in truth) / len(truth),
        "extra": len(found) - matched,
        "found": len(found),
    }


def measure(sample: Sample, extract: Callable[[bytes], list[Grid]], runs: int) -> dict:
    times, found = [], []
    for _ in range(runs):
        start = time.perf_counter()
        found = extract(sample.pdf)
        times.append(time.perf_counter() - start)
    return {**score(sample, found), "s_per_page": statistics.median(times) / sample.pages}


def _available(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    if module == "tabula":
        return subprocess.run(["java", "-version"], capture_output=True).returncode == 0
    return True


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="reads per candidate and PDF")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "pdf_tables.json")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="remqa-bench-tables-") as work:
        docs = samples(Path(work))
    results: dict[str, dict[str, object]] = {}
    for name, (extract, module) in CANDIDATES.items():
        if not _available(module):
            results[name] = {"unavailable": f"{module} is not installed"}
            continue
        results[name] = {}
        for s in docs:
            try:
                results[name][s.name] = measure(s, extract, args.runs)
            except Exception as exc:  # noqa: BLE001 - a candidate failing is a result
                results[name][s.name] = {"error": f"{type(exc).__name__}: {exc}"[:200]}
    report = {
        "runs": args.runs,
        "documents": {
            s.name: {"pages": s.pages, "tables": len(s.tables or []) or None} for s in docs
        },  # fmt: skip
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")

    print(f"{'candidate':<25}{'document':<27}{'rows':>6}{'tables':>7}{'extra':>6}"
          f"{'found':>6}{'s/page':>9}")  # fmt: skip
    for name, per_doc in results.items():
        if "unavailable" in per_doc:
            print(f"{name:<25}{per_doc['unavailable']}")
            continue
        for doc, r in per_doc.items():
            if not isinstance(r, dict) or "error" in r:
                print(f"{name:<25}{doc:<27}{r}")
                continue

            def cell(v: object, fmt: str) -> str:
                return "-" if v is None else format(v, fmt)

            print(f"{name:<25}{doc:<27}{cell(r['rows_right'], '.2f'):>6}"
                  f"{cell(r['tables'], '.2f'):>7}{cell(r['extra'], 'd'):>6}{r['found']:>6}"
                  f"{r['s_per_page']:>9.4f}")  # fmt: skip
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
