"""Load: 200 questions from 8 concurrent gradio_client sessions against the live chat."""

from __future__ import annotations

import sys

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
from soak import soak  # noqa: E402


def test_two_hundred_questions_from_eight_sessions(server: str) -> None:
    result = soak(server, questions=200, sessions=8)
    assert result.errors == []
    assert result.wrong == []  # every answer holds its own question's figure
    assert len(result.latencies_ms) == 200
