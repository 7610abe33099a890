"""(question, sentence) pairs as the reading model sees them, shared by training and run time.

One function turns a question and its sentences into the token arrays both the training
script and `Reader` feed the model, so what the model was trained on is what it reads.
Tokenisation is the packaged model's own `tokenizer.json`, read by the `tokenizers`
library: no transformers import at run time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from remqa.index.onnx_export import model_dir

Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class PairBatch:
    """Token arrays of one question against several sentences (padded to the longest)."""

    input_ids: Ints
    attention_mask: Ints
    token_type_ids: Ints
    # Per pair and token: (start, end) characters in the sentence, (0, 0) off the sentence.
    offsets: list[list[tuple[int, int]]]
    # Per pair and token: the word index in the sentence, -1 off the sentence.
    words: list[list[int]]

    def sentence_mask(self) -> npt.NDArray[np.bool_]:
        """True where a token belongs to the sentence: only there may a span start or end."""
        return np.array(self.words, dtype=np.int64) >= 0

    def feeds(self, session: Any = None) -> dict[str, Ints]:
        """The lower part's inputs; only those `session` takes when given (a lower part of
        the embeddings alone has no attention mask: ONNX export drops an unused input)."""
        every = {
            "input_ids": self.input_ids,
            "attention_mask": self.attention_mask,
            "token_type_ids": self.token_type_ids,
        }
        if session is None:
            return every
        return {i.name: every[i.name] for i in session.get_inputs()}


def load_tokenizer(max_tokens: int) -> Any:
    """The packaged model's tokenizer, cutting a pair to `max_tokens` (the longer side first,
    which is the sentence: questions are short)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(model_dir()) / "tokenizer.json"))
    tokenizer.enable_truncation(max_tokens, strategy="longest_first")
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest of the batch
    return tokenizer


def encode_pairs(tokenizer: Any, question: str, sentences: Sequence[str]) -> PairBatch:
    """[CLS] question [SEP] sentence [SEP] for every sentence, in one padded batch."""
    encoded = tokenizer.encode_batch([(question, s) for s in sentences])
    offsets: list[list[tuple[int, int]]] = []
    words: list[list[int]] = []
    for e in encoded:
        in_sentence = [seq == 1 for seq in e.sequence_ids]
        offsets.append(
            [o if inside else (0, 0) for o, inside in zip(e.offsets, in_sentence, strict=True)]
        )
        words.append(
            [
                w if inside and w is not None else -1
                for w, inside in zip(e.word_ids, in_sentence, strict=True)
            ]
        )
    return PairBatch(
        np.array([e.ids for e in encoded], dtype=np.int64),
        np.array([e.attention_mask for e in encoded], dtype=np.int64),
        np.array([e.type_ids for e in encoded], dtype=np.int64),
        offsets,
        words,
    )


def best_spans(
    batch: PairBatch, row: int, start_logits: npt.NDArray[np.float32],
    end_logits: npt.NDArray[np.float32], limit: int, max_tokens: int = 30,
) -> list[tuple[int, int, float]]:  # fmt: skip
    """The `limit` best (start_char, end_char, probability) of one pair, best first.

    Start and end are softmaxed over the sentence's tokens; a span's score is the product.
    Spans are widened to whole words (a word piece never starts or ends an answer), and a
    span is kept once, at its best score.
    """
    words = batch.words[row]
    inside = np.array(words) >= 0
    if not inside.any():
        return []
    starts = _softmax(np.where(inside, start_logits, -np.inf))
    ends = _softmax(np.where(inside, end_logits, -np.inf))
    table = np.triu(np.outer(starts, ends)) - np.triu(np.outer(starts, ends), k=max_tokens)
    order = np.argsort(-table, axis=None)
    offsets = batch.offsets[row]
    first = {w: i for i, w in reversed(list(enumerate(words))) if w >= 0}
    last = {w: i for i, w in enumerate(words) if w >= 0}
    found: dict[tuple[int, int], float] = {}
    for flat in order[: max(limit * 8, limit)]:
        i, j = divmod(int(flat), table.shape[1])
        score = float(table[i, j])
        if score <= 0.0:
            break
        span = (offsets[first[words[i]]][0], offsets[last[words[j]]][1])
        found.setdefault(span, score)
        if len(found) >= limit:
            break
    return sorted(((s, e, p) for (s, e), p in found.items()), key=lambda t: (-t[2], t[0]))


def trim_span(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The span without the punctuation that closes its clause or sentence: "Atticus
    Finch." -> "Atticus Finch". A full stop stays after a capital ("U.S.") or where the
    sentence goes on (an abbreviation). A short answer stays in one clause: a span is cut
    at a semicolon, which also joins a table row's cells ("Apple yield: 39.8 t/ha; Organic
    share: 15%" -> "Apple yield: 39.8 t/ha")."""
    cut = sentence.find(";", start + 1, end)
    if cut > 0:
        end = cut
    while end > start + 1 and sentence[end - 1].isspace():
        end -= 1
    while end > start + 1 and sentence[end - 1] in ",;:":
        end -= 1
    at_end = not sentence[end:].strip()
    if end > start + 1 and sentence[end - 1] == "." and at_end and not sentence[end - 2].isupper():
        end -= 1
    return start, end


def _softmax(logits: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
    shifted: npt.NDArray[np.float64] = np.exp(logits.astype(np.float64) - np.max(logits))
    result: npt.NDArray[np.float64] = shifted / shifted.sum()
    return result
