"""A table as text rows that keep each cell's header, for every format that has tables.

A row of a table means little without its headers: "China | 70% | 38%" does not say which
figure is the share of production and which the reserves. Each body row becomes one line,
each value named by its column's header, the first column first:

    Country: China; Share of world production: 70%; Reserves: 38%.

- Header rows are the ones the format marks (<th>, a Word header row, a bold first row of a
  PDF table); unmarked, the first row is the header when it reads as labels above values (no
  figure in it, and figures below it or at least three columns). A two-column table without a
  header is a list of "label: value" pairs.
- Several header rows (a spanning group heading over its sub-headings) name a column by all
  of them, top down: "Production 2023, Mine: 240".
- When the header's first cell is empty, the first column names the row:
  "Revenue — 2022: 10.2; 2023: 12.5."
- A cell spanning several columns is written once, under the headers it spans joined by " / ";
  a cell spanning several rows is repeated in each (a row must stand on its own); empty cells
  are left out; a row with a single value (a group label inside a table) is that value.
- Cell text is kept as written (white space collapsed), so every figure is the cell's own.

A row has no line break and ends with a period, so the sentence splitter reads it as one
sentence (see `text.sentences`), and each loader puts rows on lines of their own.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

Grid = Sequence[Sequence[str]]

# A cell that holds a figure: an amount, a share, a measure ("70%", "$1,200", "2.5 kg").
_FIGURE = re.compile(r"^[~≈<>±+\-−–$€£¥]?\s*\d[\d,.\s]*(?:\s*[%‰]|\s*[^\W\d_][\w/°µ²³]{0,5})?$")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")  # a bare year reads as a label in a heading row
ROW_NAME_MARK = " — "
HEADER_JOIN = ", "
SPAN_JOIN = " / "


def clean_cell(text: str) -> str:
    return " ".join(text.split())


def is_figure(cell: str) -> bool:
    return bool(_FIGURE.match(cell)) and not _YEAR.match(cell)


def guess_header_rows(grid: Grid) -> int:
    """1 when the first row reads as column headings, else 0 (see the module docstring)."""
    if len(grid) < 2:
        return 0
    first = [clean_cell(c) for c in grid[0]]
    if sum(bool(c) for c in first) < 2 or any(is_figure(c) for c in first):
        return 0
    body = grid[1:]
    figures_below = any(
        any(col < len(row) and is_figure(clean_cell(row[col])) for row in body)
        for col in range(len(first))
    )
    return 1 if figures_below or len(first) >= 3 else 0


def column_headers(grid: Grid, header_rows: int, width: int) -> list[str]:
    """Each column's name: its header cells' distinct texts, top down."""
    headers = []
    for col in range(width):
        names: list[str] = []
        for row in grid[:header_rows]:
            text = clean_cell(row[col]) if col < len(row) else ""
            if text and text not in names:
                names.append(text)
        headers.append(HEADER_JOIN.join(names))
    return headers


def table_rows(
    grid: Grid,
    header_rows: int | None = None,
    continued: Collection[tuple[int, int]] = (),
) -> list[str]:
    """The table's body rows as text lines that keep each cell's header.

    `grid` has one string per grid slot, a spanned cell's text in each slot it covers;
    `continued` holds the (row, column) slots that continue the cell to their left (a
    horizontal span); `header_rows` is how many top rows the format marks as headers (None:
    not marked, so guessed)."""
    rows = [[clean_cell(c) for c in row] for row in grid]
    rows = [row for row in rows if any(row)]
    if not rows:
        return []
    width = max(len(row) for row in rows)
    if header_rows is None:
        header_rows = guess_header_rows(rows)
    header_rows = min(header_rows, len(rows))
    if header_rows == len(rows):  # a table of headings only: read them as rows
        return [_finish("; ".join(_distinct(row))) for row in rows]
    headers = column_headers(rows, header_rows, width)
    out = []
    for r, row in enumerate(grid):
        if r < header_rows:
            continue
        text = _row_text([clean_cell(c) for c in row], headers, r, continued)
        if text:
            out.append(text)
    return out


def _row_text(
    row: list[str], headers: list[str], r: int, continued: Collection[tuple[int, int]]
) -> str:
    groups: list[tuple[list[str], str]] = []  # (headers spanned, value)
    for col, value in enumerate(row):
        header = headers[col] if col < len(headers) else ""
        if col and (r, col) in continued and groups:
            spanned = groups[-1][0]
            if header and header not in spanned:
                spanned.append(header)
            continue
        groups.append(([header] if header else [], value))
    filled = [(SPAN_JOIN.join(h), v) for h, v in groups if v]
    if not filled:
        return ""
    if len({v for _, v in filled}) == 1:  # a group label spanning the row
        return _finish(filled[0][1])
    if not any(h for h, _ in filled):  # no headers: a label and its value, or plain cells
        values = [v for _, v in filled]
        if len(values) == 2:
            return _finish(f"{values[0]}: {values[1]}")
        return _finish("; ".join(values))
    parts = [f"{h}: {v}" if h else v for h, v in filled]
    name = ""
    if groups[0][1] and not groups[0][0]:  # the first column names the row
        name = parts.pop(0) + ROW_NAME_MARK
    return _finish(name + "; ".join(parts))


def _distinct(row: Sequence[str]) -> list[str]:
    out: list[str] = []
    for cell in row:
        if cell and (not out or out[-1] != cell):
            out.append(cell)
    return out


def _finish(text: str) -> str:
    """A row ends as a sentence does (unless its last cell ends in a mark of its own)."""
    return text if text.endswith((".", "!", "?", ",", ";", ":")) else text + "."
