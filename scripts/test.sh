#!/usr/bin/env bash
# Install everything the tests need, then run lint, types and the whole test suite
# (which includes the eval gate). This is the command CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh test
# The browser tests drive Debian's Chromium (Playwright's own browser download does not work
# offline); install it when missing.
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
.venv/bin/ruff check src tests
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
