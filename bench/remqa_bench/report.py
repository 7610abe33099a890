"""The results as text: the printed table, the Markdown page (BENCHMARKS.md), tables for both."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .common import GB, MB, Result, short_size
from .explain import explain


def _get(data: Result | None, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict) or data.get(key) is None:
            return None
        data = data[key]
    return data


def _latency(size: Result | None, which: str) -> str | None:
    ms = _get(size, "ask", which)
    return None if ms is None else f"{ms['p50']:.1f} / {ms['p95']:.1f}"


Row = tuple[str, Callable[[Result], str | None]]


def _fmt(value: Any, spec: str, scale: float = 1.0, suffix: str = "") -> str | None:
    if value is None:
        return None
    return f"{value / scale if scale != 1 else value:{spec}}{suffix}"


def _cores(size: Result | None) -> str | None:
    remqa, li = _get(size, "ingest", "cores_used"), _get(size, "llamaindex", "cores_used")
    if remqa is None:
        return None
    return f"{remqa:.2f} / " + ("not run" if li is None else f"{li:.2f}")


def _answers(size: Result | None) -> str | None:
    ask = _get(size, "ask")
    if ask is None:
        return None
    return f"{round(ask['expected_figure_share'] * ask['questions'])}/{ask['questions']}"


def _row(label: str, keys: tuple[str, ...], spec: str, scale: float = 1.0, suffix: str = "") -> Row:
    return label, lambda s: _fmt(_get(s, *keys), spec, scale, suffix)


ROWS: list[Row] = [
    _row("corpus: files", ("corpus", "files"), ","),
    _row("corpus: remqa chunks", ("corpus", "chunks"), ","),
    _row("corpus: source words", ("corpus", "words"), ","),
    _row("remqa ingest (s)", ("ingest", "seconds"), ".1f"),
    _row("remqa ingest (chunks/s)", ("ingest", "chunks_per_s"), ",.0f"),
    _row("remqa ingest (words/s)", ("ingest", "words_per_s"), ",.0f"),
    _row("remqa ingest (embedded tokens/s)", ("ingest", "embedded_tokens_per_s"), ",.0f"),
    _row("raw encode, ONNX Runtime (chunks/s)", ("raw_encode", "onnx", "chunks_per_s"), ",.0f"),
    _row("raw encode, PyTorch (chunks/s)", ("raw_encode", "torch", "chunks_per_s"), ",.0f"),
    _row(
        "raw encode, ONNX int8, opt-in (chunks/s)",
        ("raw_encode", "onnx_int8", "chunks_per_s"),
        ",.0f",
    ),
    _row("LlamaIndex default: nodes", ("llamaindex", "nodes"), ","),
    _row("LlamaIndex default (s)", ("llamaindex", "seconds"), ".1f"),
    _row("LlamaIndex default (chunks/s)", ("llamaindex", "chunks_per_s"), ",.1f"),
    _row("LlamaIndex default (words/s)", ("llamaindex", "words_per_s"), ",.0f"),
    _row(
        "LlamaIndex default (embedded tokens/s)",
        ("llamaindex", "embedded_tokens_per_s"),
        ",.0f",
    ),
    _row("LlamaIndex: text inside the model window", ("llamaindex", "text_share_embedded"), ".0%"),
    _row(
        "LlamaIndex default, same chunks (chunks/s)",
        ("llamaindex", "same_chunks", "chunks_per_s"),
        ".1f",
    ),
    _row(
        "remqa / LlamaIndex, same chunks, chunks/s",
        ("ratio_vs_llamaindex", "same_chunks_per_s"),
        ".2f",
        1,
        "x",
    ),
    _row("remqa / LlamaIndex, chunks/s", ("ratio_vs_llamaindex", "chunks_per_s"), ".1f", 1, "x"),
    _row("remqa / LlamaIndex, words/s", ("ratio_vs_llamaindex", "words_per_s"), ".2f", 1, "x"),
    _row(
        "remqa / LlamaIndex, embedded tokens/s",
        ("ratio_vs_llamaindex", "embedded_tokens_per_s"),
        ".2f",
        1,
        "x",
    ),
    ("CPU s / wall s, ingest / LlamaIndex", _cores),
    _row("re-ingest unchanged (s)", ("reingest", "seconds"), ".2f"),
    _row("re-ingest: chunks embedded", ("reingest", "chunks_embedded"), "d"),
    ("warm ask p50 / p95 (ms)", lambda s: _latency(s, "first_pass_ms")),
    ("warm ask again p50 / p95 (ms)", lambda s: _latency(s, "second_pass_ms")),
    ("answers holding the expected figure", _answers),
    _row("peak RSS, remqa (MB)", ("peak_rss_bytes",), ",.0f", MB),
    _row("index on disk (MB)", ("index_bytes",), ",.1f", MB),
]


def table_rows(results: Result) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the main table: one column per requested size."""
    header = ["measure", *(f"{short_size(n)} chunks" for n in results["requested_sizes"])]
    rows = []
    for label, cell in ROWS:
        row = [label]
        for n in results["requested_sizes"]:
            size = results["sizes"].get(str(n))
            value = cell(size) if size else None
            row.append("not run" if value is None else value)
        rows.append(row)
    return header, rows


