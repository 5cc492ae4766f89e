"""Staff names on a plan page, family name first (core.names), on a desk and on a phone; and no
template asks Django for the given-name-first ``get_full_name``."""

import datetime as dt
from pathlib import Path

import pytest

from offices.models import Role
from tests import factories
from tests.plans.conftest import agreed_plan

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mobile", [False, True], ids=["1280px", "390px"])
def test_the_plan_page_names_its_author_family_name_first(logged_in_page, cast, mobile):
    misaki = factories.UserFactory(username="misaki", first_name="美咲", last_name="高橋")
    factories.MembershipFactory(user=misaki, office=cast.office_a, role=Role.OFFICE_MANAGER)
    person = factories.ClientFactory(office=cast.office_a, staff_in_charge=cast.alice)
    plan = agreed_plan(person, dt.date(2024, 4, 1), actor_user=misaki)
    page = logged_in_page(cast.bob, mobile=mobile)
    if not mobile:
        page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/plans/{plan.pk}/")
    text = page.inner_text("main")
    assert "作成者: 高橋 美咲" in text
    assert "美咲 高橋" not in text
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_no_template_or_module_uses_the_given_name_first_full_name():
    offenders = [
        str(path.relative_to(ROOT))
        for pattern in ("*/templates/**/*.html", "templates/**/*.html", "*/*.py", "*/views/*.py")
        for path in ROOT.glob(pattern)
        if ".venv" not in path.parts
        and path.name != "names.py"
        and "get_full_name" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
