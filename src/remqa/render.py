"""Terminal output for people: summaries and answers, rendered with rich."""

from __future__ import annotations

from remqa.models import IngestReport


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
