"""The import page in a real browser (Debian chromium through Playwright): the column list of the
chosen kind and its template."""

import pytest

from core import tabular


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_import_page_shows_the_chosen_kinds_columns_and_downloads_its_template(
    logged_in_page, cast
):
    page = logged_in_page(cast.bob)
    page.goto("/imports/")
    page.get_by_label("取り込むデータ").select_option("clients")
    clients = page.locator("[data-import-kind=clients]")
    contacts = page.locator("[data-import-kind=contacts]")
    assert clients.is_visible() and not contacts.is_visible()
    assert clients.get_by_role("cell", name="生年月日", exact=True).is_visible()
    assert clients.get_by_role("cell", name="birth_date", exact=True).is_visible()
    assert "セルフプラン (self_plan)" in clients.inner_text()

    page.get_by_label("取り込むデータ").select_option("contacts")
    assert contacts.is_visible() and not clients.is_visible()

    with page.expect_download() as caught:
        contacts.get_by_role("link", name="Excel 用（Shift_JIS）").click()
    body = caught.value.path().read_bytes()
    lines = body.decode("cp932").splitlines()
    assert lines[0].split(",") == [c.label for c in tabular.get_kind("contacts").columns]
    assert "職場訪問" in lines[1]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mobile", [False, True], ids=["1280px", "390px"])
def test_the_contacts_columns_say_a_staff_member_goes_by_name_or_login(
    logged_in_page, cast, mobile
):
    page = logged_in_page(cast.alice, mobile=mobile)
    if not mobile:
        page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/imports/")
    page.get_by_label("取り込むデータ").select_option("contacts")
    contacts = page.locator("[data-import-kind=contacts]")
    staff_row = contacts.get_by_role("row").filter(has_text="担当職員")
    assert "姓 名の順" in staff_row.inner_text()
    assert "ログインID" in staff_row.inner_text()
    if mobile:
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
