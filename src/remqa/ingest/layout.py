"""Where a document's text is: the page each part of a PDF's text was printed on, the
headings of every format, and (PDF) each character's PDFium index, for the viewer.

A `Layout` is made with the text by the loaders; each chunk keeps the part it covers in its
metadata (`chunk_places`), so a citation finds its page and heading by bisection within its
chunk. A PDF's `CharMap` is kept beside the index, one file per file content
(`index_dir/layout/<sha256>.json`), for the viewer to highlight a quote's own characters.
"""

from __future__ import annotations

import json
import os
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LAYOUT_VERSION = 1  # chunks without this `layout` value are re-labelled by the next ingest
LAYOUT_DIR = "layout"
MAX_HEADING_CHARS = 120
_NOT_SETEXT = ("#", "```", "~~~", "-", "=", "*", "+", ">", "|")  # lines a setext line cannot title


@dataclass(frozen=True)
class Layout:
    """`pages`: (text offset, 1-based page) where each printed page's text begins, ascending
    (empty when the format has no pages). `headings`: (text offset, heading text) of each
    heading, ascending."""

    pages: tuple[tuple[int, int], ...] = ()
    headings: tuple[tuple[int, str], ...] = ()


def chunk_places(layout: Layout, start: int, end: int) -> dict[str, str]:
    """The part of `layout` a chunk [start, end) needs, as chunk metadata: the page and
    heading in force at `start`, then each one that begins inside the chunk (JSON lists)."""
    out: dict[str, str] = {}
    if layout.pages:
        out["pages"] = json.dumps(_covering(layout.pages, start, end), separators=(",", ":"))
    if layout.headings:
        headings = _covering(layout.headings, start, end)
        if headings:
            out["headings"] = json.dumps(headings, separators=(",", ":"), ensure_ascii=False)
    return out


def place_chunks(nodes: Sequence[Any], layouts: dict[str, Layout]) -> None:
    """Give each chunk (a LlamaIndex node with `source`, `start`, `end` metadata) its part of
    its file's layout, and the layout version, kept out of what is embedded."""
    for node in nodes:
        meta = node.metadata
        places: dict[str, Any] = {"layout": LAYOUT_VERSION}
        layout = layouts.get(str(meta["source"]))
        if layout is not None:
            places.update(chunk_places(layout, int(meta["start"]), int(meta["end"])))
        meta.update(places)
        for keys in (node.excluded_embed_metadata_keys, node.excluded_llm_metadata_keys):
            keys.extend(k for k in places if k not in keys)


def _covering(entries: Sequence[tuple[int, Any]], start: int, end: int) -> list[list[Any]]:
    """The entry in force at `start` (if any) and those that begin before `end`."""
    first = max(bisect_right(entries, start, key=lambda e: e[0]) - 1, 0)
    last = bisect_left(entries, end, key=lambda e: e[0])
    return [list(e) for e in entries[first:last]]


