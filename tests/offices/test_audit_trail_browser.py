"""The audit trail as an office manager reads it, in chromium on a desk and on a phone: Japanese
actions, staff and people by name (family name first), what was looked at in words, filters
that stay in the URL, the pages and the export, cards on a phone."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from core import audit, calendar
from core.audit import Actor
from core.models import AuditAction
from tests import factories


@pytest.fixture
def trail(cast, client):
    """Alice searched her contact history for 山田 (one person found, 山田 花子), and 60
    events of Bob's opening the client list follow, so the trail has two pages."""
    start = calendar.today() - dt.timedelta(days=40)
    hanako = factories.ClientFactory(
        office=cast.office_a,
        staff_in_charge=cast.alice,
        client_code="A-201",
        family_name="山田",
        given_name="花子",
        service_start=start,
    )
    factories.ContactFactory(client=hanako, staff=cast.alice, contacted_at=calendar.now())
    client.force_login(cast.alice)
    assert client.get(reverse("contact_list") + "?q=山田").status_code == 200
    for _ in range(60):
        audit.record(
            actor=Actor.command(user=cast.bob),
            action=AuditAction.VIEW,
            office=cast.office_a,
            detail="client list; clients: A-201",
        )
    return hanako


def _text(page):
    return page.inner_text("main")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_manager_reads_the_trail_in_words_on_a_desk(logged_in_page, cast, trail):
    page = logged_in_page(cast.bob)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/audit/")
    assert page.get_by_role("heading", name="監査ログ").is_visible()
    # Filter to Alice's reads: the filter is in the URL, the pages and the downloads keep it.
    page.get_by_label("職員").select_option(label="青木 愛")
    page.get_by_label("操作").select_option(label="閲覧")
    page.get_by_role("button", name="フィルター").click()
    page.wait_for_url("**/audit/?*staff=*")
    assert "action=view" in page.url
    text = _text(page)
    assert "青木 愛" in text  # the staff member, family name first
    assert "閲覧" in text
    assert "支援記録の検索" in text  # the page, in words
    assert "検索語: 山田" in text  # the search decoded, not q=%E5%B1%B1...
    assert "山田 花子" in text  # the person by name, not only A-201
    for developer_words in ("%E5", "clients:", "contact search", "view"):
        assert developer_words not in text
    assert "馬場 勇" not in text.split("件", 1)[1]  # Bob's events are filtered out
    csv_link = page.get_by_role("link", name="CSV", exact=True).get_attribute("href")
    assert "staff=" in csv_link and "action=view" in csv_link
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_trail_is_cards_with_pages_on_a_phone(logged_in_page, cast, trail):
    page = logged_in_page(cast.bob, mobile=True)
    page.goto("/audit/")
    cards = page.locator(".audit-cards > li.card")
    assert cards.count() == 50  # one page of 50 of the 61 events
    assert cards.first.is_visible()
    assert not page.locator("table.audit-table").is_visible()
    assert "馬場 勇" in cards.first.inner_text()
    assert "利用者一覧" in cards.first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # Each card is a few lines, not a column one character wide.
    height = cards.first.bounding_box()["height"]
    assert height < 200
    page.get_by_role("link", name="次へ").click()
    page.wait_for_url("**page=2*")
    assert page.locator(".audit-cards > li.card").count() == 11
    assert "支援記録の検索" in _text(page)


@pytest.mark.django_db
def test_the_export_has_japanese_headers_and_the_filtered_events_in_words(cast, client, trail):
    client.force_login(cast.bob)
    response = client.get(
        reverse("audit_trail_export"),
        {"format": "csv", "encoding": "utf-8", "staff": cast.alice.pk, "action": "view"},
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["日時", "職員", "ログインID", "操作", "対象", "内容"]
    assert len(rows) == 2  # Alice's one search
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["職員"] == "青木 愛"
    assert row["ログインID"] == "alice"
    assert row["操作"] == "閲覧"
    assert "検索語: 山田" in row["内容"] and "山田 花子" in row["内容"]
    assert "clients: A-201" in row["詳細（記録値）"]  # the stored event is kept as it is
