"""When a short answer leads in bold: per answer type, thresholds chosen for precision.

`bold.json` (written by eval/bold_thresholds.py) holds two tables, each chosen on answers
held out from the models that make them, so that at least 80% of the bold answers of a type
are right (F1 >= 0.5 with a gold answer), over at least 20 of them:
- `reading_model`: P(the sentence answers) x the reading model's score for its best span,
  for the short answer of a question that does not ask for a figure;
- `figures`: P(the figure's sentence answers), from the selector, for the figure that
  answers a figure question.
A type without a threshold in a table is never bold from that source: the sentence leads.

It also holds the reading check (`reading_check`), chosen on the same held-out answers: the
selector's answer to a "when" or "how long" question that no figure answered is refused
when P(the sentence answers) from the selector x the same from the reading model is below
its threshold, the highest at which the answers it refuses (of all the selector's held-out
answers) are wrong at least 3 times in 4.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

BOLD_FILE = Path(__file__).with_name("bold.json")
TABLES = ("reading_model", "figures")


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    if not BOLD_FILE.exists():
        return {}
    data: dict[str, Any] = json.loads(BOLD_FILE.read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=1)
def _tables() -> dict[str, dict[str, float]]:
    data = _data()
    return {
        name: {kind: float(t) for kind, t in data.get(name, {}).get("thresholds", {}).items()}
        for name in TABLES
    }


def reading_model_thresholds() -> dict[str, float]:
    """Answer type -> the P(answers) x span score from which the reading model's span leads."""
    return _tables()["reading_model"]


def figure_thresholds() -> dict[str, float]:
    """Answer type -> the P(the sentence answers) from which a figure question's figure leads
    in bold."""
    return _tables()["figures"]


def reading_check_threshold() -> float | None:
    """The selector's x the reading model's P(the chosen sentence answers) under which an
    answer is refused; None: no check."""
    check = _data().get("reading_check", {}).get("threshold")
    return None if check is None else float(check)
