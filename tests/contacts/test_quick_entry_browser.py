"""Quick entry on a phone (390 px wide), through Debian's chromium."""

import datetime as dt

import pytest

from contacts.models import Contact
from tests import factories


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_quick_entry_on_a_phone_saves_and_confirms(cast, logged_in_page):
    person = factories.ClientFactory(
        office=cast.office_a,
        staff_in_charge=cast.alice,
        family_name="定着",
        given_name="一郎",
        service_start=dt.date(2020, 4, 1),
    )
    page = logged_in_page(cast.alice, mobile=True)
    page.goto(f"/contacts/clients/{person.pk}/new/")
    assert page.viewport_size["width"] == 390

    def tap(name, value):
        radio_id = page.get_attribute(f"input[name={name}][value={value}]", "id")
        button = page.locator(f"label[for={radio_id}]")
        box = button.bounding_box()
        assert box["width"] >= 100 and box["height"] >= 44  # a thumb-sized target
        button.tap()

    tap("method", "workplace_visit")
    tap("counterpart", "employer")
    page.fill("textarea[name=summary]", "上司と面談。業務量は適切とのこと。")
    assert page.input_value("input[name=contacted_at]")  # defaults to now
    # Nothing overflows sideways at phone width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#quick-entry button[type=submit]").tap()

    page.wait_for_url("**/contacts/*/")
    confirmation = page.locator(".alert-success")
    assert "定着 一郎" in confirmation.inner_text()
    contact = Contact.objects.get(client=person)
    assert (contact.method, contact.counterpart, contact.staff) == (
        "workplace_visit",
        "employer",
        cast.alice,
    )
    assert contact.summary == "上司と面談。業務量は適切とのこと。"
    assert page.url.endswith(f"/contacts/{contact.pk}/")
