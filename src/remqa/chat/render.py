"""HTML and Markdown for the chat, built so that document text stays inert.

Everything that comes from a document is escaped: a quote holding `<script>`, a Markdown image
`![x](http://...)` or a fake `[3]` shows as text and never loads or runs anything.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

from remqa.models import Answer, Citation
from remqa.text.reflow import display_text

# Characters that start Markdown markup (links, images, emphasis, code, tables, HTML).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]#!|<>~])")
_MARKER = re.compile(r"\[(\d+)\]")
SOURCE_ANCHOR = "remqa-src-{id}"


def escape_markdown(text: str) -> str:
    """Text shown literally by a Markdown renderer (and by an HTML one)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def answer_markdown(answer: Answer) -> str:
    """The answer for the chat: document text escaped; our own bold lead and [n] links added
    back. Every [n] links to its passage in the sources panel."""
    if answer.refused:
        where = "the chosen documents" if answer.sources else "the documents"
        text = f"> **Not in {where}.** {escape_markdown(answer.text)}"
    else:
        ids = {c.id for c in answer.citations}
        text = "\n".join(_line_markdown(line, ids) for line in answer.text.split("\n"))
    notes = [f"\n\n*Note: {escape_markdown(notice)}*" for notice in answer.notices]
    return text + "".join(notes)


def draft_markdown(text: str) -> str:
    """Text an LLM is still generating: shown as a draft until its figures are checked."""
    return f"*Drafting; figures not yet checked…*\n\n{escape_markdown(text)}"


def _line_markdown(line: str, ids: set[int]) -> str:
    bullet = ""
    if line.startswith("- "):
        bullet, line = "- ", line[2:]
    lead = ""
    if line.startswith("**") and "** — " in line:
        figure, line = line[2:].split("** — ", 1)
        lead = f"**{escape_markdown(figure)}** — "
    # Only a marker at the very end of the line is ours; any other "[n]" is document text.
    match = re.search(r" \[(\d+)\]$", line)
    marker = ""
    if match and int(match.group(1)) in ids:
        n = match.group(1)
        marker = f" [\\[{n}\\]](#{SOURCE_ANCHOR.format(id=n)})"
        line = line[: match.start()]
    return bullet + lead + escape_markdown(line) + marker


def sources_html(answer: Answer, passages: dict[int, tuple[str, str, str]]) -> str:
    """The cited passages: file, offsets, score, and the quote highlighted in its passage.
    `passages` maps a citation id to (text before, quote, text after). A heading names the
    question the sources belong to, so they are never mistaken for an earlier answer's."""
    if not answer.question:
        return '<div class="remqa-empty">Sources of the answer appear here.</div>'
    scope = f" · only in {html.escape(', '.join(answer.sources))}" if answer.sources else ""
    heading = (
        f'<div class="remqa-sources-for">For: <q>{html.escape(answer.question)}</q>{scope}</div>'
    )
    if answer.refused:
        where = "the chosen documents" if answer.sources else "the documents"
        return heading + (
            f'<div class="remqa-refusal"><strong>No answer in {where}.</strong> '
            "Nothing was cited: no passage holds what was asked.</div>"
        )
    cited = "\n".join(_citation_html(c, passages.get(c.id)) for c in answer.citations)
    return heading + cited + checks_html(answer)


def checks_html(answer: Answer) -> str:
    """How each sentence of a generated answer fared against its cited passages."""
    if not answer.checks:
        return ""
    rows = []
    for check in answer.checks:
        mark, label = ("✓", "supported") if check.supported else ("✗", "removed")
        reason = f": {html.escape(check.reason)}" if check.reason else ""
        rows.append(
            f'<li class="remqa-check-{label}"><b>{mark} {label}</b>{reason}<br>'
            f"<q>{html.escape(check.sentence)}</q></li>"
        )
    items = "".join(rows)
    return f'<div class="remqa-checks"><b>Figure check</b><ul>{items}</ul></div>'


def _shown(text: str) -> str:
    return html.escape(display_text(text))


def _citation_html(c: Citation, passage: tuple[str, str, str] | None) -> str:
    before, quote, after = passage or ("", c.quote, "")
    # Wrapped source text is shown as it reads: its line breaks as spaces.
    body = (
        f"{_shown(before)}<mark>{_shown(quote)}</mark>{_shown(after)}"
        if quote == c.quote
        else f"<mark>{_shown(c.quote)}</mark>"
    )
    link = html.escape(view_link(c.source, c.start, c.end, c.page))
    place = f' <span class="remqa-place">{html.escape(c.place)}</span>' if c.place else ""
    return (
        f'<details class="remqa-source" id="{SOURCE_ANCHOR.format(id=c.id)}" open>'
        f'<summary><b>[{c.id}]</b> <a class="remqa-open" href="{link}" target="_blank" '
        f'title="Open the document at this quote">{html.escape(c.source)}</a>{place} '
        f'<span class="remqa-meta">chars {c.start}–{c.end} · score {c.score:.2f}</span></summary>'
        f'<div class="remqa-passage">{body}</div></details>'
    )


