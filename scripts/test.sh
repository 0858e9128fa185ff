#!/usr/bin/env bash
# Set up everything the tests need, then run the whole suite (lint, types, tests).
# Usage: bash scripts/test.sh [extra pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# LibreOffice is the independent reader of every file we write; its tests are not optional.
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1 \
    || ! /usr/bin/python3 -c "import uno" >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "Installing LibreOffice (headless) and poppler-utils from Debian's packages..."
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
      libreoffice-calc-nogui libreoffice-script-provider-python python3-uno poppler-utils
  else
    echo "LibreOffice (soffice), python3-uno and pdftoppm are needed; install them first." >&2
    exit 2
  fi
fi

# Node.js and npm run the xlwings Lite tests under Pyodide (tests/lite/test_pyodide.py installs
# the npm package pyodide itself); those tests are not optional either.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "Installing Node.js and npm from Debian's packages..."
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends nodejs npm
  else
    echo "Node.js (node) and npm are needed; install them first." >&2
    exit 2
  fi
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[dev]"

.venv/bin/ruff check src tests bench scripts
.venv/bin/ruff format --check src tests bench scripts
.venv/bin/mypy
# LibreOffice was installed above, so a test that cannot find it fails rather than skips.
APPLINKS_REQUIRE_LIBREOFFICE=1 .venv/bin/python -m pytest "$@"
