import datetime as dt

import pytest

from tests import factories

pytestmark = pytest.mark.browser


def test_client_list_and_page_work_at_phone_width(logged_in_page, cast):
    hanako = factories.ClientFactory(
        office=cast.office_a, client_code="A-001", family_name="髙橋", given_name="花子",
        family_name_kana="タカハシ", given_name_kana="ハナコ", service_start=dt.date(2024, 4, 1),
    )  # fmt: skip
    factories.EmploymentFactory(
        client=hanako,
        employer=factories.EmployerFactory(office=cast.office_a, name="株式会社みらい"),
        start_date=dt.date(2023, 10, 1),
    )
    page = logged_in_page(cast.alice, mobile=True)
    page.goto("/clients/")
    link = page.get_by_role("link", name="髙橋 花子")
    assert link.is_visible()
    assert page.locator("input[name=q]").is_visible()
    # Nothing overflows the 390px viewport horizontally except inside scrollable tables.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    link.click()
    page.wait_for_url(f"**/clients/{hanako.pk}/")
    assert page.locator("#client-name").inner_text() == "髙橋 花子"
    assert page.locator("#client-timeline").is_visible()
    assert page.get_by_text("株式会社みらいに就職").is_visible()
    assert page.get_by_role("link", name="就労記録を追加").is_visible()
