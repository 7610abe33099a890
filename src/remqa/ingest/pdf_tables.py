"""Tables of a PDF page found in its printed lines, read as rows that keep their headers.

Chosen by measurement (`bench/bench_pdf_tables.py`, figures in BENCHMARKS.md) over
pdfplumber, camelot and tabula: the lines `pdf_text` already reads with PDFium carry their
runs of characters drawn apart (a gap of nearly a font size or more splits them), and a table
is a block of lines whose runs stand in columns. That finds ruled and unruled tables alike,
at no extra cost per page and with no other dependency.

A block is a table when at least three consecutive lines of a page, spaced as lines of one
block, each have two or more runs and every run falls in one column: the columns are the
stretches of the block's width that some run covers, split where no run of any line has ink.
Lines with a single run between two such lines are kept in the block: a cell's wrapped next
lines (their run stands under a later column) or a group label (it stands in the first column).
Prose never qualifies: the words of a justified line are not spaced a font size apart in
three consecutive lines at the same places.

The block's lines are replaced by one line per body row with the text of `ingest.tables`
("Region: Ambervale; Orchards: 412; ..."), marked as a unit so it is never joined to its
neighbours.

Each character of a row keeps where it was printed (`Line.refs`), so a citation of a row
names its page and the viewer marks its cells:

- a value's characters are its cell's characters; a header's, its header cell's (above the
  row on the same page: a block never runs past a page's end, see `_close`), so the mark
  covers the row's cells and the headers that name them;
- characters put in (the "; ", ": ", " — ", ", " and " / " between the parts, the final
  ".", the space joining a cell's wrapped lines) have no character (-1), as every character
  the reader puts in: they have no box to mark, and the page in force over them is the
  row's, since a row always begins with a character copied from the page;
- were a header ever copied from another page than its row (a table continued over a page
  break), its characters would point at the first character of the value it names: a
  citation's page is where its row's values are, and the mark stays on the row.
"""

from __future__ import annotations

import dataclasses
from array import array
from collections.abc import Sequence
from typing import Protocol, TypeVar

from remqa.ingest.pdf_units import normalized
from remqa.ingest.tables import Piece, table_row_pieces

MIN_ROWS = 3  # a header and two rows, or three rows
MAX_ROW_GAP = 2.0  # font sizes of white space between two rows of one table, at most
COLUMN_GAP = 0.5  # font sizes of white space that separate two columns, at least
MAX_WRAPPED = 6  # single-run lines between two rows of a table, at most


class _Line(Protocol):
    """What is read of a `pdf_text.Line` (a dataclass; rows are copies with a new text)."""

    page: int
    top: float
    bottom: float
    size: float
    cells: tuple[tuple[float, float, str], ...]
    cell_refs: tuple[array[int], ...]  # per cell (or none: characters not known, -1)


L = TypeVar("L", bound=_Line)


def tables_as_rows(lines: Sequence[L]) -> list[L]:
    """`lines` with each table's lines replaced by its rows (see the module docstring)."""
    out: list[L] = []
    i = 0
    while i < len(lines):
        end = _block_end(lines, i)
        columns = None
        while end - i >= MIN_ROWS and columns is None:
            columns = _columns(lines[i:end])
            if columns is None:  # perhaps the lines after a table: try it without them
                end = max(e for e in range(i + 1, end) if _is_row(lines[e - 1]))
        if columns is None:
            out.append(lines[i])
            i += 1
            continue
        out.extend(_rows(lines[i:end], columns))
        i = end
    return out


def _is_row(line: _Line) -> bool:
    return len(line.cells) >= 2


def _close(a: _Line, b: _Line) -> bool:
    return a.page == b.page and b.top - a.bottom <= MAX_ROW_GAP * max(a.size, b.size)


