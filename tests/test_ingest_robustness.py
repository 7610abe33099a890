"""Kill, scale and CLI behaviour of ingestion, with real processes and a real Chroma."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

from remqa import Assistant, Settings
from remqa.ingest.chunking import chunk_spans
from tests.conftest import TINY_DOCS, run_cli
from tests.test_ingest import chroma_records

MakeSettings = Callable[..., Settings]
WORDS = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "theta",
    "kappa",
    "lambda",
    "sigma",
    "omega",
    "rho",
    "tau",
]


def generated_corpus(root: Path, files: int, sentences: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    for f in range(files):
        lines = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))).capitalize()
            + f" item{f}x{s} measured {rng.randint(1, 999)} units."
            for s in range(sentences)
        ]
        (root / f"doc{f:03d}.txt").write_text(" ".join(lines), encoding="utf-8")
    return root


def expected_chunk_count(corpus: Path, settings: Settings) -> int:
    return sum(
        len(chunk_spans(p.read_text(), settings.chunk_max_words, settings.chunk_overlap_sentences))
        for p in corpus.glob("*.txt")
    )


KILLABLE_INGEST = textwrap.dedent(
    """
    import sys
    from chromadb.api.models.Collection import Collection
    from remqa import Assistant, Settings

    original = Collection.upsert
    def upsert_then_report(self, *args, **kwargs):
        original(self, *args, **kwargs)
        print("batch written", flush=True)
    Collection.upsert = upsert_then_report
    Assistant(Settings(corpus_dir=sys.argv[1], index_dir=sys.argv[2], show_progress=False,
                       chunk_max_words=20, embed_batch_size=16)).ingest()
    print("done", flush=True)
    """
)


def test_ingest_killed_midway_keeps_index_and_converges(
    tmp_path: Path, make_settings: MakeSettings
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "zorblax.txt").write_text(TINY_DOCS["zorblax.txt"])
    settings = make_settings(corpus, chunk_max_words=20, embed_batch_size=16)
    Assistant(settings).ingest()
    acknowledged = chroma_records(settings)

    generated_corpus(corpus, files=12, sentences=30)
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLABLE_INGEST, str(corpus), str(settings.index_dir)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    seen = [proc.stdout.readline() for _ in range(2)]
    assert seen == ["batch written\n"] * 2
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    partial = chroma_records(settings)  # the index still opens
    assert acknowledged.items() <= partial.items()  # nothing acknowledged is lost
    assert len(acknowledged) < len(partial) < expected_chunk_count(corpus, settings)

    report = Assistant(settings).ingest()
    assert "zorblax.txt" in report.unchanged  # finished files are not embedded again
    assert len(report.unchanged) + len(report.changed) + len(report.added) == 13
    final = chroma_records(settings)
    assert len(final) == expected_chunk_count(corpus, settings)
    spans = {(r["source"], r["start"], r["end"]) for r in final.values()}
    assert len(spans) == len(final)  # no duplicate chunks
    assert Assistant(settings).ingest().chunks_embedded == 0


def test_ten_thousand_chunks_ingest_in_batches_under_chroma_limit(
    tmp_path: Path, make_settings: MakeSettings
) -> None:
    corpus = generated_corpus(tmp_path / "corpus", files=50, sentences=210)
    settings = make_settings(corpus, chunk_max_words=20, chunk_overlap_sentences=0)
    expected = expected_chunk_count(corpus, settings)
    assert expected >= 10_000
    report = Assistant(settings).ingest()
    assert report.chunks_total == report.chunks_embedded == expected


def test_cli_missing_corpus_is_one_line_exit_2(tmp_path: Path) -> None:
    result = run_cli("ingest", "--corpus", "nowhere", "--index", "idx", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "nowhere/" in result.stderr and ".txt, .md, .pdf, .html or .docx" in result.stderr


def test_cli_folder_without_usable_file_is_one_line_exit_2(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "data.bin").write_bytes(b"\x00\x01")
    result = run_cli("ingest", "--corpus", "c", "--index", "idx", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "No documents found in c/" in result.stderr and ".html or .docx" in result.stderr


def test_cli_ingest_prints_summary(tiny_corpus: Path, tmp_path: Path) -> None:
    result = run_cli("ingest", "--corpus", str(tiny_corpus), "--index", "idx", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "added" in result.stdout and "zorblax.txt" in result.stdout
    assert "Chunks: 2 in index, 2 embedded" in result.stdout
