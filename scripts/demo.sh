#!/usr/bin/env bash
# One command from a fresh clone to a running app with demo data (SQLite, tasks in-process).
set -euo pipefail
cd "$(dirname "$0")/.."
# The settings fail closed: only an explicit DJANGO_DEBUG=true allows the development secret,
# the localhost host names and plain HTTP that a demo on this machine needs.
export DJANGO_DEBUG=true
# The claim file's two unverified values (docs/data-contracts.md 5.5) as obvious placeholders, so
# the demo's closed months download a file (its service codes are placeholders too, 47Z0xx). A
# real office sets the values of its 国保連's インタフェース仕様書 instead.
export TEICHAKU_CLAIM_DATA_KIND="${TEICHAKU_CLAIM_DATA_KIND:-Z99}"
export TEICHAKU_CLAIM_SERVICE_RECORD_FORM="${TEICHAKU_CLAIM_SERVICE_RECORD_FORM:-9901}"

bash scripts/setup.sh
PORT="${PORT:-8000}"
.venv/bin/python manage.py migrate --noinput -v 0
# Prints the address and the demo logins (in Japanese); with data already present, only those.
.venv/bin/python manage.py seed_demo --url "http://127.0.0.1:${PORT}/"
echo
exec .venv/bin/python manage.py runserver "127.0.0.1:${PORT}"
