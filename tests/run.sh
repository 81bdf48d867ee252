#!/usr/bin/env bash
# The whole test command: installs what the tests need into the project's .venv (installer/venv.sh dev, system
# packages included), then lint, types, layer rules and every test. README's second set-up command and .ci/run both
# call exactly this. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash installer/venv.sh dev
export VIRTUAL_ENV="$PWD/.venv" PATH="$PWD/.venv/bin:$PATH" QT_QPA_PLATFORM=offscreen
unset PYTHONHOME PYTHONPATH  # the checkout's own code and the venv's packages, whatever the caller had
echo "== ruff"; python -m ruff check .
echo "== mypy"; python -m mypy
echo "== import-linter"; lint-imports --no-cache
# Three workers on two cores, a test file whole to one of them (its module fixtures made once): while one waits on a
# child process, a server or a timer, another has the core. docs/testing.md, "In parallel".
echo "== pytest"; python -m pytest -q -n 3 --dist loadfile --durations=15 "$@"  # the slowest named, to keep it short
