"""Apps depend downwards only: core < offices < clients, surveys < contacts < plans < billing
< api, voice (the REST API and the person's own channel, on top).

``lint-imports`` (import-linter, pyproject.toml, run by scripts/test.sh) enforces the order on
every import statement. This scan covers the eight apps too and adds what import-linter does not
see: ``import_module("…")`` calls with a literal name. It also keeps the layers written here and in
pyproject.toml in step, and checks that every extension point (core.extensions) names something
that exists, in an app above the page it extends. Scans the source text, so an import inside a
function is caught too.
"""

import ast
import tomllib
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

ROOT = Path(__file__).resolve().parents[2]
# Highest first, as in pyproject.toml; apps in one layer (clients | surveys) are independent.
LAYERS = [
    ["api", "voice"],
    ["billing"],
    ["plans"],
    ["contacts"],
    ["clients", "surveys"],
    ["offices"],
    ["core"],
]
RANK = {app: len(LAYERS) - i for i, layer in enumerate(LAYERS) for app in layer}
APP_PACKAGES = {"offices", "clients", "contacts", "surveys", "plans", "billing", "api", "voice"}
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


def _allowed(importer, imported):
    return importer == imported or RANK[imported] < RANK[importer]


def test_no_app_imports_a_higher_or_sibling_app():
    upward = [
        f"{path.relative_to(ROOT)}:{line} imports {package}"
        for app in RANK
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        for line, package in imported_packages(path.read_text(encoding="utf-8"))
        if package in RANK and not _allowed(app, package)
    ]
    assert upward == []


def test_the_scan_refuses_an_upward_import_and_a_sibling():
    assert not _allowed("clients", "billing")
    assert not _allowed("clients", "surveys")
    assert _allowed("billing", "clients")
    assert _allowed("contacts", "core")


def test_the_import_linter_contract_has_the_same_layers():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = config["tool"]["importlinter"]["contracts"][0]
    assert contract["type"] == "layers"
    layers = [sorted(p.strip() for p in layer.split("|")) for layer in contract["layers"]]
    assert layers == [sorted(layer) for layer in LAYERS]


# The extension points (config/settings.py) and the app whose page each extends.
EXTENSION_POINTS = {
    "WORKLIST_SECTIONS": "contacts",
    "MANAGER_HOME_FIGURES": "contacts",
    "CONTACT_STATS_SECTIONS": "contacts",
    "SUPPORT_REPORT_GOALS": "contacts",
    "CLIENT_TIMELINE_SOURCES": "clients",
    "RETENTION_PANELS": "clients",
    "RETENTION_BILLABLE_PERSON_MONTHS": "clients",
}
TEMPLATE_EXTENSION_POINTS = {
    "QUICK_ENTRY_PANEL_TEMPLATES": "contacts",
    "CLIENT_PAGE_CARD_TEMPLATES": "clients",
}


def test_every_extension_point_names_an_existing_function_of_a_higher_app():
    for name, page_app in EXTENSION_POINTS.items():
        paths = getattr(settings, name)
        assert paths, name
        for path in paths:
            assert callable(import_string(path)), path
            assert RANK[path.split(".")[0]] > RANK[page_app], (name, path)


def test_every_template_extension_point_names_an_existing_template():
    from django.template.loader import get_template

    for name, page_app in TEMPLATE_EXTENSION_POINTS.items():
        for template in getattr(settings, name):
            get_template(template)
            app = template.split("/")[0]
            assert app == page_app or RANK[app] > RANK[page_app], (name, template)
