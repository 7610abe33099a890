"""The `remqa` command: runs what its arguments (cli_parser.py) ask for. RemqaError becomes a
one-line message and exit code 2, never a traceback."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from remqa.cli_parser import DEFAULT_GATES, build_parser
from remqa.errors import RemqaError
from remqa.settings import Settings

if TYPE_CHECKING:
    from remqa.evaluation.external_sets import ExternalSet


def settings_from_args(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {}
    if getattr(args, "corpus", None) is not None:
        overrides["corpus_dir"] = args.corpus
    if getattr(args, "index", None) is not None:
        overrides["index_dir"] = args.index
    if args.quiet or getattr(args, "json", False):
        overrides["show_progress"] = False
    return Settings(**overrides)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = settings_from_args(args)
        return _run(args, settings)
    except RemqaError as exc:
        print(f"remqa: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("remqa: interrupted", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from remqa.assistant import Assistant

    assistant = Assistant(settings)
    if args.command == "ingest":
        from remqa.console import print_ingest_report

        report = assistant.ingest(rebuild=args.rebuild)
        assistant.ensure_ready()  # checks the index opens; saves its new sentences' vectors
        if args.json:
            print(report.model_dump_json(indent=2))
        else:
            print_ingest_report(report)
        return 0
    if args.command == "ask":
        from remqa.console import print_answer

        answer = assistant.ask(args.question, sources=args.docs)
        if args.json:
            print(answer.model_dump_json(indent=2))
        else:
            print_answer(answer)
        return 0
    if args.command == "documents":
        from remqa.console import print_documents

        listed = assistant.documents()
        if args.json:
            print(listed.model_dump_json(indent=2))
        else:
            print_documents(listed)
        return 0
    if args.command == "serve":
        from remqa.server.app import launch

        server = launch(settings, host=args.host, port=args.port)
        print(f"remqa chat running on {server.url} (Ctrl+C to stop)")
        print(f"OpenAI-compatible API: {server.url}v1 (model 'remqa'); JSON: {server.url}api/ask")
        server.wait()
        return 0
    if args.command == "migrate":
        from remqa.index.migrate import migrate

        source = settings.model_copy(update={"chroma_url": None})
        target = settings.model_copy(update={"chroma_url": args.url})
        moved = migrate(source, target, replace=args.replace)
        print(f"Copied {moved.chunks} chunks from {moved.source} to {moved.target}.")
        print(f"Now use it with: REMQA_CHROMA_URL={args.url}")
        return 0
    if args.command == "eval":
        from remqa.evaluation.external_sets import external_set

        if str(args.eval_set) == "tables":
            from remqa.evaluation.tables_eval import tables_eval

            return tables_eval(settings, args.report)

        eval_set = external_set(str(args.eval_set))
        if eval_set is not None:
            return _external(args, settings, eval_set)

        from remqa.evaluation.report import evaluate_and_report

        return evaluate_and_report(
            assistant,
            args.eval_set,
            args.report,
            args.gates,
            args.baseline,
            args.update_baseline,
            formats=_formats(args.formats),
        )
    raise AssertionError(f"unhandled command {args.command}")


def _external(args: argparse.Namespace, settings: Settings, eval_set: ExternalSet) -> int:
    """An external set: its own corpus and index (unless told otherwise) and its own gates
    (unless --gates)."""
    from remqa.evaluation.external_report import external_eval

    work: dict[str, Any] = {
        "corpus_dir": args.corpus or eval_set.work / "corpus",
        "index_dir": args.index or eval_set.work / "index",
    }
    gates = args.gates if args.gates != DEFAULT_GATES else None
    return external_eval(settings.model_copy(update=work), eval_set, args.report, gates)


def _formats(asked: list[str] | None) -> list[str]:
    """`--formats` with no value means all of them; unknown names are a clear error."""
    from remqa.evaluation.formats import FORMATS

    if asked is None:
        return []
    variants = [f for f in FORMATS if f != "original"]
    unknown = sorted(set(asked) - set(variants))
    if unknown:
        raise RemqaError(
            f"Unknown format {', '.join(unknown)} for --formats; choose from {' '.join(variants)}."
        )
    return asked or variants
