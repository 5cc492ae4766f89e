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
    """(username, description) of the demo accounts that exist, for the closing message."""
    from django.contrib.auth import get_user_model

    from offices.models import CorporationManager, Membership

    users = get_user_model().objects.filter(username__startswith="demo-").order_by("username")
    lines = []
    for user in users:
        roles = [
            f"{m.get_role_display()} @ {m.office.name}"
            for m in Membership.objects.filter(user=user).select_related("office")
        ]
        roles += [
            f"corporation manager @ {c.corporation.name}"
            for c in CorporationManager.objects.filter(user=user).select_related("corporation")
        ]
        if user.is_superuser:
            roles.append("administrator")
        lines.append((user.username, ", ".join(str(r) for r in roles) or "-"))
    return lines
