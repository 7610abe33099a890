"""The format-invariance eval: the same eval set, answered against the same corpus written as
people actually write documents: hard-wrapped at 72 and 40 columns, with CRLF line ends, as
Markdown, as HTML with line breaks inside its paragraphs, as a PDF and as a Word file.

Each variant gets its own corpus folder and index; the gold spans of the eval items are moved
to the variant's text by finding their words there. A variant passes when each metric is
within one item of the original's, it invents no figure, every quote is exact, and no quote
stops mid-sentence at a line break.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

from remqa.evaluation.evalset import EvalItem, GoldSpan
from remqa.evaluation.gates import GateResult
from remqa.evaluation.pdf_maker import CLOSING, report_pdf
from remqa.evaluation.pdf_maker import looks_like_heading as is_heading
from remqa.evaluation.scoring import EvalRun
from remqa.settings import Settings

FORMATS = ("original", "wrap72", "wrap40", "crlf", "markdown", "html", "pdf", "docx")
SUFFIX = {"markdown": ".md", "html": ".html", "pdf": ".pdf", "docx": ".docx"}
# Metrics compared item for item with the original ("within one item").
COMPARED = (
    "figure_accuracy_first_sentence",
    "figure_accuracy_whole",
    "text_accuracy",
    "citation_precision",
    "refusal_accuracy",
    "hit_at_5",
)


def paragraphs(text: str) -> list[str]:
    """The article's paragraphs (it is written one per line)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def wrapped(paras: Sequence[str], width: int) -> str:
    return "\n\n".join(textwrap.fill(p, width) for p in paras) + "\n"


def _fill(paragraph: str, width: int) -> str:
    """Wrapped as an editor wraps markup: never inside a hyphenated word, since a line break
    there would show as a space."""
    return textwrap.fill(paragraph, width, break_on_hyphens=False)


def markdown(paras: Sequence[str]) -> str:
    out = []
    for i, p in enumerate(paras):
        out.append(("# " if i == 0 else "## ") + p if is_heading(p) else _fill(p, 80))
    return "\n\n".join(out) + "\n"


