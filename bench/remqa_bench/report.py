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


def _ratio(size: Result | None, top: str, bottom: str) -> str | None:
    a = _get(size, "raw_encode", top, "chunks_per_s")
    b = _get(size, "raw_encode", bottom, "chunks_per_s")
    return None if a is None or b is None else f"{a / b:.2f}x"


def _cosine(size: Result | None) -> str | None:
    c = _get(size, "int8_cosine_to_fp32")
    return None if c is None else f"{c['mean']:.4f} / {c['min']:.4f} / {c['p1']:.4f}"


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
    _row("raw encode, ONNX fp32 (chunks/s)", ("raw_encode", "onnx", "chunks_per_s"), ",.0f"),
    _row(
        "raw encode, ONNX int8 per-channel, opt-in (chunks/s)",
        ("raw_encode", "onnx_int8", "chunks_per_s"),
        ",.0f",
    ),
    _row("raw encode, PyTorch (chunks/s)", ("raw_encode", "torch", "chunks_per_s"), ",.0f"),
    ("raw encode, int8 / fp32", lambda s: _ratio(s, "onnx_int8", "onnx")),
    _row("remqa ingest, int8 opt-in (chunks/s)", ("ingest_int8", "chunks_per_s"), ",.0f"),
    _row("remqa ingest (fp32) / fp32 raw encode", ("ingest_vs_fp32_raw",), ".2f", 1, "x"),
    _row("remqa ingest (int8) / fp32 raw encode", ("ingest_int8_vs_fp32_raw",), ".2f", 1, "x"),
    ("int8 vectors, cosine to fp32: mean / min / 1st pct", _cosine),
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

## int8 against fp32

{precision_markdown(results)}

## Floors

Measured, not asserted: a failing floor is reported, not hidden.

{md_table(["floor", "measured", "status"], floor_rows)}

## What the numbers mean

{explain(results)}
"""


def _questions_count(results: Result) -> int:
    sizes = list(results["sizes"].values())
    return int(sizes[0]["corpus"]["questions"]) if sizes else 0


BUNDLED_ROWS = (("hit_at_1", "hit@1"), ("mrr", "MRR"), ("hit_at_5", "hit@5"),
                ("figure_accuracy_first_sentence", "figure in the first sentence"),
                ("figure_accuracy_whole", "figure anywhere in the answer"),
                ("text_accuracy", "text answers"), ("citation_precision", "citation precision"),
                ("refusal_accuracy", "refusal accuracy"), ("false_refusals", "false refusals"),
                ("items_passed", "items passed"))  # fmt: skip
EXTERNAL_ROWS = (("first_sentence", "first sentence holds a gold answer"),
                 ("first_sentence_how_many", "... for how-many questions"),
                 ("lead_f1", "SQuAD F1 of the lead"), ("cite_at_1", "cite@1"),
                 ("answerable_refused", "answerable refused"),
                 ("unanswerable_refused", "unanswerable refused"))  # fmt: skip


def precision_markdown(results: Result) -> str:
    """The first-ingest measures and the eval under both precisions, as Markdown tables."""
    parts: list[str] = []
    first = results.get("first_ingest")
    if first:
        cold, warm = first["no_cache"], first["cache_present"]
        parts.append(md_table(
            ["first `remqa ingest` of the bundled corpus", "wall (s)", "peak RSS, ingest "
             "process (MB)"],
            [["no model cache on the machine (exports it, in a child process)",
              f"{cold['wall_seconds']:.1f}", f"{cold['peak_rss_bytes'] / MB:,.0f}"],
             ["new index folder, model cache present", f"{warm['wall_seconds']:.1f}",
              f"{warm['peak_rss_bytes'] / MB:,.0f}"]],
        ))  # fmt: skip
    by = results.get("eval_by_precision")
    if by:

        def cell(value: Any) -> str:
            return f"{value:.3f}" if isinstance(value, float) else str(value)

        fp, q = by["fp32"]["bundled"], by["int8"]["bundled"]
        parts.append("`remqa eval` (bundled article):\n\n" + md_table(
            ["measure", "fp32 (default)", "int8 (opt-in)"],
            [[label, cell(fp.get(k)), cell(q.get(k))] for k, label in BUNDLED_ROWS],
        ))  # fmt: skip
        efp, eq = by["fp32"]["external"], by["int8"]["external"]
        parts.append("`remqa eval --set squad` (external articles, learned selector):\n\n"
                     + md_table(
            ["measure", "fp32 (default)", "int8 (opt-in)", "plain baseline fp32",
             "plain baseline int8"],
            [[label, cell(efp["remqa"].get(k)), cell(eq["remqa"].get(k)),
              cell(efp["baseline"].get(k)), cell(eq["baseline"].get(k))]
             for k, label in EXTERNAL_ROWS],
        ))  # fmt: skip
    return "\n\n".join(parts) or "not run"
