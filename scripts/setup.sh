#!/usr/bin/env bash
# Set up everything resumec needs on a Debian/Ubuntu machine, idempotently:
#   system libraries and fonts (apt), a virtualenv in .venv, resumec + dev tools.
# Usage: scripts/setup.sh [--test]   (--test adds the tools the test suite uses)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
if [ "${1:-}" = "--test" ]; then
  want_test=1
fi

# Pango/HarfBuzz for WeasyPrint; libharfbuzz-subset0 makes font subsetting several times
# faster; Noto fonts cover Greek, Cyrillic, CJK, Arabic and Hebrew names; Carlito, Caladea and
# Liberation are the metric-compatible stand-ins for the Word fonts the DOCX themes name.
pkgs=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig
      fonts-noto-core fonts-noto-cjk fonts-crosextra-carlito fonts-crosextra-caladea
      fonts-liberation2)
# The tests read PDFs with poppler and convert DOCX to PDF with LibreOffice.
if [ "$want_test" = 1 ]; then
  pkgs+=(poppler-utils libreoffice-writer-nogui)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "resumec needs these system packages (Debian names): ${missing[*]}" >&2
    echo "Install their equivalents with your package manager, then run this again." >&2
    exit 1
  fi
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    sudo="sudo"
  fi
  if [ -n "$sudo" ] && ! command -v sudo >/dev/null; then
    echo "Missing system packages; run as root:" >&2
    echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing system packages: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

py=${PYTHON:-python3}
if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "resumec needs Python 3.11 or newer ($py is $("$py" --version 2>&1))" >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$py" -m venv .venv
stamp=.venv/.resumec-installed
extra=""
if [ "$want_test" = 1 ]; then
  stamp=.venv/.resumec-installed-dev
  extra="[dev]"
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt \
    -e ".${extra}"
  touch "$stamp"
fi
