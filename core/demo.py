"""Shared state for ``seed_demo``: each app's ``demo.seed(ctx)`` reads and extends it."""

import datetime as dt
import importlib
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _

DEMO_PASSWORD = "teichaku-demo-2024"
# The demo's "today": fixed so that the data and every figure derived from it are deterministic.
DEMO_TODAY = dt.date(2026, 11, 27)


@dataclass
class DemoContext:
    rng: object
    log: object
    today: dt.date = DEMO_TODAY
    corporations: dict = field(default_factory=dict)
    offices: dict = field(default_factory=dict)  # office_number → Office
    users: dict = field(default_factory=dict)  # username → User
    extra: dict = field(default_factory=dict)


def demo_steps():
    """The ``demo`` module of each installed app that has one with a ``seed(ctx)``, in
    INSTALLED_APPS order, each building on the apps before it. Core names no app: the apps
    offer their steps, as they offer navigation entries and import kinds.

    A step may also define ``already_seeded() -> bool`` and ``login_roles(user) -> [(role,
    place)]`` (translated labels: the role, and the office, corporation or scope it applies to).
    """
    steps = []
    for config in apps.get_app_configs():
        if config.module is None or not module_has_submodule(config.module, "demo"):
            continue
        module = importlib.import_module(f"{config.name}.demo")
        if hasattr(module, "seed"):
            steps.append(module)
    return steps


def already_seeded():
    return any(step.already_seeded() for step in demo_steps() if hasattr(step, "already_seeded"))


def demo_logins():
    """(username, roles) of the demo accounts, for the closing message; the roles are one
    string in the active language, e.g. 「管理者（あおば就労定着支援センター新宿）」."""
    describers = [step.login_roles for step in demo_steps() if hasattr(step, "login_roles")]
    users = get_user_model().objects.filter(username__startswith="demo-").order_by("username")
    lines = []
    for user in users:
        roles = [
            _("%(role)s (%(place)s)") % {"role": role, "place": place}
            for describe in describers
            for role, place in describe(user)
        ]
        if user.is_superuser:
            roles.append(str(_("system administrator")))
        lines.append((user.username, " / ".join(roles) or "-"))
    return lines
