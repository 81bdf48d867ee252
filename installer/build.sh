#!/usr/bin/env bash
# Build the one-folder bundle into installer/dist/Hembesok (Linux; on Windows run the same pyinstaller line).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet -e . "pyinstaller>=6.5"
python3 -m PyInstaller --noconfirm --clean --distpath installer/dist --workpath installer/build \
    installer/hembesok.spec
echo "Bundle: installer/dist/Hembesok/Hembesok  (try: installer/dist/Hembesok/Hembesok --version)"
