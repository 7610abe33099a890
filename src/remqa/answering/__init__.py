"""Answering: reading retrieved passages and choosing what answers the question.

Question analysis, figures (numbers with units), binding figures to their subjects, follow-up
resolution, and the extractive answerer. Works on the `models.Passage` objects it is handed
and never imports retrieval's implementation; may import `text` and the bottom modules.
"""
