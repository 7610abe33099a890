"""The Documents panel: what is indexed and skipped, and whether the page may change it."""

from __future__ import annotations

import html
from datetime import datetime

from remqa.chat.render import escape_markdown
from remqa.models import AddReport, Documents, IngestReport
from remqa.settings import Settings, is_loopback

UPLOAD_TYPES = [".txt", ".md", ".markdown", ".pdf", ".html", ".htm", ".docx"]


def changes_allowed(settings: Settings, host: str | None = None) -> tuple[bool, str]:
    """Whether the page may add and remove documents, and if not, why and how to allow it.
    Safe by default: on when the chat is reachable only from this machine or asks for a
    login; off when it listens on a network address without one."""
    if settings.allow_uploads is not None:
        if settings.allow_uploads:
            return True, ""
        return False, "Adding and removing documents is turned off (REMQA_ALLOW_UPLOADS=false)."
    bound = host or settings.host
    if is_loopback(bound) or settings.auth is not None:
        return True, ""
    return False, (
        f"Adding and removing documents is off: the chat listens on {bound}, which other "
        "machines can reach, without a login. Set REMQA_AUTH=user:password, or "
        "REMQA_ALLOW_UPLOADS=true if this network is trusted."
    )


def _size(n: int) -> str:
    if n < 1024:
        return f"{n:,} bytes"
    value, unit = n / 1024, "KB"
    for bigger in ("MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{value:.1f} {unit}"


def _when(stamp: str) -> str:
    try:
        return datetime.fromisoformat(stamp).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return "before this list was kept"


def documents_html(documents: Documents) -> str:
    """The indexed files as a table, then the skipped ones with the reason (all escaped:
    file names are user input)."""
    if not documents.documents and not documents.skipped:
        return '<div class="remqa-empty">No documents yet. Add some below.</div>'
    rows = "".join(
        f"<tr><td>{html.escape(d.source)}</td><td>{html.escape(d.type)}</td>"
        f"<td>{_size(d.bytes)}</td><td>{d.chunks:,}</td><td>{_when(d.indexed_at)}</td></tr>"
        for d in documents.documents
    )
    out = (
        '<table class="remqa-docs"><thead><tr><th>file</th><th>type</th><th>size</th>'
        f"<th>chunks</th><th>indexed</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    if documents.skipped:
        items = "".join(
            f"<li><b>{html.escape(s.source)}</b>: {html.escape(s.reason)}</li>"
            for s in documents.skipped
        )
        out += f'<div class="remqa-skipped"><b>Skipped</b><ul>{items}</ul></div>'
    return out


def add_markdown(report: AddReport) -> str:
    """One line per uploaded file, then what the ingest did."""
    lines = [
        f"- {'✓' if o.ok else '✗'} **{escape_markdown(o.name)}**: {escape_markdown(o.message)}"
        for o in report.outcomes
    ]
    text = "\n".join(lines) or "No files given."
    if report.ingest is not None:
        text += "\n\n" + ingest_line(report.ingest)
    return text


def ingest_line(report: IngestReport) -> str:
    return (
        f"Indexed: {len(report.added)} added, {len(report.changed)} changed, "
        f"{len(report.removed)} removed; {report.chunks_embedded} chunks embedded, "
        f"{report.chunks_total} in the index ({report.seconds:.1f} s)."
    )
