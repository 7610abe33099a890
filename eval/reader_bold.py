"""Choose the reading model's bold thresholds: src/remqa/answering/reader/bold.json.

The answer leads with the reading model's best span of the chosen sentence, in bold, when
P(the sentence answers) x the span's score reaches the threshold of the question's answer
type. Per type, the threshold is the lowest score from which at least 80% of bold spans are
right (F1 >= 0.5 with a gold answer) over at least 20 of them (train_selector's rule); a
type where none reaches it is never bolded by the reading model.

The predictions are held out from both models: remqa's answers (through `remqa eval`) to
- the reading model's two held-out SQuAD training articles (manifest.json "held_out"),
  answered with the shipped selector, which never saw SQuAD-train;
- the read parts of the SQuAD and COVID-QA development sets, each article or paper group
  answered by selector weights trained without it; the reading model never saw them.
The aggregate parts are never used. Run from the repository root (about 5 minutes):

    PYTHONPATH=src .venv/bin/python eval/reader_bold.py [--reports DIR] [--check]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from train_selector import (  # noqa: E402  (eval/, beside this script)
    BOLD_PRECISION,
    MIN_BOLD_SUPPORT,
    HeldOut,
    bold_thresholds,
)

from remqa.answering.question import analyze  # noqa: E402
from remqa.answering.reader import Reader  # noqa: E402
from remqa.answering.reader.model import BOLD_FILE, manifest  # noqa: E402
from remqa.evaluation.squad import bold_lead, f1, lead_sentence  # noqa: E402

SQUAD_TRAIN = REPO.parent / "shared" / "external" / "squad-train"
TRAIN_FILE = SQUAD_TRAIN / "squad2-train-first10articles.json"
SETS = {  # report name -> the --set it is run with
    "held-out": "",  # written below from the training file
    "squad": "squad",
    "covidqa": "covidqa",
}


def held_out_articles(folder: Path) -> Path:
    """The reading model's held-out training articles, as a SQuAD-format file."""
    data = json.loads(TRAIN_FILE.read_text(encoding="utf-8"))
    keep = set(manifest()["training_data"]["held_out"])
    path = folder / "reader-held-out.json"
    path.write_text(
        json.dumps({"version": data.get("version", "v2.0"),
                    "data": [a for a in data["data"] if a["title"] in keep]}),
        encoding="utf-8",
    )  # fmt: skip
    return path


def run_evals(folder: Path) -> None:
    """`remqa eval` of each set, its report under folder/<name>/."""
    for name, value in SETS.items():
        target = value or str(held_out_articles(folder))
        print(f"remqa eval --set {name} ...", flush=True)
        subprocess.run(
            [str(Path(sys.executable).with_name("remqa")), "eval", "--set", target,
             "--report", str(folder / name)],
            check=False, stdout=subprocess.DEVNULL, cwd=REPO,
        )  # fmt: skip


def golds(data_files: list[Path]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path in data_files:
        for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
            for paragraph in article["paragraphs"]:
                for q in paragraph["qas"]:
                    out[q["id"]] = [a["text"] for a in q["answers"]]
    return out


def predictions(folder: Path, reader: Reader, gold: dict[str, list[str]]) -> list[HeldOut]:
    """Per answered, answerable, non-figure question of the read parts: the reading model's
    bold score on the chosen sentence and whether its span is right."""
    out: list[HeldOut] = []
    for name in SETS:
        report = folder / name / ("covidqa.json" if name == "covidqa" else "squad.json")
        for r in json.loads(report.read_text(encoding="utf-8"))["results"]:
            analysis = analyze(r["question"])
            if r["impossible"] or r["refused"] or analysis.wants_figure or r["part"] != "read":
                continue
            sentence = lead_sentence(r["answer"]).strip()
            bold = bold_lead(r["answer"])
            if bold:  # "**span** — sentence": the sentence alone, as the answerer reads it
                sentence = sentence[len(bold) + len(" — ") :]
            found = reader.spans(r["question"], sentence, limit=1)
            if not found:
                continue
            start, end, score = found[0]
            right = max((f1(sentence[start:end], g) for g in gold[r["id"]]), default=0.0)
            out.append(
                HeldOut(analysis.answer_type, False, float(r["confidence"]),
                        float(r["confidence"]) * score, right >= 0.5)
            )  # fmt: skip
    return out


def summary(held: list[HeldOut], thresholds: dict[str, float]) -> dict[str, Any]:
    """Coverage and precision of the chosen thresholds on the predictions they came from."""
    bold = [h for h in held if h.kind in thresholds and h.bold >= thresholds[h.kind]]
    return {
        "answered_non_figure": len(held),
        "by_type": dict(sorted(Counter(h.kind for h in held).items())),
        "bold": len(bold),
        "coverage": round(len(bold) / len(held), 3) if held else 0.0,
        "precision": round(sum(h.right for h in bold) / len(bold), 3) if bold else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Choose the reading model's bold thresholds per answer type from "
        "held-out remqa answers and write src/remqa/answering/reader/bold.json.",
    )
    parser.add_argument(
        "--reports",
        type=Path,
        help="reuse the eval reports in this folder (held-out/, squad/, covidqa/) instead "
        "of running the evals",
    )
    parser.add_argument("--check", action="store_true", help="print, do not write")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.reports or Path(tmp)
        if args.reports is None:
            run_evals(folder)
        data = [held_out_articles(Path(tmp)), REPO / "eval/squad/squad-dev-3articles.json",
                REPO / "eval/covidqa/covidqa-dev-30papers.json"]  # fmt: skip
        held = predictions(folder, Reader(), golds(data))
    thresholds = bold_thresholds(held, refusal=0.0)
    result = {
        "thresholds": thresholds,
        "precision": BOLD_PRECISION,
        "min_support": MIN_BOLD_SUPPORT,
        "chosen_on": "remqa answers held out from both models: the reading model's held-out "
        "SQuAD training articles and the read parts of the SQuAD and COVID-QA sets",
        "held_out": summary(held, thresholds),
    }
    print(json.dumps(result, indent=1))
    if not args.check:
        BOLD_FILE.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {BOLD_FILE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
