#!/usr/bin/env bash
# Build the one-folder bundle (Linux): bash installer/build.sh [OUT]   (default OUT: installer/)
# Builds in a fresh virtual environment (OUT/venv, recreated each time) holding only the app's runtime
# dependencies from pyproject.toml and PyInstaller, so nothing from a developer's environment (test tools, the
# server stack) is packed. pip's wheel cache keeps a rebuild quick. Result: OUT/dist/Hembesok/Hembesok.
# Needs python3-venv and binutils (strip); installer/system-deps.sh build installs them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mkdir -p "${1:-$root/installer}" && cd "${1:-$root/installer}" && pwd)"
python="${PYTHON:-python3}"
"$python" -m venv --clear "$out/venv"
venv_python="$out/venv/bin/python"
mapfile -t requirements < <("$venv_python" -c '
import sys, tomllib
project = tomllib.load(open(sys.argv[1], "rb"))
print("\n".join(project["project"]["dependencies"] + project["project"]["optional-dependencies"]["bundle"]))
' "$root/pyproject.toml")
"$venv_python" -m pip install --quiet --disable-pip-version-check "${requirements[@]}"
"$venv_python" -m PyInstaller --noconfirm --log-level WARN --distpath "$out/dist" --workpath "$out/build" \
    "$root/installer/hembesok.spec"
echo "Bundle: $out/dist/Hembesok/Hembesok  ($(du -sh "$out/dist/Hembesok" | cut -f1); try: --version)"
