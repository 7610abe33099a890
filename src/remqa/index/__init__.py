"""The index: embedding models (ONNX Runtime and PyTorch) and the per-machine cache of their
ONNX exports (made in a child process), the Chroma client and store,
index metadata (signature, generation), migration to a Chroma server, and the locks that
keep ingest and serving apart.

May import `text` and the bottom modules only; everything that reads or writes the index
goes through here.
"""
