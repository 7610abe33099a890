#!/usr/bin/env bash
# Create .venv and install remqa into it (idempotent; quick when already installed).
# torch is installed first, pinned to the CPU build, so sentence-transformers does not
# pull a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"  # e.g. "test"
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet "torch==2.13.0"
if [ -n "$extras" ]; then
  .venv/bin/python -m pip install --quiet -e ".[$extras]"
else
  .venv/bin/python -m pip install --quiet -e .
fi
echo "remqa installed in .venv ($(.venv/bin/remqa --version))"
