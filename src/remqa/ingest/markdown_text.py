"""Text of a Markdown file: the file as written, with each pipe table as header-keeping rows.

Why an extracted text, not the raw file, once a file has a table: a raw table row
("| China | 70% | 38% |") cited as it stands gives the answerer and the reader figures
without the headers that say which is which, and the reflowed text that is searched and read
can only drop or join source characters, never add a header the row does not hold. So a
Markdown file's citations index this text (`Assistant.source_text()` returns it, as for
PDF, HTML and Word files); a file without a pipe table is returned unchanged, so its offsets
still index the file exactly as `open().read()` gives it.
"""

from __future__ import annotations

import re

from remqa.ingest.tables import table_rows

_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_PIPE = re.compile(r"(?<!\\)\|")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|`)(.+?)\1")


def markdown_text(text: str) -> str:
    """`text` with its pipe tables (a header line, a delimiter line such as |---|:--:|, then
    rows) replaced by one row per paragraph (`ingest.tables`); code blocks are left alone."""
    lines = text.split("\n")
    out: list[str] = []
    fence = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        marker = _FENCE.match(line)
        if marker and (not fence or marker.group(1) == fence):
            fence = "" if fence else marker.group(1)
        elif not fence and _is_table_start(lines, i):
            end = i + 2
            while end < len(lines) and lines[end].strip() and "|" in lines[end]:
                end += 1
            out.append("\n\n".join(_table(lines[i:end])))
            i = end
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


def _is_table_start(lines: list[str], i: int) -> bool:
    if i + 1 >= len(lines) or "|" not in lines[i] or "|" not in lines[i + 1]:
        return False
    if not _DELIMITER.match(lines[i + 1]):
        return False
    return len(_cells(lines[i])) == len(_cells(lines[i + 1]))


def _cells(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [_inline(cell).replace("\\|", "|") for cell in _PIPE.split(body)]


def _inline(cell: str) -> str:
    """A cell's text as a reader sees it: links as their text, no emphasis or code marks."""
    cell = _LINK.sub(r"\1", cell)
    return _EMPHASIS.sub(r"\2", cell).strip()


def _table(lines: list[str]) -> list[str]:
    header = _cells(lines[0])
    grid = [header] + [_cells(line) for line in lines[2:]]
    return table_rows([row[: len(header)] for row in grid], header_rows=1)
