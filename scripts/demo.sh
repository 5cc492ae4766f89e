#!/usr/bin/env bash
# One command from a fresh clone to a running app with demo data (SQLite, tasks in-process).
set -euo pipefail
cd "$(dirname "$0")/.."
# The settings fail closed: only an explicit DJANGO_DEBUG=true allows the development secret,
# the localhost host names and plain HTTP that a demo on this machine needs.
export DJANGO_DEBUG=true

bash scripts/setup.sh
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py seed_demo
PORT="${PORT:-8000}"
echo
echo "Teichaku is starting at http://127.0.0.1:${PORT}/"
echo "Log in as demo-manager (office manager) or demo-staff (support staff), password teichaku-demo-2024."
exec .venv/bin/python manage.py runserver "127.0.0.1:${PORT}"
