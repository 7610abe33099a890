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
# A part of a row's text: a cell's text and its (row, column) in the grid, or a separator
# put in (None).
Piece = tuple[str, tuple[int, int] | None]

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
    return [_text(pieces) for pieces in _header_pieces(grid, header_rows, width)]


def _header_pieces(grid: Grid, header_rows: int, width: int) -> list[list[Piece]]:
    headers = []
    for col in range(width):
        names: list[str] = []
        pieces: list[Piece] = []
        for r, row in enumerate(grid[:header_rows]):
            text = clean_cell(row[col]) if col < len(row) else ""
            if text and text not in names:
                pieces += [(HEADER_JOIN, None), (text, (r, col))] if names else [(text, (r, col))]
                names.append(text)
        headers.append(pieces)
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
    return [_text(pieces) for pieces in table_row_pieces(grid, header_rows, continued)]


def table_row_pieces(
    grid: Grid,
    header_rows: int | None = None,
    continued: Collection[tuple[int, int]] = (),
) -> list[list[Piece]]:
    """`table_rows`, each row as the pieces it is made of: a cell's text with its (row,
    column) in `grid`, or a separator put in (None), so a format that knows where each cell
    was printed (PDF) can say so of each character of the row."""
    cleaned = [[clean_cell(c) for c in row] for row in grid]
    kept = [r for r, row in enumerate(cleaned) if any(row)]  # rows' indices in `grid`
    rows = [cleaned[r] for r in kept]
    if not rows:
        return []
    width = max(len(row) for row in rows)
    if header_rows is None:
        header_rows = guess_header_rows(rows)
    header_rows = min(header_rows, len(rows))
    if header_rows == len(rows):  # a table of headings only: read them as rows
        return [_finish(_joined(_distinct(cleaned[r], r), "; ")) for r in kept]
    headers = [
        [(text, (kept[slot[0]], slot[1]) if slot else None) for text, slot in pieces]
        for pieces in _header_pieces(rows, header_rows, width)
    ]
    out = []
    for r, row in enumerate(cleaned):
        if r < header_rows:
            continue
        pieces = _row_pieces(row, headers, r, continued)
        if pieces:
            out.append(pieces)
    return out


def _row_pieces(
    row: list[str], headers: list[list[Piece]], r: int, continued: Collection[tuple[int, int]]
) -> list[Piece]:
    groups: list[tuple[list[list[Piece]], Piece]] = []  # (headers spanned, value)
    for col, value in enumerate(row):
        header = headers[col] if col < len(headers) else []
        if col and (r, col) in continued and groups:
            spanned = groups[-1][0]
            if header and _text(header) not in map(_text, spanned):
                spanned.append(header)
            continue
        groups.append(([header] if header else [], (value, (r, col))))
    filled = [(_joined(h, SPAN_JOIN), v) for h, v in groups if v[0]]
    if not filled:
        return []
    if len({v[0] for _, v in filled}) == 1:  # a group label spanning the row
        return _finish([filled[0][1]])
    if not any(h for h, _ in filled):  # no headers: a label and its value, or plain cells
        values = [[v] for _, v in filled]
        if len(values) == 2:
            return _finish(_joined(values, ": "))
        return _finish(_joined(values, "; "))
    parts = [[*h, (": ", None), v] if h else [v] for h, v in filled]
    name: list[Piece] = []
    if groups[0][1][0] and not groups[0][0]:  # the first column names the row
        name = [*parts.pop(0), (ROW_NAME_MARK, None)]
    return _finish(name + _joined(parts, "; "))


def _joined(parts: Sequence[Sequence[Piece]], separator: str) -> list[Piece]:
    out: list[Piece] = []
    for part in parts:
        if out:
            out.append((separator, None))
        out.extend(part)
    return out


def _text(pieces: Sequence[Piece]) -> str:
    return "".join(text for text, _ in pieces)


def _distinct(row: Sequence[str], r: int) -> list[list[Piece]]:
    out: list[list[Piece]] = []
    for col, cell in enumerate(row):
        if cell and (not out or out[-1][0][0] != cell):
            out.append([(cell, (r, col))])
    return out


def _finish(pieces: list[Piece]) -> list[Piece]:
    """A row ends as a sentence does (unless its last cell ends in a mark of its own)."""
    ended = _text(pieces).endswith((".", "!", "?", ",", ";", ":"))
    return pieces if ended else [*pieces, (".", None)]
