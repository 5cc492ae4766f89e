"""Shared state for ``seed_demo``: each app's ``demo.seed(ctx)`` reads and extends it."""

import datetime as dt
from dataclasses import dataclass, field

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


def demo_logins():
    """(username, roles) of the demo accounts, for the closing message.

    Each app's ``demo`` module may define ``login_roles(user) -> [str]`` describing its roles.
    """
    import importlib
    import importlib.util

    from django.contrib.auth import get_user_model

    from core.management.commands.seed_demo import DEMO_STEPS

    describers = []
    for app in DEMO_STEPS:
        if importlib.util.find_spec(f"{app}.demo") is not None:
            module = importlib.import_module(f"{app}.demo")
            if hasattr(module, "login_roles"):
                describers.append(module.login_roles)
    users = get_user_model().objects.filter(username__startswith="demo-").order_by("username")
    lines = []
    for user in users:
        roles = [str(role) for describe in describers for role in describe(user)]
        if user.is_superuser:
            roles.append("administrator")
        lines.append((user.username, ", ".join(roles) or "-"))
    return lines
