"""The shell in a real browser (Debian chromium through Playwright)."""

import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_menu_opens_on_a_phone_and_leads_to_the_offices(logged_in_page, cast):
    page = logged_in_page(cast.diana, mobile=True)
    page.goto("/")
    toggler = page.get_by_role("button", name="メニュー")
    assert toggler.is_visible()
    toggler.click()
    page.get_by_role("button", name="管理").click()  # the offices are in the management menu
    page.get_by_role("link", name="事業所", exact=True).click()
    page.wait_for_url("**/offices/")
    assert page.get_by_role("link", name=cast.office_a2.name).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_import_page_follows_its_job_until_it_finishes(logged_in_page, cast):
    from core.models import ImportJob

    job = ImportJob.objects.create(
        user=cast.bob,
        kind="offices",
        filename="offices.csv",
        status=ImportJob.Status.RUNNING,
        rows_total=400,
        rows_done=100,
    )
    page = logged_in_page(cast.bob, mobile=True)
    page.goto(f"/imports/{job.pk}/")
    assert page.get_by_role("progressbar").get_attribute("aria-valuenow") == "25"
    ImportJob.objects.filter(pk=job.pk).update(rows_done=300)
    from playwright.sync_api import expect

    # a locator's expectation, not wait_for_function: the CSP allows no string evaluated as script
    expect(page.locator(".progress-bar")).to_have_text("300 / 400")
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE,
        rows_done=400,
        result={"rows": 400, "created": 400, "updated": 0, "unchanged": 0, "errors": []},
    )
    page.get_by_text("取り込みました").wait_for()
