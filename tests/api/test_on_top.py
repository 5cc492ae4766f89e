"""The API sits on top: it imports the apps' selectors and services, and no app imports it (only
the project's URLs and error handlers in ``config`` name it)."""

from pathlib import Path

from tests.core.test_layering import imported_packages

ROOT = Path(__file__).resolve().parents[2]
APPS_BELOW = ("core", "offices", "clients", "contacts", "plans", "surveys", "billing")


def test_no_app_below_imports_the_api():
    upward = [
        f"{path.relative_to(ROOT)}:{line}"
        for app in APPS_BELOW
        for path in sorted((ROOT / app).rglob("*.py"))
        for line, package in imported_packages(path.read_text(encoding="utf-8"))
        if package == "api"
    ]
    assert upward == []


def test_the_api_writes_no_model_itself():
    """Views call services: no ``.save(``, ``.create(``, ``.update(`` or ``.delete(`` in the
    API's views (its own token model is written by ``api/services.py``)."""
    views = (ROOT / "api" / "views.py").read_text(encoding="utf-8")
    for call in (".save(", ".objects.create(", ".update(", ".delete("):
        assert call not in views, call
