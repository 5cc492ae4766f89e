#!/usr/bin/env bash
# One command from a fresh clone to a running app with demo data (SQLite, tasks in-process).
set -euo pipefail
cd "$(dirname "$0")/.."
# The settings fail closed: only an explicit DJANGO_DEBUG=true allows the development secret,
# the localhost host names and plain HTTP that a demo on this machine needs.
export DJANGO_DEBUG=true

bash scripts/setup.sh
PORT="${PORT:-8000}"
.venv/bin/python manage.py migrate --noinput -v 0
# Prints the address and the demo logins (in Japanese); with data already present, only those.
.venv/bin/python manage.py seed_demo --url "http://127.0.0.1:${PORT}/"
echo
exec .venv/bin/python manage.py runserver "127.0.0.1:${PORT}"
