"""Which figure in a sentence belongs to which subject.

"China accounts for 48% of global antimony production, 59.2% of refined germanium production
and 98.8% of gallium production": 48% belongs to antimony, 98.8% to gallium. A figure binds
to a word when no other figure stands between them; the nearer, the stronger. Used to lead an
answer with the right figure and, for LLM answers, to check a figure against its subject.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from remqa.answering.figures import Figure
from remqa.text.lexicon import stands_for
from remqa.text.words import Token, tokenize


def binding_strength(figure: Figure, others: Sequence[Figure], token: Token, text: str) -> float:
    """How strongly `token` (a word of `text`) is tied to `figure` (a figure of `text`);
    0 when another figure stands between them, halved across a clause break (, ; :)."""
    if token.start < figure.end and figure.start < token.end:
        return 1.0  # the word is part of the figure's own text
    label = field_label(text, figure.start)
    if label is not None and not label[0] <= token.start < figure.start:
        return 0.0  # a "label: value" field (a table row's cell) binds its own label only
    lo, hi = (token.end, figure.start) if token.end <= figure.start else (figure.end, token.start)
    for other in others:
        if other is not figure and lo <= other.start and other.end <= hi:
            return 0.0
    between = text[lo:hi]
    gap_words = len(between) / 6.0  # ~6 characters a word
    strength = 1.0 / (1.0 + gap_words / 3.0)
    return strength / 2 if any(mark in between for mark in ",;:") else strength


def field_label(text: str, at: int) -> tuple[int, int] | None:
    """The label of the "label: value" field whose value starts at `at` (a cell of a table
    row, "City: Elsworth; Price per cubic metre: €2.37", or a datasheet line), as offsets."""
    field = _FIELD.search(text, 0, at)
    if field is None:
        return None
    return field.start(), field.start() + len(field.group().rstrip().rstrip(":").rstrip())


def bind(
    text: str,
    figures: Sequence[Figure],
    candidates: Sequence[Figure],
    subject: Sequence[tuple[Token, float]],
) -> list[tuple[Figure, float]]:
    """Each candidate figure with the weighted strength of its ties to the subject words
    (word, weight) of `text`, strongest first (stable: earlier figures win ties)."""
    tokens = _tokens(text)
    scored = []
    for figure in candidates:
        # Words of the phrase the figure measures ("59.2% of refined germanium production")
        # are tied to it firmly; an explicit of-phrase settles it, others count by distance.
        words = measure_phrase(text, figure, figures, tokens)
        phrase = {(t.start, t.end) for t in words}
        outside = 0.2 if words and words[0].text.lower() in _OF_WORDS else 0.5
        total = sum(
            weight
            * (
                1.0
                if (token.start, token.end) in phrase
                else outside * binding_strength(figure, figures, token, text)
            )
            for token, weight in subject
        )
        scored.append((figure, total))
    return sorted(scored, key=lambda pair: -pair[1])


_OF_WORDS = {"of", "in", "for"}
# A field a figure is the value of: a short label (at most 48 characters, as a "label: value"
# line's in text.reflow) and a colon right before it, from the start of the text or after a
# semicolon or dash ("City: Elsworth; Price per cubic metre: €2.37").
_FIELD = re.compile(r"(?:^|(?<=; )|(?<= — ))[^;:—]{1,48}:\s*$")
_CONJUNCTIONS = [["and"], ["but"], ["or"], ["while"], ["whereas"]]
BREAK = re.compile(r"[,;:()\[\]—]|\s-\s|\.\s|\.$")


def measure_phrase(
    text: str, figure: Figure, figures: Sequence[Figure], tokens: Sequence[Token]
) -> list[Token]:
    """The words saying what `figure` measures: after it up to the next break or figure
    when it reads "48% of antimony production", else before it ("bismuth (70%)")."""
    before_start = _limit(text, figure.start, figures, forward=False)
    between = text[before_start : figure.start].split()
    if figure.kind == "year" and len(between) <= 2:
        # "In 2017, rare earth mining resumed": a year that opens its clause (at most two
        # words, "In", "By late", before it) dates what follows it; one that ends a clause
        # ("the road was built in AD 120, and ...") dates the words before it, read below.
        nxt = min([f.start for f in figures if f.start >= figure.end] + [len(text)])
        following = [t for t in tokens if figure.end <= t.start and t.end <= nxt]
        if following:
            return following
    rest = text[figure.end :]
    if rest.lstrip().startswith("("):
        # "$430 million (100 tons of gallium)": the brackets say what the figure is.
        open_at = figure.end + rest.index("(")
        close_at = text.find(")", open_at)
        close_at = len(text) if close_at < 0 else close_at
        inside = [t for t in tokens if open_at < t.start and t.end <= close_at]
        if inside:
            return inside
    after_end = _limit(text, figure.end, figures, forward=True)
    after = [t for t in tokens if figure.end <= t.start and t.end <= after_end]
    if after and after[0].text.lower() in _OF_WORDS:
        return after
    if any(f.end == before_start for f in figures) and between[:1] not in _CONJUNCTIONS:
        return after  # the words before belong to the previous figure ("15 types of REM")
    before = [t for t in tokens if before_start <= t.start and t.end <= figure.start]
    return before[-4:] if before else after


def clause_before(
    text: str, figure: Figure, figures: Sequence[Figure], tokens: Sequence[Token]
) -> list[Token]:
    """The words of the clause leading up to `figure` ("The Murmansk region accounts for")."""
    start = _limit(text, figure.start, figures, forward=False)
    return [t for t in tokens if start <= t.start and t.end <= figure.start]


def _limit(text: str, at: int, figures: Sequence[Figure], forward: bool) -> int:
    """Offset of the nearest clause break or other figure from `at`, in one direction."""
    if forward:
        ends = [f.start for f in figures if f.start >= at]
        match = BREAK.search(text, at)
        ends.append(match.start() if match else len(text))
        return min(ends)
    starts = [f.end for f in figures if f.end <= at]
    breaks = [m.end() for m in BREAK.finditer(text, 0, at)]
    return max([*starts, *breaks, 0])


def _tokens(text: str) -> list[Token]:
    from remqa.text.words import tokenize

    return tokenize(text)


_LABEL = re.compile(r"^\s*([^:\n]{1,60}):\s+\S")


def labelled_count(sentence: str, figure: Figure, counted: str | None) -> bool:
    """ "Modules per box: 31 pieces" answers "how many modules": in a label: value line, or a
    label: value field of a table row ("Region: Dunholm; Orchards: 164"), the label says what
    the value counts (`counted`: the noun a "how many" question counts)."""
    if figure.kind != "count" or not counted:
        return False
    line = _LABEL.match(sentence)
    field = field_label(sentence, figure.start)
    if field is not None:
        label = sentence[field[0] : field[1]]
    elif line is not None and figure.start >= line.end(1):  # the figure is in the value
        label = line.group(1)
    else:
        return False
    return any(stands_for(token.stem, counted) for token in tokenize(label))
