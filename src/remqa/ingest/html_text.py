"""Visible text of an HTML page as blocks: what a browser shows as paragraphs, headings, list
items and table rows, each with its white space collapsed (a line break inside a <p> is a
space, as a browser shows it)."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from bs4.element import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

from remqa.ingest.tables import table_rows

_INVISIBLE = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
_BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hr", "html", "legend", "li", "main", "nav", "ol", "p", "section",
    "summary", "table", "tbody", "thead", "tfoot", "ul",
}  # fmt: skip
_SPACE = re.compile(r"\s+")


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


class _Blocks:
    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.words: list[str] = []
        self.headings: set[int] = set()  # indices of the blocks that are headings

    def text(self, value: str) -> None:
        self.words.append(value)

    def end(self) -> None:
        block = _SPACE.sub(" ", "".join(self.words)).strip()
        if block:
            self.blocks.append(block)
        self.words = []


def html_blocks(markup: str) -> list[str]:
    return html_blocks_and_headings(markup)[0]


def html_blocks_and_headings(markup: str) -> tuple[list[str], set[int]]:
    """The blocks, and the indices of those that are headings (h1-h6)."""
    soup = BeautifulSoup(markup, "html.parser")
    out = _Blocks()
    _walk(soup, out)
    out.end()
    return out.blocks, out.headings


def _walk(node: Tag, out: _Blocks) -> None:
    for child in node.children:
        if isinstance(child, Comment | Declaration | Doctype | ProcessingInstruction):
            continue
        if isinstance(child, NavigableString):
            out.text(str(child))
            continue
        if not isinstance(child, Tag) or child.name in _INVISIBLE:
            continue
        name = child.name
        if name == "br":
            out.end()
        elif name == "pre":
            out.end()
            out.blocks.extend(
                line.strip() for line in child.get_text().splitlines() if line.strip()
            )
        elif name == "table":
            out.end()
            out.blocks.extend(table_blocks(child))
        elif name in _BLOCKS:
            out.end()
            first = len(out.blocks)
            _walk(child, out)
            out.end()
            if name in _HEADINGS:
                out.headings.update(range(first, len(out.blocks)))
        else:
            _walk(child, out)


def table_blocks(table: Tag) -> list[str]:
    """A table's caption and its rows, each cell named by its header (<th> rows, or a
    guessed first row; see `ingest.tables`). Rows of tables nested in a cell stay in it."""
    blocks = []
    caption = table.find("caption", recursive=False)
    if isinstance(caption, Tag):
        text = _SPACE.sub(" ", caption.get_text(" ")).strip()
        if text:
            blocks.append(text)
    grid, continued, header_rows = _grid(_rows(table))
    return blocks + table_rows(grid, header_rows, continued)


def _rows(table: Tag) -> list[Tag]:
    rows = []
    for child in table.find_all(recursive=False):
        if child.name == "tr":
            rows.append(child)
        elif child.name in {"thead", "tbody", "tfoot"}:
            rows.extend(c for c in child.find_all("tr", recursive=False))
    return rows


def _span(cell: Tag, name: str) -> int:
    value = str(cell.get(name) or "1").strip()
    return min(int(value), 1000) if value.isdigit() and int(value) > 0 else 1


def _grid(rows: list[Tag]) -> tuple[list[list[str]], set[tuple[int, int]], int | None]:
    """Cells in grid slots (spans expanded), the slots continuing a cell to their left, and
    how many leading rows are headers (all <th>, or in <thead>; None when none is marked)."""
    grid: list[list[str | None]] = [[] for _ in rows]
    continued: set[tuple[int, int]] = set()
    header_rows = 0
    for r, row in enumerate(rows):
        cells = row.find_all(["td", "th"], recursive=False)
        in_head = row.parent is not None and row.parent.name == "thead"
        if header_rows == r and cells and (in_head or all(c.name == "th" for c in cells)):
            header_rows += 1
        col = 0
        for cell in cells:
            while col < len(grid[r]) and grid[r][col] is not None:
                col += 1
            text = _SPACE.sub(" ", cell.get_text(" ")).strip()
            for dr in range(min(_span(cell, "rowspan"), len(rows) - r)):
                target = grid[r + dr]
                for dc in range(_span(cell, "colspan")):
                    while len(target) <= col + dc:
                        target.append(None)
                    target[col + dc] = text
                    if dc:
                        continued.add((r + dr, col + dc))
            col += _span(cell, "colspan")
    filled = [[c if c is not None else "" for c in row] for row in grid]
    return filled, continued, header_rows or None
