"""Core is the bottom layer: it must not reach up into the apps built on it.

Apps plug into core through registries (navigation, import kinds, demo steps), never the other
way round. Scans the source text, so an import inside a function is caught too.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_PACKAGES = {"offices", "clients", "contacts", "surveys"}
CORE_SOURCES = sorted((ROOT / "core").rglob("*.py"))


def imported_packages(source):
    """(line, top-level package) of every import statement and import_module("…") call."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module.split(".")[0]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value.split(".")[0]


def test_the_scan_sees_imports_at_module_level_and_inside_functions():
    source = (
        "import clients.models\n"
        "from django.db import models\n"
        "def f():\n"
        "    from offices.scoping import is_member\n"
        "    importlib.import_module('surveys.demo')\n"
    )
    found = {package for _line, package in imported_packages(source)}
    assert found & APP_PACKAGES == {"clients", "offices", "surveys"}


def test_core_has_sources_to_scan():
    assert len(CORE_SOURCES) > 10


def test_core_imports_no_app_package():
    upward = [
        f"{path.relative_to(ROOT)}:{line} imports {package}"
        for path in CORE_SOURCES
        for line, package in imported_packages(path.read_text(encoding="utf-8"))
        if package in APP_PACKAGES
    ]
    assert upward == []


def test_the_client_page_names_no_contacts_template():
    """The contacts card reaches the client page through ``clients.timeline.register_card``."""
    templates = (ROOT / "clients" / "templates").rglob("*.html")
    assert [t.name for t in templates if "contacts/" in t.read_text(encoding="utf-8")] == []
