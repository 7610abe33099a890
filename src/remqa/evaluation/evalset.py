"""The eval set: questions with gold figures, texts and source spans (eval/questions.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from remqa.errors import RemqaError

ItemType = Literal["figure", "multi-figure", "text", "unanswerable", "follow-up"]


class GoldSpan(BaseModel):
    source: str
    start: int
    end: int
    quote: str


class PriorTurn(BaseModel):
    question: str


class EvalItem(BaseModel):
    id: str
    type: ItemType
    question: str
    figures: list[str] = Field(default_factory=list)
    text: list[str] = Field(default_factory=list)
    spans: list[GoldSpan] = Field(default_factory=list)
    history: list[PriorTurn] = Field(default_factory=list)
    near_miss: bool = False
    note: str = ""
    # Why the item no longer counts toward the gates (it passed only through word lists
    # fitted to the bundled article, since removed); it is still asked and reported.
    rebaselined: str = ""

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable"


def load_eval_set(path: Path) -> list[EvalItem]:
    import yaml
    from pydantic import ValidationError

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = [EvalItem.model_validate(entry) for entry in raw]
    except FileNotFoundError:
        raise RemqaError(f"Eval set {path} not found. Pass --set FILE.") from None
    except (yaml.YAMLError, ValidationError, TypeError) as exc:
        first = str(exc).splitlines()[0]
        raise RemqaError(f"Eval set {path} is not valid ({first}). See eval/README.") from None
    ids = [item.id for item in items]
    if len(set(ids)) != len(ids):
        raise RemqaError(f"Eval set {path} has duplicate ids. Give every item its own id.")
    return items
