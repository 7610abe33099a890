"""When a short answer leads in bold: per answer type, thresholds chosen for precision.

`bold.json` (written by eval/bold_thresholds.py) holds two tables, each chosen on answers
held out from the models that make them, so that at least 80% of the bold answers of a type
are right (F1 >= 0.5 with a gold answer), over at least 20 of them:
- `reading_model`: P(the sentence answers) x the reading model's score for its best span,
  for the short answer of a question that does not ask for a figure;
- `figures`: P(the figure's sentence answers), from the selector, for the figure that
  answers a figure question.
A type without a threshold in a table is never bold from that source: the sentence leads.

It also holds the reading check (`reading_check`): the selector's answer to a "when" or
"how long" question that no figure answered is refused when P(the sentence answers) from the
selector x the same from the reading model is below its threshold, the highest at which the
answers it refuses (of the selector's answers on the SQuAD and COVID-QA read parts, held out
from both models) are wrong at least 3 times in 4.

Whatever the score, a reading-model span holding a figure leads in bold only when it is tied
to the question within its clause (`figure_span_tied`), as the figure rules' figures are.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from remqa.answering.features import content_stems
from remqa.answering.figures import find_figures

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


def figure_span_tied(sentence: str, start: int, end: int, question: str) -> bool:
    """May sentence[start:end] lead in bold for this question? Yes unless it holds a figure
    and its clause (between semicolons, which also join a table row's cells: "Heating
    capacity: 6.8 kW; COP at 7 °C: 4.47") holds no word of the question besides the span."""
    if not find_figures(sentence[start:end]):
        return True
    left = sentence.rfind(";", 0, start) + 1
    right = sentence.find(";", end)
    clause = sentence[left:start] + " " + sentence[end : right if right >= 0 else len(sentence)]
    return bool(set(content_stems(question)) & set(content_stems(clause)))
