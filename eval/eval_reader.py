"""Measure the reading model on the development sets (SQuAD dev articles, COVID-QA papers).

    PYTHONPATH=src .venv/bin/python eval/eval_reader.py [--limit N]

For each answerable question: the ten sentences nearest to it by the plain baseline (dense +
BM25 over all sentences of its own article or paper, fused by reciprocal rank:
remqa.evaluation.baseline.SentenceBaseline's ranking), reranked by the reader; whether the
top sentence holds a gold answer in fusion order and in reader order. Then the span head's
SQuAD F1 in the gold sentence, its precision at span-score thresholds by question type, the
reader's P(answers) on unanswerable questions, and latency (10 sentences, int8 and fp32).
Writes eval/report/reader/dev.json. Nothing here is tuned on these sets.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from remqa.answering.reader import Reader
from remqa.evaluation.baseline import Sentence, SentenceBaseline
from remqa.evaluation.squad import SquadArticle, SquadQuestion, f1, holds, load_squad
from remqa.index.model_cache import cached_model
from remqa.index.onnx_embed import OnnxEmbedding
from remqa.text.sentences import split_sentences

SETS = {
    "squad": Path("/work/shared/external/squad/squad-dev-3articles.json"),
    "covidqa": Path("/work/shared/external/covidqa/covidqa-dev-30papers.json"),
}
OUT = Path("eval/report/reader/dev.json")
FP32_TOP = Path("eval/report/reader/top-fp32.onnx")  # made by train_reader.py, not shipped
THRESHOLDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def article_ranker(article: SquadArticle, embedder: Any) -> SentenceBaseline:
    """SentenceBaseline's ranking over one article's sentences (it is built from an
    Assistant's index; here the same fields are filled from the article itself)."""
    import bm25s
    import Stemmer

    ranker = object.__new__(SentenceBaseline)
    ranker.sentences = [Sentence(article.source, s, e, article.text[s:e])
                        for s, e in split_sentences(article.text)]  # fmt: skip
    texts = [s.text for s in ranker.sentences]
    ranker._model = embedder
    ranker._vectors = np.asarray(embedder.get_text_embedding_batch(texts), dtype=np.float32)
    ranker._stemmer = Stemmer.Stemmer("english")
    ranker._bm25 = bm25s.BM25()
    ranker._bm25.index(ranker._tokens(texts), show_progress=False)
    return ranker


def _borda(probs: Sequence[float]) -> int:
    """The best of the fusion order and the reader's order together, with nothing fitted:
    the sum of the two ranks (reader first on a tie)."""
    reader_rank = {i: r for r, i in enumerate(sorted(range(len(probs)), key=lambda i: -probs[i]))}
    return min(range(len(probs)), key=lambda i: (i + reader_rank[i], reader_rank[i]))


def _overlaps(s: Sentence, q: SquadQuestion) -> bool:
    return any(s.start < g.end and g.start < s.end for g in q.answers)


def _gold_sentence(sentences: Sequence[Sentence], q: SquadQuestion) -> Sentence | None:
    for g in q.answers:
        for s in sentences:
            if s.start <= g.start and g.end <= s.end:
                return s
    return None


def run_set(
    name: str, path: Path, embedder: Any, readers: dict[str, Reader], limit: int
) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    articles = load_squad(path)
    for article in articles:
        questions = article.questions[:limit] if limit else article.questions
        ranker = article_ranker(article, embedder)
        for q in questions:
            top10 = ranker.rank(q.question, 10)
            texts = [s.text for s in top10]
            row: dict[str, Any] = {"id": q.id, "kind": q.kind, "impossible": q.impossible}
            for precision, reader in readers.items():
                probs = reader.score(q.question, texts)
                best = int(np.argmax(probs))
                row[f"{precision}_max_p"] = float(max(probs))
                both = _borda(probs)
                if not q.impossible:
                    row[f"{precision}_holds"] = holds(texts[best], q.answers)
                    row[f"{precision}_overlaps"] = _overlaps(top10[best], q)
                    row[f"{precision}+fusion_holds"] = holds(texts[both], q.answers)
                    row[f"{precision}+fusion_overlaps"] = _overlaps(top10[both], q)
            if not q.impossible:
                row["fusion_holds"] = holds(texts[0], q.answers)
                row["fusion_overlaps"] = _overlaps(top10[0], q)
                row["in_top10"] = any(holds(t, q.answers) for t in texts)
                gold = _gold_sentence(ranker.sentences, q)
                if gold is not None:
                    spans = readers["int8"].spans(q.question, gold.text, limit=1)
                    text = gold.text[spans[0][0] : spans[0][1]] if spans else ""
                    row["span"] = text
                    row["span_score"] = spans[0][2] if spans else 0.0
                    row["span_f1"] = max(f1(text, g.text) for g in q.answers)
            rows.append(row)
    return {"set": name, "rows": rows, "summary": summarise(rows, list(readers))}


def _mean(values: Sequence[float]) -> float:
    return round(float(np.mean(values)), 3) if values else float("nan")


def summarise(rows: Sequence[dict[str, Any]], precisions: Sequence[str]) -> dict[str, Any]:
    answerable = [r for r in rows if not r["impossible"]]
    out: dict[str, Any] = {
        "answerable": len(answerable),
        "unanswerable": len(rows) - len(answerable),
    }
    out["top10_holds_gold"] = _mean([r["in_top10"] for r in answerable])
    for key in ("holds", "overlaps"):
        out[f"fusion_top1_{key}"] = _mean([r[f"fusion_{key}"] for r in answerable])
        for p in precisions:
            out[f"reader_{p}_top1_{key}"] = _mean([r[f"{p}_{key}"] for r in answerable])
            out[f"reader_{p}+fusion_top1_{key}"] = _mean(
                [r[f"{p}+fusion_{key}"] for r in answerable]
            )
    if len(rows) > len(answerable):
        from sklearn.metrics import roc_auc_score

        truth = [not r["impossible"] for r in rows]
        for p in precisions:
            auc = roc_auc_score(truth, [r[f"{p}_max_p"] for r in rows])
            out[f"reader_{p}_answerable_auc"] = round(float(auc), 3)
    spans = [r for r in answerable if "span_f1" in r]
    out["span_questions"] = len(spans)
    out["span_f1"] = _mean([r["span_f1"] for r in spans])
    out["span_exact"] = _mean([r["span_f1"] == 1.0 for r in spans])
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in spans:
        by_kind[r["kind"]].append(r)
    table: dict[str, dict[str, Any]] = {}
    for kind, group in [("all", spans), *sorted(by_kind.items(), key=lambda kv: -len(kv[1]))]:
        table[kind] = {"n": len(group), "f1": _mean([r["span_f1"] for r in group])}
        for t in THRESHOLDS:
            kept = [r for r in group if r["span_score"] >= t]
            table[kind][f">={t}"] = {
                "share": round(len(kept) / len(group), 3),
                "precision": _mean([r["span_f1"] >= 0.5 for r in kept]),
            }
    out["span_by_kind"] = table
    return out


def latency(readers: dict[str, Reader], embedder: Any, limit: int = 100) -> dict[str, float]:
    """Median ms to score the ten retrieved sentences of one question (SQuAD dev)."""
    article = load_squad(SETS["squad"])[0]
    ranker = article_ranker(article, embedder)
    cases = [(q.question, [s.text for s in ranker.rank(q.question, 10)])
             for q in article.questions[:limit]]  # fmt: skip
    out = {}
    for precision, reader in readers.items():
        reader.score(*cases[0])  # sessions made outside the timing
        times = []
        for question, texts in cases:
            began = time.perf_counter()
            reader.score(question, texts)
            times.append((time.perf_counter() - began) * 1000)
        out[f"{precision}_median_ms"] = round(statistics.median(times), 1)
        out[f"{precision}_p90_ms"] = round(float(np.percentile(times, 90)), 1)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="questions per article (0: all)")
    args = parser.parse_args(argv)
    embedder = OnnxEmbedding(cached_model("int8"))  # the precision new indexes use
    # int8: both parts int8; fp32-lower: the lower part fp32, the shipped int8 top; fp32: both
    readers = {"int8": Reader(precision="int8"), "fp32-lower": Reader(precision="fp32")}
    if FP32_TOP.exists():
        readers["fp32"] = Reader(precision="fp32", top_file=FP32_TOP)
    report: dict[str, Any] = {"latency": latency(readers, embedder)}
    print(json.dumps(report["latency"]), flush=True)
    for name, path in SETS.items():
        began = time.monotonic()
        result = run_set(name, path, embedder, readers, args.limit)
        report[name] = result
        summary = {k: v for k, v in result["summary"].items() if k != "span_by_kind"}
        print(f"{name} ({time.monotonic() - began:.0f} s): {json.dumps(summary)}", flush=True)
        for kind, row in result["summary"]["span_by_kind"].items():
            cells = "  ".join(
                f"{t}: {v['precision']}/{v['share']}" for t, v in row.items() if t.startswith(">=")
            )
            print(f"  {kind:18} n={row['n']:4} f1={row['f1']}  precision/share {cells}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
