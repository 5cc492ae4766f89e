"""The web check-in on a 390px phone in chromium: large choices, readings when asked for."""

import pytest
from django.urls import reverse

from core.audit import Actor
from tests import factories
from voice import services
from voice.models import CheckIn


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="ja-JP", is_mobile=True, has_touch=True,
        viewport={"width": 390, "height": 844},
    )  # fmt: skip
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_person_checks_in_on_a_phone_with_readings(phone_page):
    person = factories.ClientFactory()
    services.check_in_plan_set(
        client=person, items=["sleep", "workload", "relationships"], rhythm_days=7, ruby=True,
        actor=Actor.command(),
    )  # fmt: skip
    link = services.check_in_link_issue(client=person, actor=Actor.command())
    page = phone_page
    page.goto(reverse("check_in_form", args=[services.check_in_link_token(link)]))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("ruby", has_text="睡眠").count() >= 1  # 睡眠 with すいみん over it
    assert page.locator("rt", has_text="すいみん").count() >= 1
    # A choice is a large target: at least 44px high.
    box = page.locator('label[for="id_item_sleep_0"]').bounding_box()
    assert box["height"] >= 44

    page.get_by_role("button", name="送信").click()  # nothing chosen
    page.locator("#form-errors").wait_for()
    assert not CheckIn.objects.exists()

    page.locator('label[for="id_item_sleep_1"]').click()  # 3
    page.locator('label[for="id_item_workload_2"]').click()  # 2
    page.locator('label[for="id_item_relationships_0"]').click()  # 4
    page.fill('textarea[name="comment"]', "少し眠い")
    page.get_by_role("button", name="送信").click()
    page.locator("#check-in-thanks").wait_for()
    check_in = CheckIn.objects.get()
    assert check_in.ratings == {"sleep": 3, "workload": 2, "relationships": 4}
    assert check_in.comment == "少し眠い"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_revoked_link_is_refused_in_the_browser(phone_page):
    person = factories.ClientFactory()
    services.check_in_plan_set(
        client=person, items=["sleep", "mood", "meals"], rhythm_days=7, ruby=False,
        actor=Actor.command(),
    )  # fmt: skip
    link = services.check_in_link_issue(client=person, actor=Actor.command())
    services.check_in_link_revoke(link=link, actor=Actor.command())
    page = phone_page
    response = page.goto(reverse("check_in_form", args=[services.check_in_link_token(link)]))
    assert response.status == 404
    assert page.locator("#link-refused").is_visible()
    assert page.locator("input[type=radio]").count() == 0