def text_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for r in [header, *rows]:
        cells = [r[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells))
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def md_table(header: list[str], rows: list[list[str]], align_first_left: bool = True) -> str:
    sep = [":---" if align_first_left else "---:"] + ["---:"] * (len(header) - 1)
    return "\n".join("| " + " | ".join(r) + " |" for r in [header, sep, *rows])


def print_report(results: Result) -> None:
    header, rows = table_rows(results)
    print(text_table(header, rows))
    cold = results["cold"]
    print()
    print(
        f"cold `remqa ask` {cold['remqa_ask_s']:.2f} s, bare `import sentence_transformers` "
        f"{cold['import_sentence_transformers_s']:.2f} s (medians of {cold['runs']}): "
        f"{cold['ratio']:.2f}x"
    )
    print()
    floor_rows = [[f["floor"], f["measured"], f["status"].upper()] for f in results["floors"]]
    print(text_table(["floor", "measured", "status"], floor_rows))


def render_markdown(results: Result) -> str:
    m = results["machine"]
    header, rows = table_rows(results)
    cold = results["cold"]
    pkgs = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    smoke = (
        "\n> This is a **smoke run** (`" + results["command"] + "`): sizes that were not run "
        'show "not run", and so do the floors that need them. The full run is '
        "`.venv/bin/python bench/run.py`.\n"
        if results["smoke"]
        else ""
    )
    floor_rows = [[f["floor"], f["measured"], f["status"]] for f in results["floors"]]
    modified = (
        " (tracked files had uncommitted changes)" if results["git"]["modified_files"] else ""
    )
    return f"""# remqa benchmarks
{smoke}
Measured on {results["date"]} at commit `{results["git"]["commit"][:12]}`{modified}.

- CPU: {m["cpu"]}, {m["cores"]} cores; RAM {m["ram_bytes"] / GB:.1f} GB
- Python {m["python"]} on {m["platform"]}
- {pkgs}
- whole run: {results["run_seconds"] / 60:.1f} min

## Reproduce

```bash
{results["command"]}
```

Corpora come from `bench/corpus_gen.py` (seed {results["seed"]}): mining and commodity news
articles of 20-60 sentences with figures, and {_questions_count(results)} questions whose
answers are in them. Ingest, re-ingest, ask, peak memory and disk are measured in a fresh
process per size; LlamaIndex's default pipeline (`SimpleDirectoryReader` +
`VectorStoreIndex.from_documents` into Chroma with `HuggingFaceEmbedding` of the same
packaged model) in another. Library imports are outside every timed region; loading the
model is inside (remqa opens its ONNX model during `ingest()`; the `HuggingFaceEmbedding`
passed to `from_documents` is built inside LlamaIndex's timed region, which also covers
`SimpleDirectoryReader`). The raw encode rows time the embedding model alone on remqa's
chunk texts: the compute limit of an ingest.

## Results

{md_table(header, rows)}

## Cold start

| measure | median of {cold["runs"]} |
| :--- | ---: |
| cold `python -m remqa ask` on the bundled corpus | {cold["remqa_ask_s"]:.2f} s |
| bare `python -c "import sentence_transformers"` | {cold["import_sentence_transformers_s"]:.2f} s |
| ratio | {cold["ratio"]:.2f}x |

## Floors

Measured, not asserted: a failing floor is reported, not hidden.

{md_table(["floor", "measured", "status"], floor_rows)}

## What the numbers mean

{explain(results)}
"""


def _questions_count(results: Result) -> int:
    sizes = list(results["sizes"].values())
    return int(sizes[0]["corpus"]["questions"]) if sizes else 0
