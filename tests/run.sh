#!/usr/bin/env bash
# The whole test command: installs what the tests need, then lint, types, layer rules and every test.
# README's second set-up command and .ci/run both call exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash installer/system-deps.sh
python3 -m pip install --quiet --disable-pip-version-check -e ".[dev]"
export QT_QPA_PLATFORM=offscreen
echo "== ruff"; python3 -m ruff check .
echo "== mypy"; python3 -m mypy
echo "== import-linter"; lint-imports --no-cache
echo "== pytest"; python3 -m pytest -q "$@"
