"""Answers written by an LLM, every figure checked against the passages it cites.

Unsupported sentences are removed and the answer says so; when nothing supported remains, or
the LLM fails (down, slow, garbage), the extractive answer is returned with a notice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from remqa.llm.prompt import NOT_IN_DOCUMENTS, SYSTEM, new_tag, user_message
from remqa.llm.verify import CheckedSentence, answer_sentences, check_sentence
from remqa.models import Answer, Citation, Passage

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

Fallback = Callable[[], Answer]


class LLMAnswerer:
    def __init__(self, llm: LLM, backend: str) -> None:
        self.llm = llm
        self.backend = backend

    def _messages(self, question: str, passages: Sequence[Passage]) -> list[object]:
        from llama_index.core.llms import ChatMessage, MessageRole

        tag = new_tag()
        return [
            ChatMessage(role=MessageRole.SYSTEM, content=SYSTEM),
            ChatMessage(role=MessageRole.USER, content=user_message(question, passages, tag)),
        ]

    def stream(
        self, question: str, passages: Sequence[Passage], fallback: Fallback
    ) -> Iterator[str | Answer]:
        """Yields the raw text as it is generated, then the checked `Answer` last."""
        text = ""
        try:
            for chunk in self.llm.stream_chat(self._messages(question, passages)):  # type: ignore[arg-type]
                text += chunk.delta or ""
                if chunk.delta:
                    yield text
        except Exception as exc:  # any client failure: server down, timeout, bad JSON
            yield self._failed(fallback, exc)
            return
        yield self.finish(question, text, passages, fallback)

    def answer(self, question: str, passages: Sequence[Passage], fallback: Fallback) -> Answer:
        try:
            response = self.llm.chat(self._messages(question, passages))  # type: ignore[arg-type]
        except Exception as exc:
            return self._failed(fallback, exc)
        return self.finish(question, response.message.content or "", passages, fallback)

    def _failed(self, fallback: Fallback, exc: Exception) -> Answer:
        answer = fallback()
        detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        answer.notices.append(
            f"The language model ({self.backend}) did not answer ({type(exc).__name__}: "
            f"{detail}); this is the extractive answer instead."
        )
        return answer

    def finish(
        self, question: str, text: str, passages: Sequence[Passage], fallback: Fallback
    ) -> Answer:
        """Check the generated text; keep what its citations support."""
        text = text.strip()
        if text.strip(" .") == NOT_IN_DOCUMENTS or not passages:
            from remqa.answering.compose import REFUSAL

            return Answer(
                question=question,
                text=REFUSAL,
                refused=True,
                backend=self.backend,
                answered_by="llm",
            )
        checked = [check_sentence(body, marks, passages) for body, marks in answer_sentences(text)]
        kept = [c for c in checked if c.check.supported]
        checks = [c.check for c in checked]
        if not kept:
            answer = fallback()
            answer.checks = checks
            answer.notices.append(
                "Nothing in the language model's answer could be verified against the "
                "passages it cites; this is the extractive answer instead."
            )
            return answer
        text, citations = self._cite(kept, passages)
        answer = Answer(
            question=question,
            text=text,
            citations=citations,
            backend=self.backend,
            checks=checks,
            answered_by="llm",
        )
        removed = len(checked) - len(kept)
        if removed:
            reasons = "; ".join(c.check.reason for c in checked if not c.check.supported)
            answer.notices.append(
                f"{removed} sentence{'s' if removed > 1 else ''} of the model's answer "
                f"removed as not supported by the cited passages ({reasons})."
            )
        return answer

    def _cite(
        self, kept: list[CheckedSentence], passages: Sequence[Passage]
    ) -> tuple[str, list[Citation]]:
        """Renumber citations in order of use; a citation quotes the sentence that backs a
        figure, else its whole passage, always as an exact span of the source."""
        citations: list[Citation] = []
        index: dict[tuple[str, int, int], int] = {}
        lines = []
        for sentence in kept:
            spans = [(s.passage, s.start, s.end) for s in sentence.support] or [
                (n, passages[n - 1].chunk.start, passages[n - 1].chunk.end)
                for n in dict.fromkeys(sentence.markers)
            ]
            ids = []
            for n, start, end in spans:
                chunk = passages[n - 1].chunk
                key = (chunk.source, start, end)
                if key not in index:
                    index[key] = len(citations) + 1
                    citations.append(Citation(
                        id=index[key], source=chunk.source,
                        quote=chunk.quote(start, end),
                        start=start, end=end, score=round(passages[n - 1].score, 4),
                    ))  # fmt: skip
                ids.append(index[key])
            lines.append(sentence.text + " " + "".join(f"[{i}]" for i in dict.fromkeys(ids)))
        return " ".join(lines), citations
