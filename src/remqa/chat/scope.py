"""The chat's document picker: ask all documents (nothing chosen) or only the chosen ones.

Its choices follow the Documents tab (refreshed whenever the list there changes); a file
that leaves the index leaves the choice too. After a reload the picker comes back as the
conversation's last question was asked, so a follow-up keeps its scope.
"""

from __future__ import annotations

from typing import Any

from remqa.chat import transcript
from remqa.models import Documents

LABEL = "Ask in"
INFO = "Nothing chosen: all documents. Follow-ups keep the choice."


def picker_update(documents: Documents, chosen: list[str] | None, restore: bool = False) -> Any:
    """The picker's new choices (the indexed files) with what stays chosen among them. The
    choice is only set when `restore`-ing it or when a chosen file has left the index, so a
    refresh racing the page's restore cannot undo it."""
    import gradio as gr

    names = [d.source for d in documents.documents]
    kept = [s for s in chosen or [] if s in names]
    if restore or kept != list(chosen or []):
        return gr.update(choices=names, value=kept)
    return gr.update(choices=names)


def last_scope(turns: list[Any]) -> list[str]:
    """The files the conversation's last question was limited to (empty: all)."""
    asked = transcript.history(turns)
    return list(asked[-1][1].sources) if asked else []
