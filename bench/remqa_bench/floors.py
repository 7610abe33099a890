"""The floors: each target, what this run measured against it, and pass / fail / not run."""

from __future__ import annotations

from .common import GB, Result, short_size


def floors(results: Result) -> list[Result]:
    """Each floor: what it asks, what was measured, and pass / fail / not run."""
    sizes: dict[str, Result] = results["sizes"]

    def verdict(ok: bool | None) -> str:
        return "not run" if ok is None else ("pass" if ok else "fail")

    ratios = {
        n: s["ratio_vs_llamaindex"]["same_chunks_per_s"]
        for n, s in sizes.items()
        if s.get("ratio_vs_llamaindex")
    }
    ingest_ok = all(r >= 2.0 for r in ratios.values()) if ratios else None
    big, mid = sizes.get("50000"), sizes.get("10000")
    cold = results.get("cold")
    return [
        {
            "floor": "remqa ingest >= 2x LlamaIndex default on the same chunks (chunks/s)",
            "measured": ", ".join(f"{short_size(int(n))}: {r:.2f}x" for n, r in ratios.items())
            or "not run",
            "status": verdict(ingest_ok),
        },
        {
            "floor": "warm ask p50 < 50 ms at 50k chunks",
            "measured": f"{big['ask']['first_pass_ms']['p50']:.1f} ms" if big else "not run",
            "status": verdict(big["ask"]["first_pass_ms"]["p50"] < 50 if big else None),
        },
        {
            "floor": "cold `remqa ask` <= 1.2x bare `import sentence_transformers`",
            "measured": f"{cold['ratio']:.2f}x" if cold else "not run",
            "status": verdict(cold["ratio"] <= 1.2 if cold else None),
        },
        {
            "floor": "re-ingest of unchanged 10k corpus < 5 s (0 chunks embedded)",
            "measured": f"{mid['reingest']['seconds']:.2f} s, "
            f"{mid['reingest']['chunks_embedded']} embedded"
            if mid
            else "not run",
            "status": verdict(
                mid["reingest"]["seconds"] < 5 and mid["reingest"]["chunks_embedded"] == 0
                if mid
                else None
            ),
        },
        {
            "floor": "peak memory (RSS) at 50k chunks < 3 GB",
            "measured": f"{big['peak_rss_bytes'] / GB:.2f} GB" if big else "not run",
            "status": verdict(big["peak_rss_bytes"] < 3 * GB if big else None),
        },
    ]
