"""Check eval/figures/questions.json against the texts it was written over.

Run: python eval/figures/validate.py  (exit 1 on any problem)
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SQUAD_TRAIN = Path("/work/shared/external/squad-train/squad2-train-first10articles.json")
COVIDQA = Path("/work/shared/external/covidqa/covidqa-dev-30papers.json")
KINDS = {"count", "percent", "money", "quantity", "year", "multiplier"}
DIMENSIONS = {
    "length", "mass", "area", "volume", "temperature", "speed", "energy", "power", "time",
    "information", "loudness", "dose", "concentration", "acceleration",
}  # fmt: skip
FIELDS = (
    "id",
    "text",
    "question",
    "kind",
    "dimension",
    "answer",
    "answer_start",
    "sentence",
    "distractors",
)


def load_texts() -> tuple[dict[str, str], set[str]]:
    """Article texts keyed as in the items, and the covidqa papers kept for measurement."""
    texts: dict[str, str] = {}
    for article in json.loads(SQUAD_TRAIN.read_text(encoding="utf-8"))["data"]:
        texts["squad-train:" + article["title"]] = "\n\n".join(
            p["context"] for p in article["paragraphs"]
        )
    papers = json.loads(COVIDQA.read_text(encoding="utf-8"))["data"]
    titles = sorted(p["title"] for p in papers)
    read, held_out = set(titles[0::2]), set(titles[1::2])
    for paper in papers:
        if paper["title"] in read:
            texts["covidqa:" + paper["title"]] = paper["paragraphs"][0]["context"]
    return texts, {"covidqa:" + t for t in held_out}


def words(text: str) -> list[str]:
    return re.sub(r"[^\w\s]", " ", text.lower()).split()


def copied_run(question: str, sentence: str, n: int = 5) -> str | None:
    """A run of n consecutive question words that also appears in the sentence, if any."""
    q = words(question)
    s = " " + " ".join(words(sentence)) + " "
    for i in range(len(q) - n + 1):
        run = " ".join(q[i : i + n])
        if f" {run} " in s:
            return run
    return None


def check(items: list[dict], texts: dict[str, str], held_out: set[str]) -> list[str]:
    problems: list[str] = []
    seen_ids: set[str] = set()
    seen_questions: set[str] = set()
    for item in items:
        ident = item.get("id", "?")
        missing = [f for f in FIELDS if f not in item]
        if missing:
            problems.append(f"{ident}: missing fields {missing}")
            continue
        if ident in seen_ids:
            problems.append(f"{ident}: duplicate id")
        seen_ids.add(ident)
        question = item["question"].strip()
        if not question or question.lower() in seen_questions:
            problems.append(f"{ident}: empty or duplicate question")
        seen_questions.add(question.lower())
        if item["text"] in held_out:
            problems.append(f"{ident}: uses a held-out covidqa paper {item['text']}")
            continue
        if item["text"] not in texts:
            problems.append(f"{ident}: unknown text {item['text']}")
            continue
        if item["kind"] not in KINDS:
            problems.append(f"{ident}: bad kind {item['kind']}")
        if item["kind"] == "quantity":
            if item["dimension"] not in DIMENSIONS:
                problems.append(f"{ident}: quantity needs a dimension, got {item['dimension']}")
        elif item["dimension"] is not None:
            problems.append(f"{ident}: dimension must be null for kind {item['kind']}")
        if not isinstance(item["distractors"], int) or item["distractors"] < 0:
            problems.append(f"{ident}: distractors must be a non-negative integer")
        text = texts[item["text"]]
        if item["answer"] is None:
            if item["answer_start"] is not None or item["sentence"] is not None:
                problems.append(f"{ident}: unanswerable item with answer_start or sentence")
            if not item.get("notes"):
                problems.append(f"{ident}: unanswerable item without notes")
            continue
        answer, start, sentence = item["answer"], item["answer_start"], item["sentence"]
        if not isinstance(start, int) or text[start : start + len(answer)] != answer:
            problems.append(f"{ident}: answer {answer!r} not at {start}")
            continue
        if not answer[:1].isalnum() and answer[:1] not in "$€£¥~ϳ≥−":
            problems.append(f"{ident}: answer should start at the figure: {answer!r}")
        positions = [m.start() for m in re.finditer(re.escape(sentence), text)] if sentence else []
        if not any(p <= start and start + len(answer) <= p + len(sentence) for p in positions):
            problems.append(f"{ident}: sentence is not an exact substring holding the answer")
        run = copied_run(question, sentence or "")
        if run:
            problems.append(f"{ident}: question copies five words from the sentence: {run!r}")
    return problems


def main() -> int:
    data = json.loads((HERE / "questions.json").read_text(encoding="utf-8"))
    items = data.get("items", [])
    texts, held_out = load_texts()
    problems = check(items, texts, held_out)
    answerable = [i for i in items if i.get("answer") is not None]
    print(
        f"{len(items)} items: {len(answerable)} answerable, "
        f"{len(items) - len(answerable)} unanswerable"
    )
    print("by kind (answerable):", dict(Counter(i["kind"] for i in answerable).most_common()))
    print(
        "by kind (unanswerable):",
        dict(Counter(i["kind"] for i in items if i.get("answer") is None).most_common()),
    )
    print("with distractors >= 1:", sum(1 for i in answerable if i.get("distractors", 0) >= 1))
    print("subject in an earlier sentence:", sum(1 for i in items if i.get("subject_earlier")))
    print("by text:")
    for name, n in Counter(i["text"] for i in items).most_common():
        print(f"  {n:4d} {100 * n / len(items):5.1f}%  {name}")
    if data.get("version") != 1:
        problems.append("version must be 1")
    for p in problems:
        print("PROBLEM", p)
    print("OK" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
