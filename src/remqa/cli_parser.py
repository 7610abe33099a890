"""The `remqa` command's arguments and help text: what it accepts, not what it does (cli.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from remqa import __version__

# `remqa eval --gates`'s default; an external set uses its own gates unless told otherwise.
DEFAULT_GATES = Path("eval/gates.yaml")

DESCRIPTION = """\
Ask questions about your documents and get answers that quote their sources exactly.
Works offline: no LLM, no key, no download needed.

Typical use:
  remqa ingest                 index the documents in ./corpus into ./index
  remqa ask "How much gallium does China produce?"
  remqa ask --doc report.pdf "What was the revenue?"   only in the chosen file(s)
  remqa serve                  open the chat in your browser (http://127.0.0.1:7860),
                               with an OpenAI-compatible API at http://127.0.0.1:7860/v1

Settings can also come from REMQA_* environment variables (e.g. REMQA_CORPUS_DIR,
REMQA_INDEX_DIR, REMQA_CHROMA_URL, REMQA_TOP_K); flags win over the environment.
"""


def _add_location_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--corpus", type=Path, metavar="DIR", help="folder of documents (default: ./corpus)"
    )
    parser.add_argument(
        "--index", type=Path, metavar="DIR", help="folder for the index (default: ./index)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="remqa", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bars")
    parser.add_argument("--version", action="version", version=f"remqa {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = commands.add_parser(
        "ingest",
        help="index the corpus folder (incremental: only new or changed files are embedded)",
        description="Index .txt, .md, .pdf, .html and .docx files from the corpus folder "
        "(recursively) into a Chroma index. Wrapped lines are read as paragraphs; PDFs lose "
        "their running headers and page numbers. Re-running embeds only new or changed files "
        "and removes deleted ones. Unreadable files are skipped and listed with the reason. "
        "Then the index is opened as `ask` and `serve` open it, and the vectors of new "
        "sentences are saved with it, so the first question is answered at full speed.",
    )
    _add_location_flags(ingest)
    ingest.add_argument(
        "--rebuild",
        action="store_true",
        help="build a fresh index (needed after changing the embedding model or chunking); "
        "the old index keeps answering until the new one is complete",
    )
    ingest.add_argument("--json", action="store_true", help="print the report as JSON")

    ask = commands.add_parser(
        "ask",
        help="answer one question, quoting the passages it rests on",
        description="Answer QUESTION from the indexed documents. Every sentence of the answer "
        "carries a [n] marker pointing to a quoted passage (file, character offsets, exact "
        "text). When the documents do not hold the answer, it says so. Builds the index first "
        "if there is none.",
    )
    ask.add_argument("question", metavar="QUESTION", help="the question, in quotes")
    ask.add_argument(
        "--doc",
        action="append",
        dest="docs",
        metavar="NAME",
        help="answer only from this file (its path inside the corpus folder, as `remqa "
        "documents` lists it); repeat for several files; default: all documents",
    )
    _add_location_flags(ask)
    ask.add_argument(
        "--json",
        action="store_true",
        help="print the Answer as JSON: text, refused, citations[id, source, quote, start, end, "
        "score, page, page_end, section]",
    )

    documents = commands.add_parser(
        "documents",
        help="list the indexed files (the names `ask --doc` takes) and the skipped ones",
    )
    _add_location_flags(documents)
    documents.add_argument("--json", action="store_true", help="print the list as JSON")

    serve = commands.add_parser(
        "serve",
        help="open the chat in your browser, and the HTTP API for other tools",
        description="Start the browser chat (Gradio) on http://HOST:PORT. On the same port: an "
        "OpenAI-compatible API (POST /v1/chat/completions, GET /v1/models; model 'remqa') for "
        "Open WebUI, LibreChat or the openai client, and POST /api/ask (the Answer as JSON); "
        "set REMQA_API_KEY to require a bearer token (needed off loopback). Answers stream in with "
        "[n] markers; the cited passages show beside them. Bound to 127.0.0.1 unless --host says "
        "otherwise; set REMQA_AUTH=user:password to require a login. Builds a missing index "
        "first, with progress on the page. Its Documents tab adds (.txt .md .pdf .html .docx), "
        "lists, removes and re-indexes files; that is on for a loopback address or with "
        "REMQA_AUTH, else only with REMQA_ALLOW_UPLOADS=true. Each browser keeps its own "
        "conversation through reloads and server restarts (encrypted with a key kept in "
        "REMQA_CHAT_SECRET_FILE, made on first launch).",
    )
    serve.add_argument("--host", help="address to bind (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, help="port (default 7860)")
    _add_location_flags(serve)

    move = commands.add_parser(
        "migrate",
        help="copy the index to a Chroma server, without re-embedding",
        description="Copy the embedded index (--index DIR, default ./index) to the Chroma server "
        "at URL: vectors, texts and metadata, in batches. Afterwards set REMQA_CHROMA_URL=URL "
        "so that remqa uses the server.",
    )
    move.add_argument("url", metavar="URL", help="the Chroma server, e.g. http://127.0.0.1:8000")
    move.add_argument("--replace", action="store_true", help="overwrite an existing collection")
    _add_location_flags(move)

    evaluate = commands.add_parser(
        "eval",
        help="score the assistant against the eval set and check the quality gates",
        description="Ask every question of the eval set, score the answers with deterministic "
        "metrics (retrieval hit@k and MRR, figure accuracy, invented figures, citation validity "
        "and precision, refusals), print a table and write report.json and report.md. Exits 1 "
        "when a gate in the gates file fails or an item that passes in the baseline fails.",
    )
    evaluate.add_argument(
        "--set",
        dest="eval_set",
        type=Path,
        default=Path("eval/questions.yaml"),
        metavar="FILE",
        help="eval set (default: eval/questions.yaml); an external set: 'squad' (Wikipedia "
        "articles, eval/squad/), 'covidqa' (scientific papers, eval/covidqa/), or any "
        "SQuAD-format .json file; 'tables' (cells of tables in Word, HTML and PDF files, "
        "eval/tables/)",
    )
    evaluate.add_argument(
        "--report",
        type=Path,
        default=Path("eval/report"),
        metavar="DIR",
        help="where to write report.json and report.md (default: eval/report)",
    )
    evaluate.add_argument(
        "--gates",
        type=Path,
        default=DEFAULT_GATES,
        metavar="FILE",
        help="quality gates (default: eval/gates.yaml)",
    )
    evaluate.add_argument(
        "--baseline",
        type=Path,
        default=Path("eval/baseline.json"),
        metavar="FILE",
        help="items that must keep passing (default: eval/baseline.json)",
    )
    evaluate.add_argument(
        "--formats",
        nargs="*",
        metavar="FORMAT",
        help="also answer the eval set against the corpus rewritten in other formats and "
        "check each is within one item of the original: "
        "wrap72 wrap40 crlf markdown html pdf docx (no FORMAT: all of them)",
    )
    evaluate.add_argument(
        "--update-baseline",
        action="store_true",
        help="record the items passing now as the new baseline",
    )
    _add_location_flags(evaluate)
    return parser
