"""The administrator lands on a start page (offices, staff, fee tables and codes, what needs
attention) instead of "ask your administrator", on a desk and on a phone; the administration
site names the login lockout and two-factor sections in Japanese."""

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from tests import factories


@pytest.fixture
def admin_user(cast):
    """An administrator in no office; office A2 has no manager; one account is locked out."""
    AccessAttempt.objects.create(
        username="mallory",
        ip_address="192.0.2.7",
        user_agent="test",
        failures_since_start=50,
        attempt_time=timezone.now(),
    )
    factories.UserFactory(username="newcomer", first_name="新", last_name="人")
    return factories.UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mobile", [False, True], ids=["1280px", "390px"])
def test_the_administrator_starts_from_offices_staff_fees_and_what_needs_attention(
    logged_in_page, cast, admin_user, mobile
):
    page = logged_in_page(admin_user, mobile=mobile)
    if not mobile:
        page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    text = page.inner_text("main")
    assert "管理者に" not in text  # not "ask your administrator"
    start = page.locator("#admin-start").inner_text()
    assert "事業所" in start and "3" in start  # offices A, A2 and B
    assert "職員" in start and "報酬告示" in start and "加算・減算" in start
    attention = page.locator("#admin-attention").inner_text()
    assert cast.office_a2.name in attention  # no manager
    assert "newcomer" in attention  # in no office
    assert "mallory" in attention and "192.0.2.7" in attention  # locked out
    if mobile:
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.django_db
def test_the_admin_index_names_lockouts_and_two_factor_in_japanese(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ja")
    if page.status_code == 302:
        pytest.skip("the administration site asks for a second factor first")
    text = page.content.decode()
    assert "ログイン制限（ロックアウト）" in text and "ログイン試行" in text
    assert "二段階認証" in text and "認証アプリ" in text
    assert "Axes" not in text and "TOTP device" not in text
