#!/usr/bin/env bash
# One command from a fresh clone to a tested tree: lint, migration drift, translations, tests.
# Extra arguments go to pytest. DATABASE_URL selects the database (SQLite by default).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh dev
export DJANGO_SETTINGS_MODULE=config.test_settings
echo "== ruff" >&2
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== apps depend downwards only (import-linter, pyproject.toml)" >&2
.venv/bin/lint-imports --no-cache
echo "== migrations are in step with the models" >&2
.venv/bin/python manage.py makemigrations --check --dry-run
echo "== translations complete" >&2
.venv/bin/python manage.py compile_translations --check
echo "== tests (database: ${DATABASE_URL:-SQLite})" >&2
exec .venv/bin/python -m pytest "$@"
