"""Text as remqa reads it: documents reflowed into paragraphs with a map back to source offsets
(`reflow`), words and stems (`words`), sentences (`sentences`), corpus word statistics
(`stats`) and a general English lexicon from WordNet (`lexicon`).

The bottom of the flow: pure functions and small data types shared by ingest, retrieval and
answering. Imports only `remqa.models` and the standard library (plus PyStemmer).
"""
