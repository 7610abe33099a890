"""Text of a Word (.docx) file: its paragraphs and table rows in document order; a table row
keeps its cells' headers (`ingest.tables`)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from docx.oxml.ns import qn

from remqa.ingest.errors import UnreadableFile
from remqa.ingest.tables import table_rows

MAX_UNPACKED_BYTES = 200_000_000  # a zip bomb renamed .docx unpacks to far more
MAX_RATIO = 200  # and compresses far better than any real document


def docx_blocks(data: bytes) -> list[str]:
    return docx_blocks_and_headings(data)[0]


def docx_blocks_and_headings(data: bytes) -> tuple[list[str], set[int]]:
    """The blocks, and the indices of the paragraphs styled as headings (Title, Heading N)."""
    _check_archive(data)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
        blocks: list[str] = []
        headings: set[int] = set()
        for item in document.iter_inner_content():
            if isinstance(item, Paragraph):
                text = " ".join(item.text.split())
                if text:
                    if _is_heading_style(item):
                        headings.add(len(blocks))
                    blocks.append(text)
            elif isinstance(item, Table):
                blocks.extend(_rows(item))
    except UnreadableFile:
        raise
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on damaged files
        raise UnreadableFile(f"corrupt or unreadable .docx ({type(exc).__name__})") from None
    return blocks, headings


def _is_heading_style(paragraph: object) -> bool:
    style = getattr(paragraph, "style", None)
    name = str(getattr(style, "name", "") or "")
    return name == "Title" or name.startswith("Heading")


def _rows(table: Any) -> list[str]:
    """The table's rows, each cell named by its header (see `ingest.tables`)."""
    grid: list[list[str]] = []
    continued: set[tuple[int, int]] = set()
    marked: list[bool] = []
    for r, row in enumerate(table.rows):
        cells = list(row.cells)  # a merged cell is returned for every grid slot it covers
        grid.append([cell.text for cell in cells])
        continued.update((r, c) for c in range(1, len(cells)) if cells[c]._tc is cells[c - 1]._tc)
        marked.append(_is_header_row(row, cells))
    header_rows = 0
    while header_rows < len(marked) and marked[header_rows]:
        header_rows += 1
    if header_rows == len(marked):  # every row alike: no row is marked as the header
        header_rows = 0
    return table_rows(grid, header_rows or None, continued)


def _is_header_row(row: Any, cells: list[Any]) -> bool:
    """Word marks a header row as repeated on each page (w:tblHeader); people mark it bold."""
    props = row._tr.trPr
    if props is not None and props.find(qn("w:tblHeader")) is not None:
        return True
    runs = [run for cell in cells for p in cell.paragraphs for run in p.runs if run.text.strip()]
    return bool(runs) and all(run.bold for run in runs)


def _check_archive(data: bytes) -> None:
    """A .docx is a zip archive; refuse one that is not, or that would unpack to a bomb."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise UnreadableFile("not a Word file (.docx is a zip archive; this is not one)") from None
    if "word/document.xml" not in names:
        raise UnreadableFile("not a Word file (no word/document.xml inside)")
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_RATIO * max(len(data), 1):
        raise UnreadableFile(
            f"refused: unpacks to {unpacked:,} bytes from {len(data):,} (a zip bomb?)"
        )
