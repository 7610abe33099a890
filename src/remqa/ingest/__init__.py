"""Ingest: corpus files -> text -> sentence-aware chunks -> the index.

Owns the loaders (one per file type, each giving the text that citations are offsets into),
chunking, and the incremental ingest pipeline. May import `index` (to write chunks and their
vectors), `text`, and the bottom modules (`models`, `settings`, `errors`, `progress`).
"""
