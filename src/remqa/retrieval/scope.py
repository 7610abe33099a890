"""Questions limited to chosen files: which names are valid, and the filter each retrieval leg
applies before fusion, so the top passages come from those files rather than a global top
list thinned afterwards.

The dense leg asks Chroma with a `where` on the chunks' `source` metadata; the BM25 leg
scores with bm25s's weight mask (0 outside the chosen files), which costs one multiplication
over the scores it computes anyway. A scope travels to the legs inside the query bundle, so
questions with different scopes can run at once on the same retrievers.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from remqa.errors import UnknownSourceError

if TYPE_CHECKING:
    import numpy as np
    from llama_index.core.schema import QueryBundle

SHOWN = 5  # names listed in an error


@dataclass(frozen=True, eq=False)  # eq=False: one scope is one object; arrays do not compare
class Scope:
    """The chosen files and their chunks, in the form each leg filters with."""

    sources: tuple[str, ...]
    node_ids: frozenset[str]
    bm25_mask: np.ndarray  # one weight per document of the BM25 corpus, in its order

    @property
    def where(self) -> dict[str, Any]:
        """Chroma's filter: chunks whose `source` metadata is one of the chosen files."""
        return {"source": {"$in": list(self.sources)}}

    @property
    def size(self) -> int:
        return len(self.node_ids)


def check_sources(asked: Iterable[str] | None, known: Collection[str]) -> tuple[str, ...]:
    """The chosen files, sorted and without repeats; () means all documents. A name the index
    does not hold is an UnknownSourceError that names the closest indexed ones. One name given
    as a bare string is one file, not its letters."""
    if isinstance(asked, str):
        asked = [asked]
    chosen = sorted({name.strip() for name in asked or () if name and name.strip()})
    unknown = [name for name in chosen if name not in known]
    if unknown:
        raise UnknownSourceError(_unknown_message(unknown, known))
    return tuple(chosen)


def _unknown_message(unknown: Sequence[str], known: Collection[str]) -> str:
    names = ", ".join(repr(name) for name in unknown)
    close = [match for name in unknown for match in difflib.get_close_matches(name, known, n=3)]
    if close:
        hint = "did you mean " + " or ".join(repr(n) for n in dict.fromkeys(close)) + "?"
    elif known:
        listed = sorted(known)
        more = f" and {len(listed) - SHOWN} more" if len(listed) > SHOWN else ""
        hint = "the indexed ones are " + ", ".join(listed[:SHOWN]) + more + "."
    else:
        hint = "none is indexed yet."
    what = "document" if len(unknown) == 1 else "documents"
    return (
        f"No indexed {what} named {names}; {hint} Use names as `remqa documents` or the "
        "Documents tab lists them, or add the file to the corpus and run `remqa ingest`."
    )


def build_scope(
    sources: tuple[str, ...],
    ids_by_source: Mapping[str, Iterable[str]],
    bm25_positions: Mapping[str, int],
) -> Scope:
    """The scope of `sources`, given each file's chunk (node) ids and each node id's place in
    the BM25 corpus. Costs time in the size of the scope, not of the index."""
    import numpy as np

    node_ids = frozenset(i for source in sources for i in ids_by_source.get(source, ()))
    mask = np.zeros(len(bm25_positions), dtype=np.float32)
    mask[[bm25_positions[i] for i in node_ids if i in bm25_positions]] = 1.0
    return Scope(sources=sources, node_ids=node_ids, bm25_mask=mask)


@lru_cache(maxsize=1)
def _scoped_bundle_class() -> Any:
    from dataclasses import dataclass as data

    from llama_index.core.schema import QueryBundle

    @data
    class ScopedQueryBundle(QueryBundle):
        """A query bundle that carries the scope to the legs of the fusion retriever."""

        scope: Scope | None = None

    return ScopedQueryBundle


def scoped_bundle(
    query: str, embedding: Sequence[float] | None, scope: Scope | None
) -> QueryBundle:
    bundle: QueryBundle = _scoped_bundle_class()(
        query_str=query, embedding=list(embedding) if embedding else None, scope=scope
    )
    return bundle


def scope_of(bundle: QueryBundle) -> Scope | None:
    """The scope a leg must keep to; None for all documents."""
    scope = getattr(bundle, "scope", None)
    return scope if isinstance(scope, Scope) else None
