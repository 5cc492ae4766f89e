import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse

from tests import factories

D = dt.date


@pytest.fixture
def office_a_users(cast, fee_tiers):
    """Four users of office A in FY2024, all employed throughout: 100% → 3,512 units."""
    clients = []
    for i in range(4):
        c = factories.ClientFactory(
            office=cast.office_a, client_code=f"A0{i}", service_start=D(2021, 4, 1),
            family_name="定着", given_name=f"{i}号",
        )  # fmt: skip
        factories.EmploymentFactory(client=c, start_date=D(2020, 10, 1))
        clients.append(c)
    b = factories.ClientFactory(office=cast.office_b, client_code="B00", family_name="部外者")
    factories.EmploymentFactory(client=b, start_date=D(2022, 10, 1))
    return clients


def test_manager_sees_rate_tier_and_every_user(client, cast, office_a_users):
    client.force_login(cast.bob)
    url = reverse("retention_office", kwargs={"office_number": cast.office_a.office_number})
    text = client.get(url, {"fiscal_year": 2024}).content.decode()
    assert "100.0%" in text
    assert "3512" in text or "3,512" in text
    assert text.count("定着") >= 4
    assert "部外者" not in text
    # Limit end for a service started on 1 April 2021.
    assert "2024年3月31日" in text


def _users_table(text):
    """The rows of the page's table of users: [(link, [cell texts])], tags stripped."""
    body = text.split('id="retention-users"', 1)[1].split("</tbody>", 1)[0]
    rows = []
    for row in body.split("<tr>")[2:]:  # after the header's row
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        link = re.search(r'href="([^"]+)"', row)
        rows.append(
            (
                link and link.group(1),
                [" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells],
            )
        )
    return rows


def test_the_table_of_users_shows_each_users_figures(client, cast, office_a_users):
    """FY2024's window: 1 April 2021 to 31 March 2024. A02 left work on 31 December 2023 (no new
    job): not retained; A00, A01 and A03 are. A09 has no employment at all."""
    separated = office_a_users[2]
    separated.employments.update(end_date=D(2023, 12, 31))
    late = factories.ClientFactory(
        office=cast.office_a, client_code="A09", service_start=D(2022, 5, 10),
        service_end=D(2023, 1, 31), family_name="未就労", given_name="花子",
    )  # fmt: skip
    client.force_login(cast.bob)
    url = reverse("retention_office", kwargs={"office_number": cast.office_a.office_number})
    text = client.get(url, {"fiscal_year": 2024}).content.decode()
    rows = {cells[0].split()[2]: (link, cells) for link, cells in _users_table(text)}
    assert set(rows) == {"A00", "A01", "A02", "A03", "A09"}
    link, cells = rows["A00"]
    assert link == reverse("client_detail", kwargs={"client_pk": office_a_users[0].pk})
    # Name and code, the 3-year limit on a phone; the badge and the reason on a phone; the
    # reason; the service period (an open end shows nothing after the dash); the limit. A00's
    # service ran to its limit (31 March 2024, long past): 3年満了.
    assert cells == [
        "定着 0号 A00 3年の期限 2024年3月31日 3年満了",
        "定着 継続して就労",
        "継続して就労",
        "2021年4月1日 –",
        "2024年3月31日 3年満了",
    ]
    assert rows["A02"][1][1].startswith("非定着 ")
    link, cells = rows["A09"]
    assert link == reverse("client_detail", kwargs={"client_pk": late.pk})
    # A09's service ended before its limit: no 3-year label, on a phone or in the column.
    assert cells == [
        "未就労 花子 A09",
        "非定着 利用開始日に在職中の就職の記録なし",
        "利用開始日に在職中の就職の記録なし",
        "2022年5月10日 – 2023年1月31日",
        "—",
    ]


def test_what_if_shows_the_new_rate_and_tier(client, cast, office_a_users):
    client.force_login(cast.bob)
    url = reverse("retention_office", kwargs={"office_number": cast.office_a.office_number})
    response = client.get(
        url, {"fiscal_year": 2024, "client": "A00", "separation_date": "2023-12-31"}
    )
    text = response.content.decode()
    # 3 of 4 = 75.0% → "70%以上" 2,234 units.
    assert 'id="what-if-result"' in text
    assert "75.0%" in text
    assert "2234" in text or "2,234" in text


def test_what_if_refuses_another_offices_client(client, cast, office_a_users):
    client.force_login(cast.bob)
    url = reverse("retention_office", kwargs={"office_number": cast.office_a.office_number})
    text = client.get(
        url, {"fiscal_year": 2024, "client": "B00", "separation_date": "2023-12-31"}
    ).content.decode()
    assert 'id="what-if-result"' not in text
    assert "部外者" not in text


def test_short_history_caveat_appears(client, cast, fee_tiers):
    c = factories.ClientFactory(office=cast.office_a, service_start=D(2023, 4, 1))
    factories.EmploymentFactory(client=c, start_date=D(2022, 10, 1))
    client.force_login(cast.bob)
    url = reverse("retention_office", kwargs={"office_number": cast.office_a.office_number})
    assert "history-caveat" in client.get(url, {"fiscal_year": 2024}).content.decode()


def test_support_staff_and_other_offices_get_404(client, cast, office_a_users):
    url = reverse("retention_office", kwargs={"office_number": cast.office_a.office_number})
    for user in (cast.alice, cast.charlie):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_corporation_dashboard_covers_its_offices(client, cast, office_a_users):
    client.force_login(cast.diana)
    url = reverse("retention_corporation", kwargs={"corporation_pk": cast.corporation_a.pk})
    text = client.get(url, {"fiscal_year": 2024}).content.decode()
    assert cast.office_a.name in text and cast.office_a2.name in text
    assert cast.office_b.name not in text


def test_corporation_dashboard_refuses_others(client, cast, office_a_users):
    url = reverse("retention_corporation", kwargs={"corporation_pk": cast.corporation_a.pk})
    for user in (cast.bob, cast.charlie):
        client.force_login(user)
        assert client.get(url).status_code == 404
