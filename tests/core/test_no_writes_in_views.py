"""Views, management commands and tasks never write a model themselves: they call a service
(``<app>/services.py``: atomic, audited, keyword-only arguments).

Walks the source of every app's views (``views.py``, ``*_views.py``, a ``views/`` package), its
management commands and its tasks for direct model writes: ``.save()`` (but a form's
``save(commit=False)``, which writes nothing), ``.create()``, ``.delete()``, ``get_or_create``,
``update_or_create``, ``bulk_create``, ``bulk_update``, and ``.update(`` on a queryset (a chain of
calls or ``.objects``; a dict's ``update`` is not a write).

``ALLOWED`` lists what is left; it may only shrink: an entry whose write is gone fails the test
too, so that it is struck from the list.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("core", "offices", "clients", "surveys", "contacts", "plans", "billing")
WRITES = {
    "save",
    "create",
    "delete",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
}

# (file, function, method): the writes still made by a view, command or task. Only shrinks.
ALLOWED = set()


def edge_sources():
    """Every view, command and task module of the apps."""
    for app in APPS:
        base = ROOT / app
        yield from sorted(base.glob("views.py"))
        yield from sorted(base.glob("*_views.py"))
        yield from sorted((base / "views").glob("*.py"))
        yield from sorted((base / "management" / "commands").glob("*.py"))
        yield from sorted(base.glob("tasks.py"))


def _is_queryset(node):
    """A receiver that is a queryset: a chain of calls (``x.filter(...)``) or ``X.objects``."""
    return isinstance(node, ast.Call) or (
        isinstance(node, ast.Attribute) and node.attr == "objects"
    )


def writes_in(source):
    """(function, method, line) of every direct model write in ``source``."""
    found = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            name = function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = child.name
            if isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute):
                method = child.func.attr
                commit_false = any(
                    k.arg == "commit"
                    and isinstance(k.value, ast.Constant)
                    and k.value.value is False
                    for k in child.keywords
                )
                if (method in WRITES and not (method == "save" and commit_false)) or (
                    method == "update" and _is_queryset(child.func.value)
                ):
                    found.append((function, method, child.lineno))
            visit(child, name)

    visit(ast.parse(source), "<module>")
    return found


def test_the_scan_sees_each_kind_of_write():
    source = (
        "def view(request):\n"
        "    form.save()\n"
        "    form.save(commit=False)\n"
        "    Thing.objects.create(a=1)\n"
        "    thing.delete()\n"
        "    Thing.objects.get_or_create(a=1)\n"
        "    Thing.objects.filter(a=1).update(b=2)\n"
        "    context.update(b=2)\n"
        "    Thing.objects.bulk_create([])\n"
        "    def inner():\n"
        "        Thing.objects.update_or_create(a=1)\n"
    )
    assert [(f, m) for f, m, _line in writes_in(source)] == [
        ("view", "save"),
        ("view", "create"),
        ("view", "delete"),
        ("view", "get_or_create"),
        ("view", "update"),
        ("view", "bulk_create"),
        ("inner", "update_or_create"),
    ]


def test_there_are_views_commands_and_tasks_to_scan():
    paths = {p.relative_to(ROOT).as_posix() for p in edge_sources()}
    assert "clients/views.py" in paths
    assert "contacts/views/entry.py" in paths
    assert "core/management/commands/seed_demo.py" in paths
    assert "contacts/tasks.py" in paths


def test_no_view_command_or_task_writes_a_model_itself():
    found = {}
    for path in edge_sources():
        rel = path.relative_to(ROOT).as_posix()
        for function, method, line in writes_in(path.read_text(encoding="utf-8")):
            found.setdefault((rel, function, method), []).append(line)
    new = {key: lines for key, lines in found.items() if key not in ALLOWED}
    assert new == {}, "write through a service instead"
    gone = ALLOWED - set(found)
    assert gone == set(), "these writes are gone: strike them from ALLOWED"
