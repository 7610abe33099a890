"""Terminal output for people: summaries and answers, rendered with rich."""

from __future__ import annotations

import re

from remqa.models import Answer, Documents, IngestReport
from remqa.text.reflow import display_text

# Control characters (and so terminal escape sequences) in documents are shown, not obeyed.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def inert(text: str) -> str:
    """Text from a document, safe to print: control and bidi-override characters escaped."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def print_answer(answer: Answer) -> None:
    """The answer, then its numbered sources with the exact quotes."""
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    if answer.resolved_question:
        console.print(Text(f"(understood as: {inert(answer.resolved_question)})", style="dim"))
    style = "yellow" if answer.refused else ""
    console.print(Text(inert(answer.text.replace("**", "")), style=style))
    for notice in answer.notices:
        console.print(Text(f"Note: {inert(notice)}", style="italic yellow"))
    for check in answer.checks:
        mark = "✓ supported" if check.supported else f"✗ removed: {check.reason}"
        console.print(Text(f"  {mark}: “{inert(check.sentence)}”", style="dim"))
    if not answer.citations:
        return
    console.print()
    console.print(Text("Sources", style="bold"))
    for c in answer.citations:
        console.print(
            Text.assemble(
                (f"[{c.id}] ", "bold cyan"),
                (inert(c.source), "cyan"),
                (f"  {inert(c.place)}" if c.place else "", "cyan"),
                f"  chars {c.start}-{c.end}  score {c.score:.2f}",
            )
        )
        console.print(Text(f"    “{inert(display_text(c.quote))}”"))


def print_documents(listed: Documents) -> None:
    """The indexed files, one a line (the names `remqa ask --doc` takes), then skipped ones."""
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    if not listed.documents:
        console.print("No documents are indexed yet: run `remqa ingest`.")
    for entry in listed.documents:
        console.print(
            Text.assemble(inert(entry.source), (f"  {entry.type}, {entry.chunks} chunks", "dim"))
        )
    for skipped in listed.skipped:
        console.print(
            Text.assemble(
                ("skipped ", "yellow"), f"{inert(skipped.source)}: {inert(skipped.reason)}"
            )
        )


def print_ingest_report(report: IngestReport) -> None:
    """A one-screen summary of an ingest."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=f"Ingested {report.corpus_dir}/ into {report.index}", title_justify="left")
    table.add_column("files", style="bold")
    table.add_column("count", justify="right")
    table.add_column("which")
    for label, names in (
        ("added", report.added),
        ("changed", report.changed),
        ("unchanged", report.unchanged),
        ("removed", report.removed),
    ):
        table.add_row(label, str(len(names)), _names(names))
    table.add_row("skipped", str(len(report.skipped)), "")
    console.print(table)
    for skipped in report.skipped:
        console.print(f"  [yellow]skipped[/] {skipped.source}: {skipped.reason}", highlight=False)
    rebuilt = " (rebuilt)" if report.rebuilt else ""
    console.print(
        f"Chunks: {report.chunks_total} in index{rebuilt}, {report.chunks_embedded} embedded, "
        f"{report.chunks_deleted} deleted. Took {report.seconds:.2f} s.",
        highlight=False,
    )


def _names(names: list[str], limit: int = 4) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f", … (+{len(names) - limit})" if len(names) > limit else "")
