"""Start the remqa chat in the browser: `python app.py` (same as `remqa serve`).

Settings come from REMQA_* environment variables (see README), e.g.
REMQA_CORPUS_DIR, REMQA_INDEX_DIR, REMQA_HOST, REMQA_PORT, REMQA_AUTH.
"""

from remqa.cli import main

if __name__ == "__main__":
    raise SystemExit(main(["serve"]))