def _block_end(lines: Sequence[_Line], start: int) -> int:
    """The end of the run of lines from `start` that could be one table: lines with two runs
    or more, and the single-run lines between two of them (a cell wrapped onto more lines, a
    group label), each close under the one before."""
    if not _is_row(lines[start]):
        return start + 1
    end = start + 1
    while end < len(lines) and _close(lines[end - 1], lines[end]):
        if _is_row(lines[end]):
            end += 1
            continue
        gap = end
        while gap < len(lines) and gap - end < MAX_WRAPPED and not _is_row(lines[gap]):
            if (
                not _close(lines[gap - 1], lines[gap])
                or abs(lines[gap].size - lines[start].size) > 0.5
            ):
                return end
            gap += 1
        if gap < len(lines) and _is_row(lines[gap]) and _close(lines[gap - 1], lines[gap]):
            end = gap + 1
        else:
            break
    return end


def _columns(block: Sequence[_Line]) -> list[tuple[float, float]] | None:
    """The block's columns, or None when it does not stand in columns."""
    size = max(line.size for line in block)
    spans = sorted((x0, x1) for line in block for x0, x1, _ in line.cells)
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 < columns[-1][1] + COLUMN_GAP * size:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    if len(columns) < 2:
        return None
    found = [(a, b) for a, b in columns]
    marks_only = [
        not any(
            ch.isalnum()
            for line in block
            for cell in line.cells
            for ch in cell[2]
            if _column_of(cell, found) == c
        )
        for c in range(len(found))
    ]
    if any(marks_only):  # a column of bullets or dashes: a list, not a table
        return None
    for line in block:
        used = [_column_of(cell, found) for cell in line.cells]
        if len(set(used)) != len(used):  # two runs of one line in one column: not a grid
            return None
    rows = [line for line in block if _is_row(line)]
    return found if len(rows) >= MIN_ROWS - 1 and _is_row(block[0]) else None


def _column_of(cell: tuple[float, float, str], columns: list[tuple[float, float]]) -> int:
    x0, x1, _ = cell
    return next(i for i, (a, b) in enumerate(columns) if a <= x0 and x1 <= b)


def _rows(block: Sequence[L], columns: list[tuple[float, float]]) -> list[L]:
    grid: list[list[str]] = []
    refs: list[list[array[int]]] = []  # per grid slot, per character of its text
    owners: list[L] = []
    for line in block:
        cells = [""] * len(columns)
        cell_refs = [array("i") for _ in columns]
        for n, cell in enumerate(line.cells):
            raw = line.cell_refs[n] if line.cell_refs else array("i", [-1] * len(cell[2]))
            c = _column_of(cell, columns)
            cells[c], cell_refs[c] = normalized(cell[2], raw)
        if not _is_row(line) and grid and not cells[0]:  # a wrapped cell's next line
            for c, text in enumerate(cells):
                if text and grid[-1][c]:
                    grid[-1][c] = f"{grid[-1][c]} {text}"
                    refs[-1][c] += array("i", [-1]) + cell_refs[c]
                elif text:
                    grid[-1][c], refs[-1][c] = text, cell_refs[c]
            continue
        grid.append(cells)
        refs.append(cell_refs)
        owners.append(line)
    out = []
    for pieces in table_row_pieces(grid):
        line = owners[max(slot[0] for _, slot in pieces if slot)]  # headers are above it
        text = "".join(text for text, _ in pieces)
        row_refs = _row_refs(pieces, refs, [owner.page for owner in owners], line.page)
        row = dataclasses.replace(  # type: ignore[type-var]
            line, text=text, refs=row_refs, x0=columns[0][0], x1=columns[-1][1], table_row=True
        )
        out.append(dataclasses.replace(row, cells=(), cell_refs=()))  # type: ignore[type-var]
    return out or list(block)


def _row_refs(
    pieces: list[Piece], refs: list[list[array[int]]], pages: list[int], page: int
) -> array[int]:
    """Where each character of a row was printed (the rule: see the module docstring)."""
    out = array("i")
    for n, (text, slot) in enumerate(pieces):
        if slot is None:
            out.extend([-1] * len(text))
        elif pages[slot[0]] == page:
            out.extend(refs[slot[0]][slot[1]])
        else:  # a header on another page: the first character of the value it names
            value = next((s for _, s in pieces[n:] if s and pages[s[0]] == page), None)
            first = (refs[value[0]][value[1]][:1] if value else None) or array("i", [-1])
            out.extend(first * len(text))
    return out
