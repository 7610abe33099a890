"""A heading names a section and states nothing: it is never the sentence an answer rests
on, however many of the question's words it holds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from remqa import Assistant, Settings
from remqa.models import Chunk
from tests.conftest import write_corpus

TITLE = "Lindholm Orchard Cooperative: season report 2026"
REPORT = f"""# {TITLE}

The Lindholm Orchard Cooperative grew apples on 412 hectares this season, up from 380
hectares in 2025. Its 57 member farms employ 230 seasonal pickers, of whom 41 came from
outside the region.

The cold store at Brennvik was finished in August and cost €3.4 million. It holds 6,000
tonnes of fruit at two degrees Celsius.

Sales to supermarkets fell by 8% while direct sales through the farm shop rose by 15%. The
cooperative's chair, Agnes Moberg, said the shift protects members from price swings.
"""
QUESTION = "Who chairs the orchard cooperative?"


def test_a_heading_is_never_the_answer(
    tmp_path: Path, make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = write_corpus(tmp_path / "corpus", {"report.md": REPORT})
    settings = make_settings(corpus)
    Assistant(settings).ingest()
    with monkeypatch.context() as patched:  # read as a sentence, the title would answer
        patched.setattr(Chunk, "is_heading", lambda self, start, end: False)
        answer = Assistant(settings).ask(QUESTION)
        assert TITLE in answer.citations[0].quote
    answer = Assistant(settings).ask(QUESTION)
    assert not any(TITLE in c.quote for c in answer.citations)
    assert not answer.refused and "Agnes Moberg" in answer.citations[0].quote
