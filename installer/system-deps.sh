#!/usr/bin/env bash
# System packages the app and its tests need on a Debian/Ubuntu machine. Installs only what is missing.
#   postgresql     the central sync server's database (sync tests start a throwaway cluster)
#   sqlcipher      the command-line tool the storage tests use to prove the file is encrypted
#   poppler-utils  pdftoppm, to render printed drafts to PNG
#   xvfb           a virtual screen for screenshots of the real window
#   fonts-dejavu-core, Qt's runtime libraries for the offscreen and xcb platforms
#   python3-venv, libpython3-dev, binutils, gcc, icu-devtools   building the bundle (tests/installer/test_bundle.py
#                  and installer/build.sh: a fresh venv, PyInstaller's shared libpython, strip, the trimmed ICU data)
#   `system-deps.sh app` installs only what the desktop app needs to run (Qt's runtime libraries).
set -euo pipefail
app_packages=(fonts-dejavu-core libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
              libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0)
if [ "${1:-all}" = "app" ]; then
  packages=("${app_packages[@]}")
else
  packages=(postgresql sqlcipher poppler-utils xvfb python3-venv libpython3-dev binutils gcc icu-devtools
            "${app_packages[@]}")
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
else
  sudo_cmd=()
fi
echo "Installing system packages: ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
