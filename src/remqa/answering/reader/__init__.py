"""The reading model: a small cross-encoder trained on SQuAD from the packaged MiniLM.

It reads (question, sentence) and gives P(the sentence answers the question) and a span
head for the short answer; evidence for the answer selector. See README, "The reading
model". Loading is lazy: importing this package loads neither onnxruntime nor a model.
"""

from remqa.answering.reader.model import Reader, Reading

__all__ = ["Reader", "Reading"]
