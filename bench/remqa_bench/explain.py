"""The 'What the numbers mean' section of BENCHMARKS.md, written around a run's numbers."""

from __future__ import annotations

from .common import Result, short_size


def explain(results: Result) -> str:
    """The 'what the numbers mean' section, written around this run's numbers."""
    sizes = [s for s in results["sizes"].values() if s.get("raw_encode")]
    compared = [s for s in sizes if s.get("llamaindex")]
    parts: list[str] = []
    if sizes:
        s = sizes[-1]
        onnx, torch = s["raw_encode"]["onnx"], s["raw_encode"]["torch"]
        share = s["ingest"]["chunks_per_s"] / onnx["chunks_per_s"]
        cores = (
            f"(CPU seconds over wall seconds: {s['ingest']['cores_used']:.2f} during the "
            f"ingest, {onnx['cores_used']:.2f} during the raw ONNX encode)"
        )
        contended = s["ingest"]["cores_used"] < 0.8 * onnx["cores_used"]
        text = (
            f"**Ingest against the compute limit.** Nearly all of an ingest is running the "
            f"model. At {s['corpus']['chunks']:,} chunks remqa ingested "
            f"{s['ingest']['chunks_per_s']:.0f} chunks/s; encoding the same chunk texts and "
            f"nothing else ran at {onnx['chunks_per_s']:.0f} chunks/s with ONNX Runtime "
            f"(remqa's default embedder) and {torch['chunks_per_s']:.0f} chunks/s with PyTorch "
            f"sentence-transformers ({onnx['chunks_per_s'] / torch['chunks_per_s']:.2f}x). "
        )
        if share > 1.05:
            text += (
                f"Ingest came out {share:.2f}x faster than encoding alone, which it cannot "
                "be (it does the same encoding and more): the two ran at different moments "
                f"on a shared machine and got different amounts of CPU {cores}."
            )
        elif contended:
            text += (
                f"Ingest ran at {share:.0%} of the raw ONNX rate, but the two did not get the "
                f"same CPU {cores}: other processes on this shared machine took part of it "
                "during the ingest, so this run does not measure ingest's own overhead "
                "(reading and hashing files, chunking, writing to Chroma, loading the model)."
            )
        else:
            text += (
                f"Ingest ran at {share:.0%} of the raw ONNX rate {cores}; the rest is reading "
                "and hashing files, chunking, writing to Chroma and loading the model."
            )
        parts.append(text)
    if compared:
        s = compared[-1]
        li = s["llamaindex"]
        ratio = s["ratio_vs_llamaindex"]
        more = s["embedded_tokens"] / li["embedded_tokens"]
        raw = s["raw_encode"]
        onnx_vs_torch = raw["onnx"]["chunks_per_s"] / raw["torch"]["chunks_per_s"]
        per_chunk = s["embedded_tokens"] / s["chunk_texts"]
        parts.append(
            "**Chunks/s is not the fair comparison.** remqa cuts text into sentence-aligned "
            "chunks of at most 60 words, with one sentence shared between neighbours "
            f"({s['corpus']['words'] / s['corpus']['chunks']:.0f} source words per chunk "
            "here); LlamaIndex's default SentenceSplitter makes chunks of up to 1,024 tokens "
            f"with 200 tokens of overlap ({s['corpus']['words'] / li['nodes']:.0f} source words "
            f"per node here: {li['nodes']:,} nodes against {s['corpus']['chunks']:,} chunks). "
            f"Per chunk remqa is {ratio['chunks_per_s']:.1f}x as fast, but it makes many more, "
            "smaller chunks. So the floor is judged like for like, on the same chunks: "
            "LlamaIndex's default pipeline (`VectorStoreIndex.from_documents`, "
            "`HuggingFaceEmbedding`, default batch size) fed remqa's own chunk texts ran at "
            f"{li['same_chunks']['chunks_per_s']:.1f} chunks/s, and remqa's ingest at "
            f"{ratio['same_chunks_per_s']:.2f}x that. Over the same files in source words per "
            f"second remqa runs at {ratio['words_per_s']:.2f}x LlamaIndex's default, for the "
            "reason below."
        )
        parts.append(
            "**Why words/s still favours LlamaIndex's default.** all-MiniLM-L6-v2 reads at "
            "most 256 word-piece tokens and cuts off the rest. A default LlamaIndex node is "
            "about 1,024 tokens with the file's metadata (path, name) in front, so only "
            f"{li['text_share_embedded']:.0%} of the node text was inside the model's window: "
            "the rest is stored and returned with the node, but no vector represents it, so "
            "dense search cannot find a fact that sits there. remqa's chunks are well under "
            "256 tokens, so every word is embedded (the shared sentence twice). Over the same "
            f"files the model ran over {s['embedded_tokens']:,} tokens for remqa and "
            f"{li['embedded_tokens']:,} for LlamaIndex, {more:.1f}x as many; per embedded "
            "token remqa's ingest ran at "
            f"{ratio['embedded_tokens_per_s']:.2f}x LlamaIndex's speed. "
            + (
                "That per-token speed is where remqa's choices show: ONNX Runtime instead of "
                f"PyTorch ({onnx_vs_torch:.2f}x on the raw encode above), batches sorted by "
                "length so there is little padding, shorter sequences (attention costs "
                f"somewhat more per token at 256 tokens than at {per_chunk:.0f}), and 256 chunks "
                "per Chroma write, "
                f"against LlamaIndex's default embed_batch_size of {li['embed_batch_size']}. "
                if ratio["embedded_tokens_per_s"] >= 1
                else "In this run remqa was not faster per token either; compare the "
                "'CPU s / wall s' row, which shows how much CPU each side got. "
            )
            + "remqa's smaller chunks buy complete coverage of the text, not a faster ingest "
            "of the same text."
        )
    parts.append(
        "**Asking.** Warm latency is one `Assistant.ask` in a process that has already "
        "answered a question (model, index and BM25 loaded): dense search in Chroma, BM25, "
        "fusion and the extractive answerer; the second pass asks the same questions again. "
        "Each generated question names a company that appears in exactly one sentence of the "
        "corpus, so the share of answers holding the expected figure is a sanity check that "
        "the index answers, not a quality metric (that is `remqa eval`). Re-ingest of an "
        "unchanged corpus hashes every file, reads the index's metadata and embeds nothing. "
        "Peak RSS is the high-water mark of the process that ingested, re-ingested and "
        "answered at that size, read before the raw encoding (which loads PyTorch). Cold "
        "start: `remqa ask` answers through ONNX Runtime without loading PyTorch or "
        "sentence-transformers, which is why it can start faster than the bare import."
    )
    loads = [
        f"{load['before'][0]:.1f} before and {load['after'][0]:.1f} after the "
        f"{short_size(int(n))} size"
        for n, load in ((n, s["load_average"]) for n, s in results["sizes"].items())
    ]
    parts.append(
        "**Noise.** Each size is one ingest (they take minutes at 50k), so throughput figures "
        "are single runs; latencies are medians and 95th percentiles over the questions, cold "
        f"start the median of {results['cold']['runs']} runs. This machine has "
        f"{results['machine']['cores']} cores and is shared: the 1-minute load average was "
        f"{results['machine']['load_average_at_start'][0]:.1f} at the start of the run"
        + (f", {', '.join(loads)}" if loads else "")
        + " (this benchmark itself adds about 2 while it runs). The 'CPU s / wall s' row is how "
        "many cores a timed region kept busy on average: below 2 when part of the work is "
        "serial or when other processes took the CPU."
    )
    return "\n\n".join(parts)
