"""The eval suite: loading eval sets, scoring answers with deterministic metrics, quality
gates and baselines, and the reports.

Uses `assistant` to ask and `answering.figures` to compare figures; nothing below imports it.
"""
