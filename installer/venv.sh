#!/usr/bin/env bash
# The project's own Python environment: `bash installer/venv.sh SET [COMMAND ARGS...]`
#   SET      app     the desktop app
#            server  the central sync server (and PostgreSQL for its dev mode)
#            dev     everything the tests need (the app, the server, test and lint tools)
#   COMMAND  runs inside the environment (its bin/ first on PATH), e.g. `python main.py --demo`.
# Installs the Debian/Ubuntu packages SET needs (installer/system-deps.sh, python3-venv included), creates .venv in
# the checkout on first use and installs the project into it, again only when pyproject.toml or SET changed.
# Why: Debian 12 and Ubuntu 24.04 refuse `pip install` into the system Python (PEP 668, externally managed).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
case "${1:-}" in
  app) extras=""; deps=app ;;
  server) extras="[server]"; deps=server ;;
  dev) extras="[dev]"; deps=all ;;
  *) echo "usage: bash installer/venv.sh app|server|dev [COMMAND ARGS...]" >&2; exit 2 ;;
esac
set_name="$1"
shift
bash "$root/installer/system-deps.sh" "$deps"
venv="$root/.venv"
if ! "$venv/bin/python" -c "" 2>/dev/null; then
  # Missing, or left by a Python that is gone (an upgrade): made anew; it holds nothing but installed packages.
  if [ -e "$venv" ] && [ ! -f "$venv/pyvenv.cfg" ]; then
    echo "installer/venv.sh: $venv exists but is not a virtual environment; move it away" >&2
    exit 1
  fi
  rm -rf "$venv"
  echo "Creating the virtual environment $venv"
  "${PYTHON:-python3}" -m venv "$venv"
fi
# One stamp per set, holding the pyproject.toml it was installed from; dev includes the other two.
wanted="$(sha256sum "$root/pyproject.toml" | cut -d' ' -f1)"
installed() { [ "$(cat "$venv/.installed-$1" 2>/dev/null)" = "$wanted" ]; }
if ! installed "$set_name" && ! installed dev; then
  echo "Installing Hembesök ($set_name) and its Python packages into .venv (the first time takes a few minutes)"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    -e "$root$extras"
  echo "$wanted" > "$venv/.installed-$set_name"
fi
[ $# -eq 0 ] && exit 0
export VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH"
unset PYTHONHOME
exec "$@"
