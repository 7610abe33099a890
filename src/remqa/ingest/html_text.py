"""Visible text of an HTML page as blocks: what a browser shows as paragraphs, headings, list
items and table rows, each with its white space collapsed (a line break inside a <p> is a
space, as a browser shows it)."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from bs4.element import Comment, NavigableString, Tag

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
        if isinstance(child, Comment):
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
        elif name == "tr":
            out.end()
            cells = [_SPACE.sub(" ", c.get_text(" ")).strip() for c in child.find_all(["td", "th"])]
            row = " | ".join(c for c in cells if c)
            if row:
                out.blocks.append(row)
        elif name in _BLOCKS:
            out.end()
            first = len(out.blocks)
            _walk(child, out)
            out.end()
            if name in _HEADINGS:
                out.headings.update(range(first, len(out.blocks)))
        else:
            _walk(child, out)
