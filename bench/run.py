"""The remqa benchmark suite: ingest, encode, re-ingest, ask, memory and disk, at several sizes.

    .venv/bin/python bench/run.py [--sizes 1000 10000 50000] [--quick]
                                  [--out bench/results.json] [--md BENCHMARKS.md]

For each size N a synthetic corpus of about N chunks is generated (bench/corpus_gen.py), then
measured in a fresh worker process of its own (so sizes do not share caches or memory):

- remqa ingest from an empty index (wall time of `Assistant.ingest()`), in chunks/s and
  source words/s; re-ingest of the unchanged corpus; warm `ask` latency over the generated
  questions (two passes) and whether the answers hold the expected figure; peak RSS; index
  size on disk;
- raw encoding of the same chunk texts with remqa's default embedder (ONNX Runtime) and with
  PyTorch sentence-transformers: the compute limit;
- LlamaIndex's default pipeline on the same files and model (SimpleDirectoryReader,
  VectorStoreIndex.from_documents into Chroma, HuggingFaceEmbedding), in a worker of its own.

Once per run: a cold `python -m remqa ask` on the bundled corpus next to a bare
`python -c "import sentence_transformers"`. `--quick` skips LlamaIndex above 1,000 chunks.
Floors are measured and shown as pass/fail; nothing is asserted. Progress goes to stderr,
the table to stdout; results go to --out (JSON) and --md (Markdown).
"""

# The measurements live in bench/remqa_bench/, one module each; this script is the command.

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

# bench/ (this script's folder) holds remqa_bench and corpus_gen. Python puts it first on
# sys.path for a script anyway, but not under `python -P` or PYTHONSAFEPATH.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from remqa_bench.common import DEFAULT_SIZES, REPO, SEED  # noqa: E402
from remqa_bench.runner import orchestrate, run_worker  # noqa: E402


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=DEFAULT_SIZES, metavar="N")
    parser.add_argument(
        "--quick", action="store_true", help="skip LlamaIndex's pipeline above 1,000 chunks"
    )
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results.json")
    parser.add_argument("--md", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument("--seed", type=int, default=SEED, help="corpus generator seed")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold process starts to time")
    # Internal: the orchestrator starts itself with these to measure in a fresh process.
    parser.add_argument(
        "--worker", choices=["prepare", "remqa", "llamaindex"], help=argparse.SUPPRESS
    )
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main() -> None:
    args = parse_args()
    if args.worker:
        run_worker(args.worker, args.work, args.size, args.result)
        return
    sys.exit(orchestrate(args))


if __name__ == "__main__":
    main()
