#!/usr/bin/env python3
"""Compute and verify the character spans used in eval/questions.yaml.

Offsets are Python ``str`` indices (Unicode code points, not bytes) into the
source text read with ``open(path, encoding="utf-8").read()``; ``end`` is
exclusive, so ``quote == text[start:end]``.

Sources are resolved relative to <repo>/corpus/.

Usage:
  python eval/build_spans.py --find "98.8% of gallium production"
      print "start end" of a phrase that occurs exactly once in the source
      (exit 1 if it is absent or ambiguous).
  python eval/build_spans.py --fill
      rewrite start/end of every span line in questions.yaml from its quote
      (write a new span as `{source: FILE, start: 0, end: 0, quote: "..."}`
      then run --fill). Only the numbers on span lines are touched.
  python eval/build_spans.py --check
      validate questions.yaml (spans, gold figures, schema, per-type minimums,
      paraphrase rule); print a one-line summary; exit 1 on any problem.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
QUESTIONS = HERE / "questions.yaml"
DEFAULT_SOURCE = "rare-earths-us-china-russia.txt"

TYPES = ("figure", "multi-figure", "text", "unanswerable", "follow-up")
KEYS = {"id", "type", "question", "figures", "text", "spans", "history", "near_miss", "note",
        "rebaselined"}  # fmt: skip
REQUIRED_KEYS = KEYS - {"note", "rebaselined"}
MINIMUMS = {"figure": 38, "multi-figure": 4, "text": 6, "unanswerable": 12, "follow-up": 6}
MIN_TOTAL = 70
MIN_NEAR_MISS = 7
MAX_QUOTE_CHARS = 200          # gold spans must stay tight
MAX_SHARED_RUN = 4             # paraphrase rule: no run of > 4 words copied from the source
# Proper names that a question may reuse verbatim (they break a copied-word run).
NAMES = [
    "us geological survey", "mountain pass", "mp materials", "shenghe resources holding",
    "shenghe resources", "rusatom metaltech", "elemash magnet", "new materials and chemistry",
    "technology of new materials and substances", "ministry of industry and trade",
    "department of defense", "anton alikhanov", "denis manturov", "keir starmer",
]
UNIT_WORDS = ("million", "billion", "thousand", "tons", "year")
QUALIFIERS = {"about", "around", "more", "than", "over", "up", "to", "nearly", "approximately"}
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SPAN_LINE_RE = re.compile(r"^(\s*-\s*)(\{source:.*\})\s*$")


def corpus_dir() -> Path:
    return REPO / "corpus"


_cache: dict[str, str] = {}


def source_text(name: str) -> str:
    if name not in _cache:
        _cache[name] = open(corpus_dir() / name, encoding="utf-8").read()
    return _cache[name]


def find_span(phrase: str, source: str = DEFAULT_SOURCE) -> tuple[int, int]:
    """Return (start, end) of `phrase`, which must occur exactly once in `source`."""
    text = source_text(source)
    start = text.find(phrase)
    if start < 0:
        raise ValueError(f"phrase not found in {source}: {phrase!r}")
    if text.find(phrase, start + 1) >= 0:
        raise ValueError(f"phrase occurs more than once in {source}: {phrase!r}")
    return start, start + len(phrase)


# ---------------------------------------------------------------- figure matching
def _norm(s: str) -> str:
    s = re.sub(r"(?<=\d),(?=\d{3})", "", s)          # 1,000 -> 1000
    return re.sub("[\u2010-\u2015\u2212]", "-", s).lower()


def _numbers(s: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?", _norm(s))


def figure_in_quote(figure: str, quote: str) -> bool:
    """Loose match: the figure's numbers (and % / $ / unit words) occur in the quote.
    A figure without digits ("eightfold", "two times") must have its words in the quote."""
    f, q = _norm(figure), _norm(quote)
    nums = _numbers(f)
    if nums:
        qnums = set(_numbers(q))
        if not all(n in qnums for n in nums):
            return False
        if "%" in f and "%" not in q:
            return False
        if "$" in f and "$" not in q:
            return False
        return all(w in q for w in UNIT_WORDS if re.search(rf"\b{w}\b", f))
    words = [w for w in re.findall(r"[a-z]+", f) if w not in QUALIFIERS]
    return bool(words) and all(re.search(rf"\b{re.escape(w)}\b", q) for w in words)


# ---------------------------------------------------------------- paraphrase rule
def _tokens(s: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:['\u2019][a-z]+)*", s.lower())


def longest_copied_run(question: str, source: str) -> tuple[int, str]:
    """Longest run of consecutive words shared by question and source (names masked)."""
    q = question.lower()
    for i, name in enumerate(sorted(NAMES, key=len, reverse=True)):
        q = q.replace(name, f" zzname{i}zz ")
    qt, st = _tokens(q), _tokens(source)
    best, best_run = 0, ""
    prev = [0] * (len(st) + 1)
    for i in range(1, len(qt) + 1):
        cur = [0] * (len(st) + 1)
        for j in range(1, len(st) + 1):
            if qt[i - 1] == st[j - 1]:
                cur[j] = prev[j - 1] + 1
                if cur[j] > best:
                    best, best_run = cur[j], " ".join(qt[i - cur[j]:i])
        prev = cur
    return best, best_run


# ---------------------------------------------------------------- modes
def load_items() -> list[dict]:
    with open(QUESTIONS, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, list):
        raise SystemExit(f"{QUESTIONS}: top level must be a YAML list")
    return data


def check() -> int:
    problems: list[str] = []
    try:
        items = load_items()
    except (OSError, yaml.YAMLError) as exc:
        print(f"FAIL: cannot load {QUESTIONS}: {exc}")
        return 1

    ids = Counter(it.get("id") for it in items if isinstance(it, dict))
    types: Counter = Counter()
    near_miss = n_spans = 0
    for n, it in enumerate(items):
        if not isinstance(it, dict):
            problems.append(f"item #{n}: not a mapping")
            continue
        iid = it.get("id", f"#{n}")
        p = lambda msg: problems.append(f"{iid}: {msg}")  # noqa: E731
        missing, extra = REQUIRED_KEYS - it.keys(), it.keys() - KEYS
        if missing:
            p(f"missing keys {sorted(missing)}")
        if extra:
            p(f"unknown keys {sorted(extra)}")
        if missing:
            continue
        if not isinstance(iid, str) or not ID_RE.match(iid):
            p("id is not kebab-case")
        if ids[iid] > 1:
            p("duplicate id")
        typ = it["type"]
        if typ not in TYPES:
            p(f"invalid type {typ!r}")
            continue
        types[typ] += 1
        figures, texts, spans, history = it["figures"], it["text"], it["spans"], it["history"]
        if not all(isinstance(x, list) for x in (figures, texts, spans, history)):
            p("figures/text/spans/history must be lists")
            continue
        if not isinstance(it["question"], str) or not it["question"].strip():
            p("empty question")
        if "rebaselined" in it and not (isinstance(it["rebaselined"], str) and it["rebaselined"]):
            p("rebaselined must say why, as text")
        if not isinstance(it["near_miss"], bool):
            p("near_miss must be true/false")
        if it["near_miss"] and typ != "unanswerable":
            p("near_miss may only be true for unanswerable items")
        near_miss += bool(typ == "unanswerable" and it["near_miss"] is True)

        # paraphrase rule (questions and history questions)
        qs = [it["question"]] + [h.get("question", "") for h in history if isinstance(h, dict)]
        for q in qs:
            run, words = longest_copied_run(str(q), source_text(DEFAULT_SOURCE))
            if run > MAX_SHARED_RUN:
                p(f"question copies {run} consecutive source words: {words!r}")

        # spans
        quotes: list[str] = []
        for s in spans:
            if not isinstance(s, dict) or set(s) != {"source", "start", "end", "quote"}:
                p(f"span must have exactly source/start/end/quote: {s!r}")
                continue
            n_spans += 1
            try:
                text = source_text(s["source"])
            except OSError:
                p(f"unknown source {s['source']!r}")
                continue
            st, en, quote = s["start"], s["end"], s["quote"]
            if not (isinstance(st, int) and isinstance(en, int) and 0 <= st < en <= len(text)):
                p(f"bad offsets {st}..{en}")
                continue
            if text[st:en] != quote:
                p(f"span {st}..{en} is {text[st:en]!r}, quote is {quote!r}")
            if len(quote) > MAX_QUOTE_CHARS:
                p(f"span longer than {MAX_QUOTE_CHARS} chars (keep gold spans tight)")
            quotes.append(quote)

        # type-specific content
        if typ == "unanswerable":
            if figures or texts or spans:
                p("unanswerable items must have empty figures, text and spans")
        else:
            if not spans:
                p("answerable item without spans")
        if typ == "follow-up":
            if not history:
                p("follow-up needs a history")
            for h in history:
                if not isinstance(h, dict) or set(h) != {"question"} or not str(h["question"]).strip():
                    p("history entries must be {question: ...} only")
        elif history:
            p("history is only for follow-up items")
        if typ == "text":
            if not texts or figures:
                p("text items need text strings and empty figures")
            for t in texts:
                if not any(str(t).lower() in q.lower() for q in quotes):
                    p(f"text {t!r} not found in any span quote")
        else:
            if texts:
                p("text must be [] unless type is text")
        if typ in ("figure", "multi-figure", "follow-up"):
            if not figures:
                p("figure item without gold figures")
            if typ == "multi-figure":
                if len(figures) < 2:
                    p("multi-figure needs at least two figures")
                if len(spans) < len(figures):
                    p("multi-figure needs a span per figure")
                for q in quotes:
                    if not any(figure_in_quote(str(f), q) for f in figures):
                        p(f"span {q!r} holds none of the gold figures")
            for f in figures:
                if not isinstance(f, str):
                    p(f"figure {f!r} must be a string")
                elif not any(figure_in_quote(f, q) for q in quotes):
                    p(f"figure {f!r} not found in any span quote")
        elif typ == "unanswerable" and figures:
            pass  # already reported

    total = sum(types.values())
    for typ, need in MINIMUMS.items():
        if types[typ] < need:
            problems.append(f"only {types[typ]} {typ} items (need >= {need})")
    if total < MIN_TOTAL:
        problems.append(f"only {total} items (need >= {MIN_TOTAL})")
    if near_miss < MIN_NEAR_MISS:
        problems.append(f"only {near_miss} near-miss unanswerables (need >= {MIN_NEAR_MISS})")

    counts = ", ".join(f"{t}={types[t]}" for t in TYPES)
    if problems:
        for msg in problems:
            print(f"  - {msg}")
        print(f"FAIL: {len(problems)} problem(s) in {total} items ({counts}; near_miss={near_miss})")
        return 1
    print(f"OK: {total} items ({counts}; near_miss={near_miss}), {n_spans} spans verified")
    return 0


def fill() -> int:
    lines = QUESTIONS.read_text(encoding="utf-8").splitlines(keepends=True)
    changed = 0
    for i, line in enumerate(lines):
        m = SPAN_LINE_RE.match(line.rstrip("\n"))
        if not m:
            continue
        span = yaml.safe_load(m.group(2))
        start, end = find_span(span["quote"], span["source"])
        new = (f'{m.group(1)}{{source: {span["source"]}, start: {start}, end: {end}, '
               f'quote: {json.dumps(span["quote"], ensure_ascii=False)}}}\n')
        if new != line:
            lines[i] = new
            changed += 1
    QUESTIONS.write_text("".join(lines), encoding="utf-8")
    print(f"filled {changed} span line(s)")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--check", action="store_true", help="validate questions.yaml")
    g.add_argument("--find", metavar="PHRASE", help="print start/end of a unique phrase")
    g.add_argument("--fill", action="store_true", help="recompute start/end of span lines from quotes")
    ap.add_argument("--source", default=DEFAULT_SOURCE, help="source file name (for --find)")
    args = ap.parse_args(argv)
    if args.check:
        return check()
    if args.fill:
        return fill()
    try:
        start, end = find_span(args.find, args.source)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{start} {end}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
