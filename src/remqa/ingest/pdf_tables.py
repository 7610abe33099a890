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
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Protocol, TypeVar

from remqa.ingest.tables import table_rows
from remqa.text.reflow import LIGATURES

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
    owners: list[L] = []
    for line in block:
        cells = [""] * len(columns)
        for cell in line.cells:
            text = "".join(LIGATURES.get(c, c) for c in cell[2])
            cells[_column_of(cell, columns)] = " ".join(text.split())
        if not _is_row(line) and grid and not cells[0]:  # a wrapped cell's next line
            for c, text in enumerate(cells):
                if text:
                    grid[-1][c] = f"{grid[-1][c]} {text}".strip()
            continue
        grid.append(cells)
        owners.append(line)
    texts = table_rows(grid)
    # table_rows leaves out the header row(s) and empty rows; the last rows are the body's.
    body = [line for line, row in zip(owners, grid, strict=True) if any(row)][-len(texts) :]
    return (
        [
            dataclasses.replace(  # type: ignore[type-var]
                line, text=text, x0=columns[0][0], x1=columns[-1][1], table_row=True, cells=()
            )
            for line, text in zip(body, texts, strict=True)
        ]
        if texts
        else list(block)
    )