def view_link(source: str, start: int, end: int, page: int | None = None) -> str:
    """The document viewer's address for a quote (server/viewer.py), relative to the chat's."""
    query: dict[str, str | int] = {"source": source, "start": start, "end": end}
    if page is not None:
        query["page"] = page
    return "view?" + urlencode(query)


def status_markdown(documents: int, chunks: int, model: str, backend: str) -> str:
    return (
        f"**{documents}** document{'s' if documents != 1 else ''} · **{chunks}** chunks · "
        f"embedding model `{model}` · answers: `{backend}`"
    )


CSS = """
.remqa-source { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 6px 10px; margin-bottom: 8px; }
.remqa-source:target, .remqa-source.remqa-flash { outline: 2px solid var(--color-accent); }
.remqa-meta { color: var(--body-text-color-subdued); font-size: 0.85em; margin-left: 6px; }
.remqa-place { font-size: 0.9em; margin-left: 4px; }
.remqa-open { color: var(--color-accent); text-decoration: underline; }
#remqa-viewer { position: fixed; inset: 0; z-index: 1000; background: rgba(15, 23, 42, .55);
  display: flex; justify-content: flex-end; }
#remqa-viewer[hidden] { display: none; }
#remqa-viewer .remqa-viewer-panel { width: min(920px, 100vw); height: 100%; display: flex;
  flex-direction: column; background: #fff; box-shadow: -4px 0 16px rgba(0,0,0,.25); }
#remqa-viewer .remqa-viewer-top { display: flex; justify-content: space-between;
  align-items: center; padding: 6px 10px; border-bottom: 1px solid #cbd5e1; color: #0f172a; }
#remqa-viewer iframe { flex: 1; width: 100%; border: 0; }
#remqa-viewer button { font-size: 1em; padding: 4px 12px; cursor: pointer; }
.remqa-passage { margin-top: 6px; line-height: 1.5; white-space: pre-wrap; }
.remqa-passage mark { background: #fde68a; color: inherit; padding: 0 2px; }
.remqa-checks ul { padding-left: 1.2em; margin: 4px 0; }
.remqa-check-removed { color: #b91c1c; }
.remqa-check-supported { color: #15803d; }
.remqa-docs { border-collapse: collapse; width: 100%; font-size: 0.92em; }
.remqa-docs th, .remqa-docs td { border-bottom: 1px solid var(--border-color-primary);
  padding: 4px 8px; text-align: left; }
.remqa-skipped { margin-top: 10px; color: #92400e; }
.remqa-sources-for { color: var(--body-text-color-subdued); font-size: 0.9em; margin-bottom: 6px; }
.remqa-refusal { border-left: 4px solid #d97706; background: #fffbeb; color: #92400e;
  padding: 8px 12px; border-radius: 4px; }
"""

# Clicking a [n] marker opens and shows its passage instead of leaving the page.
HEAD = """
<script>
document.addEventListener("click", (event) => {
  const link = event.target.closest('a[href^="#remqa-src-"]');
  if (!link) return;
  event.preventDefault();
  const panel = document.getElementById(link.getAttribute("href").slice(1));
  if (!panel) return;
  panel.open = true;
  panel.scrollIntoView({behavior: "smooth", block: "center"});
  panel.classList.add("remqa-flash");
  setTimeout(() => panel.classList.remove("remqa-flash"), 1500);
}, true);
// A source's file name opens the document at the quote, in a panel over the chat.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a.remqa-open");
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  let viewer = document.getElementById("remqa-viewer");
  if (!viewer) {
    viewer = document.createElement("div");
    viewer.id = "remqa-viewer";
    viewer.setAttribute("role", "dialog");
    viewer.setAttribute("aria-modal", "true");
    viewer.innerHTML = '<div class="remqa-viewer-panel"><div class="remqa-viewer-top">' +
      '<b>Source</b><button type="button" id="remqa-viewer-close">Close</button></div>' +
      '<iframe title="The cited document"></iframe></div>';
    document.body.appendChild(viewer);
    const close = () => {
      viewer.hidden = true;
      viewer.querySelector("iframe").src = "about:blank";
    };
    viewer.querySelector("#remqa-viewer-close").addEventListener("click", close);
    viewer.addEventListener("click", (e) => { if (e.target === viewer) close(); });
    document.addEventListener("keydown", (e) => { if (e.key === "Escape") close(); });
  }
  viewer.setAttribute("aria-label", "Source: " + link.textContent);
  viewer.querySelector("iframe").src = link.href + "#remqa-quote";
  viewer.hidden = false;
  viewer.querySelector("#remqa-viewer-close").focus();
}, true);
</script>
"""
