"""Text as remqa reads it: words and stems, sentences, corpus word statistics.

The bottom of the flow: pure functions and small data types shared by ingest, retrieval and
answering. Imports only `remqa.models` and the standard library (plus PyStemmer).
"""
