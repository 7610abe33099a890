"""Glyphs a PDF left without Unicode, repaired as the ligatures they nearly always are."""

from __future__ import annotations

import re
from array import array
from collections import Counter
from functools import lru_cache

UNMAPPED = "\ufffd"  # a glyph without Unicode (an unmapped ligature, mostly)
LIGATURE_GUESSES = ("fi", "fl", "ff", "ffi", "ffl")
_WITH_UNMAPPED = re.compile(rf"[^\W\d_]*(?:{UNMAPPED}[^\W\d_]*)+")


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """Whole English words of the embedding model's WordPiece vocabulary (30k, offline):
    enough to tell "find" from "flnd" when a PDF lost its ligatures' Unicode."""
    from remqa.index.onnx_export import model_dir

    vocab = (model_dir() / "vocab.txt").read_text(encoding="utf-8").split()
    return frozenset(w for w in vocab if w.isalpha())


def ligature_repairs(text: str, known: frozenset[str]) -> list[tuple[int, int, str]]:
    """(start, end, guess) for each word holding unmapped glyphs: each glyph of it is spelled
    `guess`, the spelling that makes it a known word; where none does, the spelling that does
    so most often in this document."""
    words = [m.group() for m in _WITH_UNMAPPED.finditer(text)]

    def spelled(word: str, guess: str) -> str:
        return word.replace(UNMAPPED, guess)

    wins = Counter(g for w in words for g in LIGATURE_GUESSES if spelled(w, g).lower() in known)
    fallback = wins.most_common(1)[0][0] if wins else ""
    repairs = []
    for match in _WITH_UNMAPPED.finditer(text):
        word = match.group()
        guess = next(
            (g for g in sorted(LIGATURE_GUESSES, key=lambda g: -wins[g])
             if spelled(word, g).lower() in known),
            fallback,
        )  # fmt: skip
        repairs.append((match.start(), match.end(), guess))
    return repairs


def repair_unmapped(text: str, known: frozenset[str]) -> str:
    """The text with its unmapped glyphs spelled as `ligature_repairs` decides."""
    return repair_with_refs(text, array("i", [-1] * len(text)), known)[0]


def repair_with_refs(text: str, refs: array[int], known: frozenset[str]) -> tuple[str, array[int]]:
    """`repair_unmapped`, carrying each character's reference along (a repaired glyph's
    letters all point at the glyph)."""
    parts: list[str] = []
    out = array("i")
    done = 0
    for start, end, guess in ligature_repairs(text, known):
        parts.append(text[done:start])
        out.extend(refs[done:start])
        for i in range(start, end):
            letters = guess if text[i] == UNMAPPED else text[i]
            parts.append(letters)
            out.extend([refs[i]] * len(letters))
        done = end
    parts.append(text[done:])
    out.extend(refs[done:])
    return "".join(parts), out
