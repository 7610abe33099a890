"""The conversation as it is kept in the browser, and as a Markdown file to download."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from remqa.models import Answer

# What gr.BrowserState keeps: plain JSON, so it survives a reload without the server.
Saved = dict[str, list[Any]]


def empty() -> Saved:
    return {"chat": [], "turns": []}


def turn(question: str, answer: Answer) -> list[Any]:
    return [question, answer.model_dump(mode="json")]


def history(turns: list[Any]) -> list[tuple[str, Answer]]:
    """The (question, Answer) pairs follow-ups are resolved against; bad entries dropped."""
    out = []
    for item in turns:
        try:
            out.append((str(item[0]), Answer.model_validate(item[1])))
        except (IndexError, TypeError, ValueError):
            continue
    return out


def conversation_markdown(turns: list[Any], title: str = "remqa conversation") -> str:
    """Questions, answers, and each cited passage with its file, page and heading (where
    known) and character offsets."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [f"# {title}", f"Saved {stamp}."]
    for n, (question, answer) in enumerate(history(turns), start=1):
        parts.append(f"## {n}. {question}")
        if answer.sources:
            parts.append("Asked of: " + ", ".join(f"`{s}`" for s in answer.sources))
        if answer.refused:
            where = "the chosen documents" if answer.sources else "the documents"
            parts.append(f"> Not in {where}. {answer.text}")
        else:
            parts.append(answer.text)
        for c in answer.citations:
            quote = " ".join(c.quote.split())
            place = f", {c.place}" if c.place else ""
            parts.append(f"[{c.id}] `{c.source}`{place}, characters {c.start}-{c.end}:\n> {quote}")
    return "\n\n".join(parts) + "\n"
