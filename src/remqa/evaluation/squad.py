"""The external eval set: Wikipedia articles with crowd-written SQuAD questions.

remqa is tuned on none of these articles' text. Each article becomes one corpus file (its
paragraphs joined by a blank line, so every gold answer maps to exact file offsets) and every
question is asked through `Assistant.ask`. Scoring follows SQuAD's official script: lower
case, no punctuation, no articles, white space collapsed.
"""

from __future__ import annotations

import json
import re
import string
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from remqa.errors import RemqaError

DEFAULT_SET = Path("eval/squad/squad-dev-3articles.json")
_MARKER = re.compile(r"\s*\[\d+\]")
_BOLD_LEAD = re.compile(r"^\*\*(.+?)\*\* — ")


@dataclass(frozen=True)
class GoldAnswer:
    text: str
    start: int  # offsets into the article's corpus file
    end: int


@dataclass(frozen=True)
class SquadQuestion:
    id: str
    article: str  # corpus file name
    question: str
    answers: tuple[GoldAnswer, ...]
    impossible: bool

    @property
    def kind(self) -> str:
        return question_kind(self.question)


@dataclass
class SquadArticle:
    title: str
    source: str  # corpus file name
    text: str
    questions: list[SquadQuestion] = field(default_factory=list)


def load_squad(path: Path = DEFAULT_SET) -> list[SquadArticle]:
    """Articles with their questions; gold answers located in the joined article text."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["data"]
    except (OSError, ValueError, KeyError) as exc:
        raise RemqaError(
            f"SQuAD set {path} cannot be read ({type(exc).__name__}). "
            "Pass --set squad, --set covidqa or a SQuAD-format JSON file."
        ) from None
    articles = []
    for entry in entries:
        contexts = [p["context"] for p in entry["paragraphs"]]
        source = f"{entry['title']}.txt"
        article = SquadArticle(entry["title"], source, "\n\n".join(contexts))
        offset = 0
        for paragraph in entry["paragraphs"]:
            context = paragraph["context"]
            for qa in paragraph["qas"]:
                impossible = bool(qa.get("is_impossible", False))
                golds = [] if impossible else _locate(qa["answers"], context, offset)
                if not impossible and not golds:
                    continue  # an answer that cannot be found in its paragraph: dropped
                article.questions.append(
                    SquadQuestion(
                        qa["id"], source, qa["question"].strip(), tuple(golds), impossible
                    )
                )
            offset += len(context) + 2
        articles.append(article)
    return articles


def _locate(answers: Sequence[dict[str, object]], context: str, offset: int) -> list[GoldAnswer]:
    """Gold answers at file offsets; an answer_start that does not match its text is repaired
    by the nearest occurrence of the text in the paragraph."""
    found: dict[tuple[int, int], GoldAnswer] = {}
    for answer in answers:
        text = str(answer["text"])
        start = int(str(answer["answer_start"]))
        if context[start : start + len(text)] != text:
            hits = [m.start() for m in re.finditer(re.escape(text), context)]
            if not hits:
                continue
            start = min(hits, key=lambda h: abs(h - start))
        key = (offset + start, offset + start + len(text))
        found[key] = GoldAnswer(text, *key)
    return list(found.values())


def write_corpus(articles: Sequence[SquadArticle], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for article in articles:
        path = folder / article.source
        if not path.exists() or path.read_text(encoding="utf-8") != article.text:
            path.write_text(article.text, encoding="utf-8")


# ---- scoring, as SQuAD's official script does it


def normalize(text: str) -> str:
    text = text.lower()
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def f1(prediction: str, gold: str) -> float:
    pred, ref = normalize(prediction).split(), normalize(gold).split()
    common = Counter(pred) & Counter(ref)
    same = sum(common.values())
    if not pred or not ref or same == 0:
        return float(pred == ref)
    precision, recall = same / len(pred), same / len(ref)
    return 2 * precision * recall / (precision + recall)


def holds(text: str, golds: Sequence[GoldAnswer]) -> bool:
    """The text contains one of the gold answers (normalised)."""
    norm = f" {normalize(text)} "
    return any(f" {normalize(g.text)} " in norm for g in golds if normalize(g.text))


def lead_sentence(answer_text: str, quote: str = "") -> str:
    """The answer's first sentence: up to the end of its first citation's `quote` when given
    (a paper's sentence may itself begin with reference markers, "[1] [2] By contrast ..."),
    else up to its first [n] marker; without the marker."""
    at = answer_text.find(quote) if quote else -1
    if at >= 0:
        head = answer_text[: at + len(quote)]
    else:
        match = _MARKER.search(answer_text)
        head = answer_text[: match.start()] if match else answer_text
    return _BOLD_LEAD.sub(lambda m: m.group(1) + " — ", head).replace("**", "")


def bold_lead(answer_text: str) -> str:
    """The bold short answer an answer leads with ("**Aristotle** — ..."), or ""."""
    match = _BOLD_LEAD.match(answer_text)
    return match.group(1) if match else ""


def lead_span(answer_text: str, quote: str = "") -> str:
    """What an answer offers as *the* answer: its bold short answer, else its first sentence
    (see lead_sentence for `quote`)."""
    return bold_lead(answer_text) or lead_sentence(answer_text, quote)


_KINDS = (
    ("how many", "how many"),
    ("how much", "how much"),
    ("how long", "how long/far/big"),
    ("how far", "how long/far/big"),
    ("how big", "how long/far/big"),
    ("how large", "how long/far/big"),
    ("how old", "how long/far/big"),
    ("what year", "when"),
    ("which year", "when"),
    ("when", "when"),
    ("who", "who"),
    ("whom", "who"),
    ("whose", "who"),
    ("where", "where"),
    ("why", "why"),
    ("how", "how"),
    ("which", "which"),
    ("what", "what"),
)


def question_kind(question: str) -> str:
    """The question's type for the report: by its first question phrase."""
    text = " " + " ".join(re.findall(r"[a-z]+", question.lower())) + " "
    best: tuple[int, str] | None = None
    for phrase, kind in _KINDS:
        at = text.find(f" {phrase} ")
        if at >= 0 and (best is None or at < best[0]):
            best = (at, kind)
    return best[1] if best else "other"
