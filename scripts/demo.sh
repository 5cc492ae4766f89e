#!/usr/bin/env bash
# One command from a fresh clone to a running app with demo data (SQLite, tasks in-process).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py seed_demo
PORT="${PORT:-8000}"
echo
echo "Teichaku is starting at http://127.0.0.1:${PORT}/"
echo "Log in as demo-manager (office manager) or demo-staff (support staff), password teichaku-demo-2024."
exec .venv/bin/python manage.py runserver "127.0.0.1:${PORT}"
