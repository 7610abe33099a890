"""Retrieval: dense (Chroma) + BM25, fused by reciprocal rank; the BM25 and corpus-statistics
cache saved with the index; sentence similarity by the embedding model.

Hands `models.Passage` objects up to answering. May import `index`, `text` and the bottom
modules.
"""
