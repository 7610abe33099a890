"""The assistant as a LlamaIndex query engine, so LlamaIndex users can compose it
(routers, sub-question engines, tools for agents) like any other engine."""

from __future__ import annotations

from typing import Any, Protocol

from llama_index.core.base.base_query_engine import BaseQueryEngine
from llama_index.core.base.response.schema import Response
from llama_index.core.callbacks import CallbackManager
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from remqa.models import Answer


class Asker(Protocol):
    """What the engine needs of an assistant: `ask` (remqa.Assistant has it)."""

    def ask(self, question: str) -> Answer: ...


class RemqaQueryEngine(BaseQueryEngine):
    """Answers with the assistant; the response's source nodes are the cited quotes, with
    their source file and exact offsets, and `metadata["answer"]` is the full `Answer`."""

    def __init__(self, assistant: Asker) -> None:
        self.assistant = assistant
        super().__init__(callback_manager=CallbackManager([]))

    def _get_prompt_modules(self) -> dict[str, Any]:
        return {}

    def _query(self, query_bundle: QueryBundle) -> Response:
        answer = self.assistant.ask(query_bundle.query_str)
        nodes = [
            NodeWithScore(
                node=TextNode(
                    id_=f"{c.source}:{c.start}-{c.end}",
                    text=c.quote,
                    start_char_idx=c.start,
                    end_char_idx=c.end,
                    metadata={"source": c.source, "citation": c.id},
                ),
                score=c.score,
            )
            for c in answer.citations
        ]
        return Response(
            response=answer.text,
            source_nodes=nodes,
            metadata={"answer": answer, "refused": answer.refused},
        )

    async def _aquery(self, query_bundle: QueryBundle) -> Response:
        import asyncio

        return await asyncio.to_thread(self._query, query_bundle)
