"""The floors: each target, what this run measured against it, and pass / fail / not run."""

from __future__ import annotations

from .common import GB, MB, Result, short_size


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
        *precision_floors(results),
        {
            "floor": "remqa ingest >= 2x LlamaIndex default on the same chunks (chunks/s)",
            "measured": ", ".join(f"{short_size(int(n))}: {r:.2f}x" for n, r in ratios.items())
            or "not run",
            "status": verdict(ingest_ok),
        },
        {
            "floor": "warm ask p50 <= 41 ms at 50k chunks (fp32's, before int8)",
            "measured": f"{big['ask']['first_pass_ms']['p50']:.1f} ms" if big else "not run",
            "status": verdict(big["ask"]["first_pass_ms"]["p50"] <= 41 if big else None),
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


# Accuracy measures of `remqa eval --set squad` that int8 must keep within 0.01 of fp32.
EXTERNAL_ACCURACY = ("first_sentence", "first_sentence_how_many", "lead_f1", "cite_at_1",
                     "answerable_refused", "unanswerable_refused")  # fmt: skip


def _verdict(ok: bool | None) -> str:
    return "not run" if ok is None else ("pass" if ok else "fail")


def precision_floors(results: Result) -> list[Result]:
    """The int8 default's floors: speed against fp32, closeness of vectors, same answers,
    and a first ingest that is quick and light."""
    sizes: dict[str, Result] = results["sizes"]
    speed = {
        n: s["ingest_int8_vs_fp32_raw"] for n, s in sizes.items() if "ingest_int8_vs_fp32_raw" in s
    }
    cosine = {n: s["int8_cosine_to_fp32"]["mean"] for n, s in sizes.items()
              if "int8_cosine_to_fp32" in s}  # fmt: skip
    out: list[Result] = [
        {
            "floor": "remqa ingest with int8 >= 1.6x the fp32 ONNX raw encode rate, same chunks",
            "measured": ", ".join(f"{short_size(int(n))}: {r:.2f}x" for n, r in speed.items())
            or "not run",
            "status": _verdict(all(r >= 1.6 for r in speed.values()) if speed else None),
        },
        {
            "floor": "int8 vectors: mean cosine to fp32 >= 0.99",
            "measured": ", ".join(f"{short_size(int(n))}: {c:.4f}" for n, c in cosine.items())
            or "not run",
            "status": _verdict(all(c >= 0.99 for c in cosine.values()) if cosine else None),
        },
    ]
    by = results.get("eval_by_precision")
    if by:
        fp, q = by["fp32"]["bundled"], by["int8"]["bundled"]
        worth = 1 / fp["answerable"]
        same = ("hit_at_5", "figure_accuracy_first_sentence", "figure_accuracy_whole")
        regressed = sorted(set(fp["passing_ids"]) - set(q["passing_ids"]))
        ok = (
            all(q[k] >= fp[k] for k in same)
            and fp["hit_at_1"] - q["hit_at_1"] <= worth + 1e-9
            and fp["mrr"] - q["mrr"] <= worth + 1e-9
            and not regressed
        )
        out.append({
            "floor": "bundled eval, int8 vs fp32: hit@5 and figure accuracy unchanged, hit@1 "
            "and MRR at most one question lower, no item that passes under fp32 fails",
            "measured": f"hit@1 {fp['hit_at_1']:.3f} -> {q['hit_at_1']:.3f}, MRR "
            f"{fp['mrr']:.3f} -> {q['mrr']:.3f} (one question: {worth:.3f}), hit@5 "
            f"{fp['hit_at_5']:.3f} -> {q['hit_at_5']:.3f}, items passed {fp['items_passed']} "
            f"-> {q['items_passed']}, regressed: {', '.join(regressed) or 'none'}",
            "status": _verdict(ok),
        })  # fmt: skip
        efp, eq = by["fp32"]["external"]["remqa"], by["int8"]["external"]["remqa"]
        gaps = {k: abs(eq[k] - efp[k]) for k in EXTERNAL_ACCURACY if k in efp and k in eq}
        worst = max(gaps, key=lambda k: gaps[k]) if gaps else None
        out.append({
            "floor": "external eval (SQuAD articles), int8 vs fp32: every accuracy measure "
            "within 0.01",
            "measured": f"largest gap {gaps[worst]:.3f} ({worst})" if worst else "not run",
            "status": _verdict(all(g <= 0.01 + 1e-9 for g in gaps.values()) if gaps else None),
        })  # fmt: skip
    first = results.get("first_ingest")
    if first:
        cold, warm = first["no_cache"], first["cache_present"]
        out.append({
            "floor": "first `remqa ingest` of the bundled corpus, no model cache: <= 8 s wall, "
            "<= 600 MB peak RSS in the ingest process",
            "measured": f"{cold['wall_seconds']:.1f} s, {cold['peak_rss_bytes'] / MB:.0f} MB",
            "status": _verdict(
                cold["code"] == 0 and cold["wall_seconds"] <= 8
                and cold["peak_rss_bytes"] <= 600 * MB
            ),
        })  # fmt: skip
        out.append({
            "floor": "into a new index folder with the cache present: <= 2.5 s wall, nothing "
            "new written beside the index",
            "measured": f"{warm['wall_seconds']:.1f} s, new cache files: "
            f"{len(warm['new_cache_files'])}, model files in the index: "
            f"{len(warm['model_files_in_index'])}",
            "status": _verdict(
                warm["code"] == 0 and warm["wall_seconds"] <= 2.5
                and not warm["new_cache_files"] and not warm["model_files_in_index"]
            ),
        })  # fmt: skip
    return out
