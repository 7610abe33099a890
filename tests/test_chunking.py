from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remqa.ingest.chunking import chunk_id, chunk_spans
from remqa.text.sentences import split_sentences
from tests.conftest import BUNDLED_CORPUS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two.", ["One.", "Two."]),
        ("It rose 5.5% in 2024. Then it fell.", ["It rose 5.5% in 2024.", "Then it fell."]),
        (
            "Mr. Smith went to the U.S. Navy. He left.",
            ["Mr. Smith went to the U.S. Navy.", "He left."],
        ),
        ('He said "stop." Then left.', ['He said "stop."', "Then left."]),
        (
            "Title line\nBody text here. More?  Yes!",
            ["Title line", "Body text here.", "More?", "Yes!"],
        ),
        ("  padded  \n\n  ", ["padded"]),
        ("J. R. Tolkien wrote books. Fine.", ["J. R. Tolkien wrote books.", "Fine."]),
        ("no end punctuation", ["no end punctuation"]),
        ("", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in split_sentences(text)] == expected


def test_chunks_pack_whole_sentences_with_overlap() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(10))  # 5 words each
    spans = chunk_spans(text, max_words=12, overlap_sentences=1)
    chunks = [text[s:e] for s, e in spans]
    assert chunks[0] == "Sentence number 0 is here. Sentence number 1 is here."
    assert chunks[1].startswith("Sentence number 1 is here.")  # one sentence of overlap
    assert chunks[-1].endswith("Sentence number 9 is here.")
    assert all(len(c.split()) <= 12 for c in chunks)


def test_overlong_sentence_is_cut_at_words() -> None:
    text = " ".join(f"w{i}" for i in range(250))
    chunks = [text[s:e] for s, e in chunk_spans(text, max_words=100, overlap_sentences=1)]
    assert [len(c.split()) for c in chunks] == [100, 100, 50]
    assert " ".join(chunks).split() == text.split()


def test_bundled_corpus_chunks_are_exact_slices_covering_every_sentence() -> None:
    text = (BUNDLED_CORPUS / "rare-earths-us-china-russia.txt").read_text(encoding="utf-8")
    spans = chunk_spans(text, max_words=120)
    covered = set()
    for s, e in spans:
        covered.update(range(s, e))
    for s, e in split_sentences(text):
        assert s in covered and e - 1 in covered


def test_chunk_id_is_deterministic_and_content_sensitive() -> None:
    assert chunk_id("a.txt", 0, "x") == chunk_id("a.txt", 0, "x")
    assert chunk_id("a.txt", 0, "x") != chunk_id("a.txt", 0, "y")
    assert chunk_id("a.txt", 0, "x") != chunk_id("b.txt", 0, "x")
    assert chunk_id("a.txt", 0, "x") != chunk_id("a.txt", 1, "x")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=2000), st.integers(3, 60))
def test_chunks_are_slices_and_keep_every_word(text: str, max_words: int) -> None:
    spans = chunk_spans(text, max_words=max_words)
    for s, e in spans:
        assert 0 <= s < e <= len(text)
        assert text[s:e] == text[s:e].strip()
    words_in_chunks = set()
    for s, e in spans:
        words_in_chunks.update(text[s:e].split())
    assert set(text.split()) <= words_in_chunks
