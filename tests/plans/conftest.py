import datetime as dt

import pytest

from core import calendar
from plans import services
from plans.models import LifeDomain
from tests import factories

TODAY = dt.date(2025, 6, 16)


@pytest.fixture
def today(monkeypatch):
    """Pages and rules see 16 June 2025 as today in Japan."""
    monkeypatch.setattr(calendar, "today", lambda: TODAY)
    return TODAY


def full_role_map(**gaps):
    """Everyone covered by this office, except the domains given as gaps (``money=[]``)."""
    return {code: gaps.get(code, ["this_office"]) for code in LifeDomain.values}


def agreed_plan(client, plan_date, *, actor_user=None, role_map=None, goals="", review_by=None):
    """A version drafted, approved and agreed on its plan date."""
    from core.audit import Actor

    actor = Actor.command(actor_user)
    plan = services.plan_create(
        client=client,
        actor=actor,
        plan_date=plan_date,
        next_review_by=review_by,
        short_term_goals=goals,
        role_map=role_map if role_map is not None else full_role_map(),
    )
    services.plan_approve(plan=plan, actor=actor, approved_on=plan_date)
    services.plan_consent(
        plan=plan, actor=actor, consented_on=plan_date, consent_method="signature"
    )
    return plan


@pytest.fixture
def person(cast):
    return factories.ClientFactory(
        office=cast.office_a,
        staff_in_charge=cast.alice,
        client_code="P001",
        family_name="梅沢",
        given_name="花子",
        service_start=dt.date(2024, 4, 1),
        plan_type="consultation_plan",
    )