def html(paras: Sequence[str]) -> str:
    from html import escape

    body = []
    for p in paras:
        if is_heading(p):
            body.append(f"<h2>{escape(p)}</h2>")
        else:  # line breaks inside the paragraph, as an editor or a converter leaves them
            body.append("<p>" + escape(_fill(p, 70)) + "</p>")
    return (
        "<!doctype html>\n<html><head><meta charset='utf-8'><title>Article</title>"
        "<style>p{margin:1em}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def docx(paras: Sequence[str], path: Path) -> None:
    import docx as python_docx

    document = python_docx.Document()
    for p in paras:
        if is_heading(p):
            document.add_heading(p, level=2)
        else:
            document.add_paragraph(p)
    document.save(str(path))


def pdf(paras: Sequence[str], path: Path) -> None:
    report_pdf(paras, path, title="Article")


def write_variant(source: Path, fmt: str, folder: Path) -> Path:
    """Write `source` (a one-paragraph-per-line text file) as format `fmt` into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    text = source.read_text(encoding="utf-8")
    paras = paragraphs(text)
    target = folder / (source.stem + SUFFIX.get(fmt, source.suffix))
    if fmt == "original":
        target.write_text(text, encoding="utf-8")
    elif fmt in {"wrap72", "wrap40"}:
        target.write_text(wrapped(paras, int(fmt[4:])), encoding="utf-8")
    elif fmt == "crlf":
        target.write_bytes(wrapped(paras, 72).replace("\n", "\r\n").encode("utf-8"))
    elif fmt == "markdown":
        target.write_text(markdown(paras), encoding="utf-8")
    elif fmt == "html":
        target.write_text(html(paras), encoding="utf-8")
    elif fmt == "docx":
        docx(paras, target)
    elif fmt == "pdf":
        pdf(paras, target)
    else:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    return target


def locate(quote: str, text: str) -> tuple[int, int] | None:
    """Where `quote`'s words stand in `text`, across any white space and line-end hyphens."""
    words = quote.split()
    if not words:
        return None
    gap = r"(?:\s+|-\s*\n\s*)"
    pattern = gap.join(_word_pattern(w) for w in words)
    match = re.search(pattern, text)
    return (match.start(), match.end()) if match else None


def _word_pattern(word: str) -> str:
    # A word may be broken by a hyphen and a line break anywhere inside it.
    return r"(?:-?\s*\n\s*)?".join(re.escape(c) for c in word)


def relocate(
    items: Sequence[EvalItem], renamed: dict[str, str], source_text: Callable[[str], str]
) -> tuple[list[EvalItem], int]:
    """The items with their gold spans moved into the variant files; and how many spans could
    not be found there (they are dropped, and counted in the report)."""
    moved: list[EvalItem] = []
    lost = 0
    for item in items:
        spans: list[GoldSpan] = []
        for span in item.spans:
            name = renamed.get(span.source, span.source)
            text = source_text(name)
            where = locate(span.quote, text)
            if where is None:
                lost += 1
                continue
            start, end = where
            spans.append(GoldSpan(source=name, start=start, end=end, quote=text[start:end]))
        moved.append(item.model_copy(update={"spans": spans}))
    return moved, lost


def cut_at_line_break(quote: str, source_text: str, end: int) -> bool:
    """A quote that stops at a line break in the middle of a sentence (the line goes on with a
    lower-case word or a number): the sign of reading a wrapped line as a sentence."""
    if CLOSING.search(quote.rstrip()) or source_text[end : end + 1] not in {"\n", "\r"}:
        return False
    rest = source_text[end:].lstrip()
    return bool(rest) and (rest[0].islower() or rest[0].isdigit())


class FormatRun:
    """One variant's eval run, with what the format eval adds to it."""

    def __init__(self, fmt: str, run: EvalRun, lost_spans: int, cut_quotes: list[str]) -> None:
        self.fmt = fmt
        self.run = run
        self.lost_spans = lost_spans
        self.cut_quotes = cut_quotes  # ids of items with a quote cut at a line break


def run_formats(
    settings: Settings,
    items: Sequence[EvalItem],
    formats: Sequence[str],
    work: Path,
    show_progress: bool = False,
) -> list[FormatRun]:
    """Answer `items` against the corpus written in each format, each in a fresh index."""
    from remqa.assistant import Assistant
    from remqa.evaluation.scoring import run_eval

    sources = sorted(p for p in settings.corpus_dir.rglob("*") if p.is_file())
    runs: list[FormatRun] = []
    for fmt in formats:
        corpus = work / fmt / "corpus"
        renamed = {
            p.relative_to(settings.corpus_dir).as_posix(): write_variant(p, fmt, corpus)
            .relative_to(corpus)
            .as_posix()
            for p in sources
        }
        variant = settings.model_copy(
            update={
                "corpus_dir": corpus,
                "index_dir": work / fmt / "index",
                "chroma_url": None,
            }
        )
        assistant = Assistant(variant)
        assistant.ingest()
        moved, lost = relocate(items, renamed, assistant.source_text)
        run = run_eval(assistant, moved, show_progress=show_progress)
        cut = [
            r.id
            for r in run.items
            if any(
                cut_at_line_break(
                    str(c["quote"]), assistant.source_text(str(c["source"])), int(str(c["end"]))
                )
                for c in r.citations
            )
        ]
        runs.append(FormatRun(fmt, run, lost, cut))
    return runs


def format_gates(runs: Sequence[FormatRun]) -> list[GateResult]:
    """Each variant against the first run (the original): within one item on every compared
    metric and on false refusals; no invented figure, exact quotes, no quote cut mid-sentence."""
    base = runs[0].run
    results: list[GateResult] = []
    for fr in runs[1:]:
        metrics = fr.run.metrics
        problems = []
        for name in COMPARED:
            n = _denominator(fr.run, name)
            if n and round(abs(float(metrics[name]) - float(base.metrics[name])) * n) > 1:
                problems.append(f"{name} {metrics[name]} vs {base.metrics[name]}")
        if int(metrics["false_refusals"]) > int(base.metrics["false_refusals"]) + 1:
            problems.append(f"false_refusals {metrics['false_refusals']}")
        if int(metrics["invented_figures"]) != 0:
            problems.append(f"invented_figures {metrics['invented_figures']}")
        if float(metrics["citation_validity"]) != 1.0:
            problems.append(f"citation_validity {metrics['citation_validity']}")
        if fr.cut_quotes:
            problems.append(f"quotes cut at a line break: {', '.join(fr.cut_quotes)}")
        results.append(
            GateResult(
                name=f"format:{fr.fmt}",
                value="; ".join(problems) or "as the original",
                limit="within one item of the original; 0 invented; exact, whole quotes",
                passed=not problems,
            )
        )
    return results


def _denominator(run: EvalRun, metric: str) -> int:
    """How many items a share metric is taken over."""
    check = {
        "figure_accuracy_first_sentence": "figures_first_sentence",
        "figure_accuracy_whole": "figures_whole",
        "text_accuracy": "text",
        "citation_precision": "citation_precision",
        "refusal_accuracy": "refusal",
    }.get(metric)
    if check is not None:
        return sum(check in r.checks for r in run.items)
    return sum(r.type != "unanswerable" for r in run.items)  # hit@k: answerable items
