"""Sentence-aware chunking that keeps exact character offsets into the source text.

Chunks are cut from the document's clean text (`text.reflow`: soft line breaks as spaces,
hyphenated words joined), and each keeps the source offsets it was read from, so
`source[start:end]` is the chunk's exact source slice, and a chunk whose clean text differs
carries that slice (`raw`) and the offset map between the two.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any

from llama_index.core.node_parser import NodeParser
from llama_index.core.schema import BaseNode, NodeRelationship, TextNode

from remqa.text.reflow import reflow
from remqa.text.sentences import Span, split_sentences

_WORD = re.compile(r"\S+")


def _split_long(text: str, span: Span, max_words: int) -> list[Span]:
    """Cut a sentence longer than max_words at word boundaries."""
    words = [
        (m.start() + span[0], m.end() + span[0]) for m in _WORD.finditer(text[span[0] : span[1]])
    ]
    if len(words) <= max_words:
        return [span]
    return [
        (words[i][0], words[min(i + max_words, len(words)) - 1][1])
        for i in range(0, len(words), max_words)
    ]


def chunk_spans(text: str, max_words: int, overlap_sentences: int = 1) -> list[Span]:
    """Pack whole sentences into chunks of at most max_words words, sharing
    `overlap_sentences` sentences between neighbours so an answer never falls in a gap."""
    sentences: list[Span] = []
    for span in split_sentences(text):
        sentences.extend(_split_long(text, span, max_words))
    counts = [len(_WORD.findall(text[s:e])) for s, e in sentences]
    chunks: list[Span] = []
    i = 0
    while i < len(sentences):
        j, words = i, 0
        while j < len(sentences) and (j == i or words + counts[j] <= max_words):
            words += counts[j]
            j += 1
        chunks.append((sentences[i][0], sentences[j - 1][1]))
        if j >= len(sentences):
            break
        # Step back for overlap, but always move forward by at least one sentence.
        i = max(j - overlap_sentences, i + 1)
    return chunks


def chunk_id(source: str, position: int, chunk_text: str) -> str:
    """Deterministic id: the same chunk of the same file always gets the same id."""
    source_key = hashlib.sha1(source.encode()).hexdigest()[:12]
    text_key = hashlib.sha1(chunk_text.encode()).hexdigest()[:16]
    return f"{source_key}-{position:06d}-{text_key}"


class OffsetSentenceSplitter(NodeParser):
    """LlamaIndex node parser that emits chunks with exact `start_char_idx`/`end_char_idx`
    and deterministic ids. Documents must carry `source` and `file_hash` metadata."""

    max_words: int = 120
    overlap_sentences: int = 1

    def _parse_nodes(
        self, nodes: Sequence[BaseNode], show_progress: bool = False, **kwargs: Any
    ) -> list[BaseNode]:
        out: list[BaseNode] = []
        for doc in nodes:
            source_text = doc.get_content()
            source = str(doc.metadata["source"])
            # Plain text may be hard-wrapped; extracted text (PDF, HTML, Word) is already laid
            # out one unit per line by its loader.
            clean = reflow(source_text, may_be_wrapped=bool(doc.metadata.get("plain_text", True)))
            spans = chunk_spans(clean.text, self.max_words, self.overlap_sentences)
            for position, (clean_start, clean_end) in enumerate(spans):
                chunk_text = clean.text[clean_start:clean_end]
                start, end = clean.source_span(clean_start, clean_end)
                metadata: dict[str, Any] = {
                    "source": source,
                    "file_hash": str(doc.metadata["file_hash"]),
                    "n_chunks": len(spans),
                    "position": position,
                    "start": start,
                    "end": end,
                }
                if source_text[start:end] != chunk_text:  # wrapped or hyphenated text
                    metadata["raw"] = source_text[start:end]
                    points = clean.breakpoints(clean_start, clean_end)
                    metadata["offset_map"] = json.dumps(points, separators=(",", ":"))
                out.append(
                    TextNode(
                        id_=chunk_id(source, position, chunk_text),
                        text=chunk_text,
                        start_char_idx=start,
                        end_char_idx=end,
                        metadata=metadata,
                        excluded_embed_metadata_keys=list(metadata),
                        excluded_llm_metadata_keys=list(metadata),
                        relationships={NodeRelationship.SOURCE: doc.as_related_node_info()},
                    )
                )
        return out

    def _postprocess_parsed_nodes(
        self, nodes: list[BaseNode], parent_doc_map: dict[str, Any]
    ) -> list[BaseNode]:
        # The base class re-finds each chunk with str.find, which can land on an earlier
        # duplicate; our offsets are exact by construction, so keep them.
        return nodes
