"""Benchmark: which PDF text extractor gives remqa the document's paragraphs, in order.

    .venv/bin/python bench/bench_pdf_extract.py [--runs 5] [--out bench/results/pdf_extract.json]

Needs the `bench` extra (pdfplumber, pypdf): `.venv/bin/pip install -e '.[bench]'`.

The candidates (all MIT-compatible; PyMuPDF is AGPL and left out): pypdf's plain and layout
modes, pdfplumber's plain and layout modes, PDFium's own page text (pypdfium2), and remqa's
loader (PDFium's characters with their positions, put back into lines and paragraphs by
`remqa.ingest.pdf_text`). Each reads three PDFs typeset like real ones with reportlab: the
bundled article (justified, hyphenated line ends, fi/fl ligatures, a running header and
page numbers), a multi-page report (the same, with headings) and a two-page datasheet
("label: value" lines and a table). Every extractor's text then goes through the same
`text.reflow` that plain text gets (wrapped lines joined, line-end hyphens of split words
dropped, ligatures spelled out), so the comparison is of what each extractor gives.

Figures per extractor and document:
- units whole: the share of the document's units (paragraphs, headings, label lines, table
  rows) that come out as exactly one unit of the clean text;
- in order: the share of consecutive whole units that come out in the document's order;
- furniture: clean units holding the running header or a page number;
- odd words: words of the clean text that the document never uses (split or glued words,
  lost ligatures; the running header's words are counted as furniture instead);
- ms: the median time to read the PDF and reflow its text.
Prints a table and writes the figures as JSON.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO)]

from remqa.evaluation.formats import paragraphs  # noqa: E402
from remqa.evaluation.pdf_maker import datasheet_pdf, report_pdf  # noqa: E402
from remqa.ingest.pdf_text import pdf_text  # noqa: E402
from remqa.text.reflow import reflow  # noqa: E402
from tests import documents  # noqa: E402

_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,3}$", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class Sample:
    name: str
    pdf: bytes
    units: list[str]  # what a reader sees as separate units, in reading order
    header: str


def _pypdf(data: bytes, layout: bool) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    mode = "layout" if layout else "plain"
    return "\n".join(page.extract_text(extraction_mode=mode) for page in reader.pages)


def _pdfplumber(data: bytes, layout: bool) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text(layout=layout) or "" for page in pdf.pages)


def _pdfium_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        pages = (document[i].get_textpage() for i in range(len(document)))
        return "\n".join(page.get_text_bounded() for page in pages)
    finally:
        document.close()


# name -> (extractor, whether its text is already one unit per line)
EXTRACTORS: dict[str, tuple[Callable[[bytes], str], bool]] = {
    "pypdf": (lambda d: _pypdf(d, layout=False), False),
    "pypdf layout": (lambda d: _pypdf(d, layout=True), False),
    "pdfplumber": (lambda d: _pdfplumber(d, layout=False), False),
    "pdfplumber layout": (lambda d: _pdfplumber(d, layout=True), False),
    "pypdfium2 page text": (_pdfium_text, False),
    "remqa (pypdfium2 chars)": (pdf_text, True),
}


def samples(work: Path) -> list[Sample]:
    article = paragraphs(next((REPO / "corpus").glob("*.txt")).read_text(encoding="utf-8"))
    report_body = documents.REPORT_PARAGRAPHS * 3
    made = [
        ("article", ["Article", *article], documents.REPORT_HEADER,
         lambda p: report_pdf(article, p, title="Article", header=documents.REPORT_HEADER)),
        ("report", ["Annual water report", *report_body], documents.REPORT_HEADER,
         lambda p: report_pdf(report_body, p, title="Annual water report",
                              header=documents.REPORT_HEADER)),
        ("datasheet", _datasheet_units(), "Product datasheet",
         lambda p: datasheet_pdf(p, documents.DATASHEET_TITLE, documents.DATASHEET_INTRO,
                                 documents.DATASHEET_SECTIONS, documents.DATASHEET_TABLE,
                                 documents.DATASHEET_NOTES)),
    ]  # fmt: skip
    out = []
    for name, units, header, make in made:
        path = work / f"{name}.pdf"
        make(path)
        out.append(Sample(name, path.read_bytes(), units, header))
    return out


def _datasheet_units() -> list[str]:
    units = [documents.DATASHEET_TITLE, documents.DATASHEET_INTRO]
    for heading, rows in documents.DATASHEET_SECTIONS:
        units += [heading, *(f"{label}: {value}" for label, value in rows)]
    units += [" ".join(row) for row in documents.DATASHEET_TABLE]
    return units + list(documents.DATASHEET_NOTES)


def _collapse(text: str) -> str:
    return " ".join(text.replace("|", " ").split())


def score(sample: Sample, clean: str) -> dict[str, float]:
    got = [_collapse(line) for line in clean.splitlines() if line.strip()]
    # a unit written k times is matched to its k-th occurrence in the clean text
    occurrences: dict[str, list[int]] = {}
    for i, unit in enumerate(got):
        occurrences.setdefault(unit, []).append(i)
    found = [occurrences[u].pop(0) for u in map(_collapse, sample.units) if occurrences.get(u)]
    pairs = list(zip(found, found[1:], strict=False))
    # furniture is counted on its own; its words are not odd words
    known = {w.lower() for w in _WORD.findall(" ".join([*sample.units, sample.header, "Page"]))}
    odd = [w for w in _WORD.findall(clean) if w.lower() not in known]
    furniture = [u for u in got if sample.header in u or _PAGE_NUMBER.match(u)]
    return {
        "units_whole": len(found) / len(sample.units),
        "in_order": sum(a < b for a, b in pairs) / len(pairs) if pairs else 0.0,
        "furniture": len(furniture),
        "odd_words": len(odd),
    }


def measure(sample: Sample, extract: Callable[[bytes], str], laid_out: bool, runs: int) -> dict:
    times, clean = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        clean = reflow(extract(sample.pdf), hyphen_breaks_words=True,
                       may_be_wrapped=not laid_out).text  # fmt: skip
        times.append((time.perf_counter() - start) * 1000)
    return {**score(sample, clean), "ms": statistics.median(times)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5, help="reads per extractor and PDF")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "pdf_extract.json")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="remqa-bench-pdf-") as work:
        docs = samples(Path(work))
    pdf_text(docs[0].pdf)  # load the word list the ligature repair uses before timing
    results = {
        name: {s.name: measure(s, extract, laid_out, args.runs) for s in docs}
        for name, (extract, laid_out) in EXTRACTORS.items()
    }
    report = {"runs": args.runs, "documents": [s.name for s in docs], "results": results}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")

    print(f"{'extractor':<24}{'document':<11}{'whole':>7}{'order':>7}{'furn.':>6}"
          f"{'odd':>5}{'ms':>8}")  # fmt: skip
    for name, per_doc in results.items():
        for doc, r in per_doc.items():
            print(f"{name:<24}{doc:<11}{r['units_whole']:>7.2f}{r['in_order']:>7.2f}"
                  f"{r['furniture']:>6}{r['odd_words']:>5}{r['ms']:>8.1f}")  # fmt: skip
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
