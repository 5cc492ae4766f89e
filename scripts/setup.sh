#!/usr/bin/env bash
# Create .venv, install the project (with the dev extra when asked), compile translations.
# Used by demo.sh and test.sh; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
extra="${1:-}"

"$PYTHON" - <<'PY'
import sys
if sys.version_info < (3, 11):
    sys.exit(f"Teichaku needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
PY

if [ ! -x .venv/bin/python ]; then
    echo "Creating .venv…" >&2
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
spec="."
[ -n "$extra" ] && spec=".[$extra]"
.venv/bin/python -m pip install --quiet -e "$spec"
# Compiling translations needs no secret: debug just for this command, so it runs before the
# production environment is set (docs/development.md, deployment) and on a fresh clone.
DJANGO_DEBUG=true .venv/bin/python manage.py compile_translations
