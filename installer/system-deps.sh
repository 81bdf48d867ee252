#!/usr/bin/env bash
# System packages for a Debian/Ubuntu machine: `bash installer/system-deps.sh [app|server|all]` (default all).
# Installs only what is missing (with sudo when not root). installer/venv.sh calls it before it sets up .venv.
#   python3-venv   the project's virtual environment (.venv); every set needs it
#   app            Qt's runtime libraries for the offscreen and xcb platforms, fonts-dejavu-core
#   server         postgresql: the dev server and the tests start a throwaway cluster; a production server may
#                  use a database elsewhere (docs/deployment.md)
#   all (tests)    app + server + sqlcipher (the storage tests prove the file is encrypted), poppler-utils
#                  (pdftoppm renders printed drafts), xvfb (a virtual screen for screenshots of the real window),
#                  libpython3-dev, binutils, gcc, icu-devtools: building the bundle (tests/installer/test_bundle.py
#                  and installer/build.sh: PyInstaller's shared libpython, strip, the trimmed ICU data)
set -euo pipefail
app_packages=(fonts-dejavu-core libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
              libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0)
case "${1:-all}" in
  app) packages=(python3-venv "${app_packages[@]}") ;;
  server) packages=(python3-venv postgresql) ;;
  all) packages=(python3-venv postgresql sqlcipher poppler-utils xvfb libpython3-dev binutils gcc icu-devtools
                 "${app_packages[@]}") ;;
  *) echo "usage: bash installer/system-deps.sh [app|server|all]" >&2; exit 2 ;;
esac
if ! command -v dpkg-query >/dev/null; then
  echo "installer/system-deps.sh: not Debian/Ubuntu; install the equivalents of: ${packages[*]}" >&2
  exit 0
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  sudo_cmd=()
elif command -v sudo >/dev/null; then
  sudo_cmd=(sudo)
else
  echo "installer/system-deps.sh: needs these packages: ${missing[*]}; run as root or install sudo" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