def markdown_headings(text: str) -> list[tuple[int, str]]:
    """ATX (`# Title`) and setext (`Title` over `===` or `---`) headings of Markdown text,
    outside fenced code blocks: (offset of the heading line, its text)."""
    import re

    out: list[tuple[int, str]] = []
    fence: str | None = None
    offset = 0
    previous: tuple[int, str] | None = None  # the last plain line, a setext candidate
    for line in text.split("\n"):
        stripped = line.strip()
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
        elif stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        elif (m := re.match(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$", line)) and (
            m.group(2) or ""
        ).strip():
            out.append((offset, heading_text((m.group(2) or "").strip())))
        elif re.match(r"^ {0,3}(=+|-+)[ \t]*$", line) and previous is not None:
            out.append((previous[0], heading_text(previous[1])))
        plain = stripped and fence is None and not line[:1].isspace()
        previous = (offset, stripped) if plain and not stripped.startswith(_NOT_SETEXT) else None
        offset += len(line) + 1
    return sorted(set(out))


def block_layout(blocks: Sequence[str], headings: Iterable[int]) -> tuple[str, Layout]:
    """Blocks joined with a blank line between (the loaders' HTML and Word text) and the
    headings among them, by block index."""
    text = "\n\n".join(blocks)
    starts, offset = [], 0
    for block in blocks:
        starts.append(offset)
        offset += len(block) + 2
    found = tuple((starts[i], heading_text(blocks[i])) for i in sorted(set(headings)))
    return text, Layout(headings=found)


def heading_text(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_HEADING_CHARS else text[: MAX_HEADING_CHARS - 1] + "…"


@dataclass(frozen=True)
class CharMap:
    """Where each character of a PDF's extracted text was printed. `page_starts[k]`: the
    document-wide index of page k's first PDFium character; `runs`: (text offset, document-wide
    index, length) of each stretch of text whose characters are consecutive PDFium characters
    of one page, ascending by text offset. Characters remqa put in (spaces, line breaks) are in
    no run."""

    page_starts: tuple[int, ...]
    runs: tuple[tuple[int, int, int], ...]

    @classmethod
    def from_refs(cls, refs: array[int], page_starts: Sequence[int]) -> CharMap:
        runs: list[tuple[int, int, int]] = []
        pages = list(page_starts)
        run_start = run_ref = -1
        length = 0
        page = -1
        for offset, ref in enumerate(refs):
            if ref < 0:
                continue
            ref_page = bisect_right(pages, ref) - 1
            if (
                length
                and offset == run_start + length
                and ref == run_ref + length
                and (ref_page == page)
            ):
                length += 1
                continue
            if length:
                runs.append((run_start, run_ref, length))
            run_start, run_ref, length, page = offset, ref, 1, ref_page
        if length:
            runs.append((run_start, run_ref, length))
        return cls(tuple(pages), tuple(runs))

    def text_pages(self) -> tuple[tuple[int, int], ...]:
        """(text offset, 1-based page) where each page's text begins: `Layout.pages`."""
        out: list[tuple[int, int]] = []
        for offset, ref, _ in self.runs:
            page = bisect_right(self.page_starts, ref)  # 1-based
            if not out or page != out[-1][1]:
                out.append((offset, page))
        return tuple(out)

    def chars(self, start: int, end: int) -> dict[int, list[int]]:
        """The PDFium characters of text [start, end): {1-based page: indices on that page}."""
        out: dict[int, list[int]] = {}
        first = max(bisect_right(self.runs, start, key=lambda r: r[0]) - 1, 0)
        for offset, ref, length in self.runs[first:]:
            if offset >= end:
                break
            lo, hi = max(start, offset), min(end, offset + length)
            if lo >= hi:
                continue
            page = bisect_right(self.page_starts, ref)
            base = ref - self.page_starts[page - 1] - offset
            out.setdefault(page, []).extend(range(lo + base, hi + base))
        return out

    def to_json(self) -> str:
        flat = [n for run in self.runs for n in run]
        return json.dumps(
            {"version": LAYOUT_VERSION, "page_starts": self.page_starts, "runs": flat},
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, data: str) -> CharMap:
        raw = json.loads(data)
        if raw.get("version") != LAYOUT_VERSION:
            raise ValueError(f"character map version {raw.get('version')!r}")
        flat = raw["runs"]
        runs = tuple(zip(flat[0::3], flat[1::3], flat[2::3], strict=True))
        return cls(tuple(raw["page_starts"]), runs)


def char_map_path(index_dir: Path, content_hash: str) -> Path:
    return index_dir / LAYOUT_DIR / f"{content_hash}.json"


def save_char_map(index_dir: Path, content_hash: str, char_map: CharMap) -> None:
    """Written under a temporary name and renamed: a reader never sees half a file."""
    target = char_map_path(index_dir, content_hash)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    partial.write_text(char_map.to_json(), encoding="utf-8")
    partial.replace(target)


def prune_char_maps(index_dir: Path, keep: set[str]) -> None:
    """Remove the character maps of file contents no longer in the corpus."""
    folder = index_dir / LAYOUT_DIR
    if folder.is_dir():
        for path in folder.glob("*.json"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)
