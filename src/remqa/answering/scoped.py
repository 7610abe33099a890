"""How an answer to a question limited to chosen files reads: it records the files, and a
refusal says that only they were searched, not that no document holds the answer."""

from __future__ import annotations

from collections.abc import Sequence

from remqa.answering.compose import REFUSAL
from remqa.models import Answer

SCOPED_REFUSAL = "The chosen documents do not say."
NAMED = 3  # files named in the notice; more are counted


def limit_to(answer: Answer, sources: Sequence[str]) -> Answer:
    """`answer` (changed in place) marked as drawn from `sources` only."""
    if not sources:
        return answer
    answer.sources = list(sources)
    if answer.refused:
        if answer.text.startswith(REFUSAL):
            answer.text = SCOPED_REFUSAL + answer.text[len(REFUSAL) :]
        names = ", ".join(sources[:NAMED])
        if len(sources) > NAMED:
            names += f" and {len(sources) - NAMED} more"
        answer.notices.append(
            f"Searched only in the chosen documents ({names}); "
            "ask again with all documents to search the rest."
        )
    return answer
