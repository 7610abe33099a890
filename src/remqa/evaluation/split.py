"""Which external questions are "read" and which "aggregate".

A set whose failures we read becomes a set we fit to: every miss looked at invites a rule or a
feature for that miss, and the set stops measuring what happens on text nobody has seen. So
each shared set is split once, deterministically, into a part whose items are shown (the
"read" part, for finding what to fix) and a part of which only aggregate numbers are ever
shown (the "aggregate" part, for judging whether a change carries over). The rules depend on
nothing but titles and question ids, so every run and every helper splits alike.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Literal

Part = Literal["read", "aggregate"]
PARTS: tuple[Part, ...] = ("read", "aggregate")


def by_title(titles: Iterable[str]) -> dict[str, Part]:
    """Whole documents alternate: sorted by title, positions 0, 2, 4, ... are read and 1, 3,
    5, ... aggregate. For sets of many documents (COVID-QA's 30 papers), so that no text of an
    aggregate paper is ever read through its questions."""
    return {t: ("read" if i % 2 == 0 else "aggregate") for i, t in enumerate(sorted(set(titles)))}


def by_question(question_id: str) -> Part:
    """A question is aggregate when the first hex digit of sha1(its id) is 8-f. For sets of few
    documents (SQuAD's 3 articles, trained leave one article out), where splitting by document
    would leave a part of one article."""
    digest = hashlib.sha1(question_id.encode("utf-8")).hexdigest()
    return "aggregate" if digest[0] in "89abcdef" else "read"
