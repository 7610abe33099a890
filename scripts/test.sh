#!/usr/bin/env bash
# Install everything the tests need, then run lint, types and the whole test suite
# (which includes the eval gate). This is the command CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh test
.venv/bin/ruff check src tests
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
