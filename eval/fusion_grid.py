"""How retrieval would rank with other reciprocal-rank fusions: hit@1, @5 and @10 per set.

Each question's two legs (dense, BM25, as remqa retrieves them today) are fetched once; the
fusion is then recomputed for every (dense weight, k) of a grid, where a passage scores the
sum over legs of weight / (rank + k), rank from 0 and BM25's weight 1. remqa ships weight 1
and k = 60 (retrieval/fusion.py). Measured on the external sets' answerable questions, read
and aggregate parts apart (a gold answer span lies whole in the passage), and on the bundled
eval's measured questions (the passages holding a gold span, as its hit@5 gate counts them;
follow-ups by their resolved question). Only retrieval is measured: the selector's passage
features were trained on today's fusion.

    PYTHONPATH=src .venv/bin/python eval/fusion_grid.py [--out eval/fusion_grid.json]

Needs the external sets' indexes (`remqa eval --set squad` and `--set covidqa` build them in
eval/NAME/work/) and builds the bundled article's index in a temporary folder (a few minutes
in all). Writes the grid as JSON and prints the best settings by the read parts' sum of
hit@1 + hit@5 + hit@10, with and without the bundled hit@5 gate.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from remqa import Assistant, Settings  # noqa: E402
from remqa.evaluation.evalset import load_eval_set  # noqa: E402
from remqa.evaluation.external_sets import SETS  # noqa: E402
from remqa.evaluation.squad import load_squad  # noqa: E402

WEIGHTS = (0.5, 0.6, 0.75, 0.85, 0.9, 1.0, 1.25, 1.5)
KS = (0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 60.0)
DEPTHS = (1, 5, 10)
Gold = tuple[str, int, int]  # source, start, end
Hit = tuple[str, str, int, int]  # node id, source, start, end
Question = tuple[str, list[Gold], list[list[Hit]]]  # part, gold spans, hits of each leg


def leg_hits(assistant: Assistant, query: str) -> list[list[Hit]]:
    """Each leg's hits for the query, best first."""
    legs = []
    for leg in assistant.retriever.legs:
        hits = sorted(leg.retrieve(query), key=lambda h: -(h.score or 0.0))
        meta = [(h.node.node_id, h.node.metadata) for h in hits]
        legs.append([(i, str(m.get("source")), int(m["start"]), int(m["end"])) for i, m in meta])
    return legs


def external_questions(name: str) -> list[Question]:
    external = SETS[name]
    articles = load_squad(external.data)
    part_of = external.part_rule(articles)
    index = external.work / "index"
    if not index.exists():
        sys.exit(f"{index} is missing: run `remqa eval --set {name}` first, which builds it.")
    settings = Settings(corpus_dir=external.work / "corpus", index_dir=index)
    assistant = Assistant(settings)
    return [
        (str(part_of(a, q)), [(q.article, g.start, g.end) for g in q.answers],
         leg_hits(assistant, q.question))
        for a in articles for q in a.questions if not q.impossible
    ]  # fmt: skip


def bundled_questions(index: Path) -> list[Question]:
    assistant = Assistant(Settings(corpus_dir=REPO / "corpus", index_dir=index))
    assistant.ingest()
    out: list[Question] = []
    for item in load_eval_set(REPO / "eval" / "questions.yaml"):
        if item.rebaselined or not item.spans or item.type == "unanswerable":
            continue
        history = [(turn.question, assistant.ask(turn.question)) for turn in item.history]
        query = assistant.ask(item.question, history=history).resolved_question or item.question
        spans = [(s.source, s.start, s.end) for s in item.spans]
        out.append(("bundled", spans, leg_hits(assistant, query)))
    return out


def fuse(legs: Sequence[Sequence[Hit]], dense_weight: float, k: float) -> list[Hit]:
    score: dict[str, float] = {}
    hit_of: dict[str, Hit] = {}
    for n, leg in enumerate(legs):
        weight = dense_weight if n == 0 else 1.0
        for rank, hit in enumerate(leg):
            score[hit[0]] = score.get(hit[0], 0.0) + weight / (rank + k)
            hit_of[hit[0]] = hit
    return [hit_of[i] for i in sorted(score, key=lambda i: -score[i])]


def holds(hit: Hit, golds: Sequence[Gold]) -> bool:
    return any(hit[1] == src and hit[2] <= start and end <= hit[3] for src, start, end in golds)


def hit_rates(questions: Sequence[Question], dense_weight: float, k: float) -> list[float]:
    found = [0] * len(DEPTHS)
    for _, golds, legs in questions:
        ranked = fuse(legs, dense_weight, k)[: max(DEPTHS)]
        first = next((n for n, hit in enumerate(ranked) if holds(hit, golds)), None)
        for d, depth in enumerate(DEPTHS):
            found[d] += first is not None and first < depth
    return [round(f / len(questions), 4) for f in found]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "eval" / "fusion_grid.json")
    args = parser.parse_args()
    import yaml

    gate = yaml.safe_load((REPO / "eval" / "gates.yaml").read_text())["gates"]["hit_at_5"]["min"]
    groups: dict[str, list[Question]] = {}
    for name in ("squad", "covidqa"):
        questions = external_questions(name)
        for part in ("read", "aggregate"):
            groups[f"{name} {part}"] = [q for q in questions if q[0] == part]
    with tempfile.TemporaryDirectory() as index:
        groups["bundled"] = bundled_questions(Path(index))
    grid = []
    for weight in WEIGHTS:
        for k in KS:
            rates = {g: hit_rates(qs, weight, k) for g, qs in groups.items()}
            read = sum(sum(r) for g, r in rates.items() if g.endswith("read"))
            row = {
                "dense_weight": weight,
                "k": k,
                "hit_at_1_5_10": rates,
                "read_sum": round(read, 4),
                "bundled_gate": rates["bundled"][1] >= gate,
            }
            grid.append(row)
    grid.sort(key=lambda row: -row["read_sum"])
    args.out.write_text(json.dumps({"depths": DEPTHS, "grid": grid}, indent=1) + "\n")
    shipped = next(r for r in grid if r["dense_weight"] == 1.0 and r["k"] == 60.0)
    best = grid[0]
    best_gated = next((r for r in grid if r["bundled_gate"]), None)
    shown = [("shipped", shipped), ("best", best), ("best within the gate", best_gated)]
    for label, chosen in shown:
        if chosen is None:
            continue
        print(f"{label}: dense weight {chosen['dense_weight']}, k {chosen['k']}")
        for group, rates in chosen["hit_at_1_5_10"].items():
            print(f"  {group:18} hit@1 {rates[0]:.3f}  hit@5 {rates[1]:.3f}  hit@10 {rates[2]:.3f}")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
