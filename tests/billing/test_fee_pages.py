"""The office and corporation retention pages as a what-if a manager can act on: the fee for a
chosen month, the distance to the neighbouring tiers, projections labelled, and scoping."""

import datetime as dt

import pytest
from django.urls import reverse

from clients.models import FeeTable
from clients.retention import moving_fiscal_year
from core import calendar
from offices.models import RegionalGrade
from tests import factories

D = dt.date


@pytest.fixture
def seven_of_ten(cast, fee_tables):
    """Office A (1級地, ¥11.20 a unit) in FY2026 (window 2023-04-01 … 2026-03-31): ten users, seven
    employed throughout and three who left in 2024: 7/10 = 70%, the 70% tier, 2,234 units."""
    cast.office_a.regional_grade = RegionalGrade.GRADE_1
    cast.office_a.save()
    factories.entered_unit_price("1", "11.20")
    for i in range(10):
        c = factories.ClientFactory(
            office=cast.office_a, client_code=f"S{i:02d}", service_start=D(2023, 4, 1)
        )
        end = D(2024, 6, 30) if i >= 7 else None
        factories.EmploymentFactory(client=c, start_date=D(2022, 10, 1), end_date=end)
    return cast


def office_page(http, cast, **params):
    url = reverse("retention_office", kwargs={"office_number": cast.office_a.office_number})
    return http.get(url, params)


def test_the_office_page_shows_the_months_fee_in_yen_and_the_distance(client, seven_of_ten):
    client.force_login(seven_of_ten.bob)
    text = office_page(client, seven_of_ten, fiscal_year=2026, month="2026-04").content.decode()
    # 2,234 units × ¥11.20 = ¥25,020.80 → ¥25,020.
    assert "2,234単位" in text
    assert "25,020円" in text
    # 8/10 = 80%: 2,768 − 2,234 = +534 units; ¥31,001 − ¥25,020 = +¥5,981.
    assert "あと1人定着で80%以上" in text
    assert "+534単位" in text and "+5,981円" in text
    # 6/10 = 60%: 1,690 − 2,234 = −544 units; ¥18,928 − ¥25,020 = −¥6,092.
    assert "1人離職で70%未満" in text
    assert "−544単位" in text and "−6,092円" in text
    # Only what is unverified is named: the FY2024 table; the unit price (entered, verified) not.
    assert "出典との照合が済んでいない値: 2024年4月1日施行の報酬表" in text
    assert "単位数単価</span>" not in text and "1級地の単位数単価" not in text
    assert "告示との照合は済んでいません" not in text


def test_a_grade_without_a_unit_price_says_what_is_missing_instead_of_yen(client, seven_of_ten):
    from clients.models import RegionalUnitPrice

    RegionalUnitPrice.objects.filter(grade="1").delete()
    client.force_login(seven_of_ten.bob)
    text = office_page(client, seven_of_ten, fiscal_year=2026, month="2026-04").content.decode()
    assert "2,234単位" in text and "25,020円" not in text
    assert "1級地）の就労定着支援の単位数単価が登録されていません" in text


def test_a_table_taking_effect_in_june_shows_from_june(client, seven_of_ten):
    table = FeeTable.objects.create(effective_from=D(2026, 6, 1), verified=True)
    table.tiers.create(min_percent=70, units=9999)
    table.tiers.create(min_percent=0, units=1)
    client.force_login(seven_of_ten.bob)
    may = office_page(client, seven_of_ten, fiscal_year=2026, month="2026-05").content.decode()
    june = office_page(client, seven_of_ten, fiscal_year=2026, month="2026-06").content.decode()
    assert "2026年5月: 70%以上" in may and "9,999単位" not in may
    assert "2024年4月1日施行の報酬表" in may
    assert "2026年6月: 70%以上" in june and "9,999単位" in june
    assert "2026年6月1日施行の報酬表" in june
    # 9,999 × ¥11.20 = ¥111,988.80 → ¥111,988.
    assert "111,988円" in june


def test_a_month_outside_the_fiscal_year_falls_back_to_april(client, seven_of_ten):
    # FY2024 (April 2024 – March 2025) does not hold today; all ten were employed on
    # 2024-03-31: 10/10 = 100%, the 95% tier.
    client.force_login(seven_of_ten.bob)
    for month in ("2030-13", "2026-06", "nonsense"):
        text = office_page(client, seven_of_ten, fiscal_year=2024, month=month).content.decode()
        assert "2024年4月: 95%以上" in text


def test_the_page_opens_on_this_fiscal_year_and_offers_the_moving_one_as_a_projection(
    client, seven_of_ten
):
    # As the home page does (issue 22): this fiscal year's rate, the one billed now; next
    # year's, still moving, only when asked for, labelled a projection.
    client.force_login(seven_of_ten.bob)
    this_year = calendar.fiscal_year_of(calendar.today())
    assert moving_fiscal_year(calendar.today()) == this_year + 1
    text = office_page(client, seven_of_ten).content.decode()
    assert f'<option value="{this_year}" selected>' in text
    assert f'<option value="{this_year + 1}">{this_year + 1}年度（見込み）</option>' in text
    assert "projection-badge" not in text


def test_moving_fiscal_year_is_the_one_whose_window_includes_today():
    # Today 2025-11-27 (FY2025): FY2026's window is 2023-04-01 … 2026-03-31.
    assert moving_fiscal_year(D(2025, 11, 27)) == 2026
    assert moving_fiscal_year(D(2026, 3, 31)) == 2026
    assert moving_fiscal_year(D(2026, 4, 1)) == 2027


def test_a_settled_fiscal_year_is_not_labelled_a_projection(client, seven_of_ten):
    client.force_login(seven_of_ten.bob)
    text = office_page(client, seven_of_ten, fiscal_year=2024).content.decode()
    assert "projection-badge" not in text


def test_a_what_if_date_after_the_reference_date_is_said_to_be_outside(client, seven_of_ten):
    client.force_login(seven_of_ten.bob)
    text = office_page(
        client, seven_of_ten, fiscal_year=2026, client="S00", separation_date="2026-04-01"
    ).content.decode()
    assert 'id="what-if-outside"' in text
    assert "算定期間の外です" in text
    # Nothing changes: still 7 of 10.
    assert "70.0%" in text


def test_a_what_if_date_inside_the_window_gives_no_outside_note(client, seven_of_ten):
    client.force_login(seven_of_ten.bob)
    text = office_page(
        client, seven_of_ten, fiscal_year=2026, client="S00", separation_date="2025-12-31"
    ).content.decode()
    assert 'id="what-if-outside"' not in text
    assert "60.0%" in text  # 6 of 10


def test_diana_sees_the_office_page_too(client, seven_of_ten):
    client.force_login(seven_of_ten.diana)
    response = office_page(client, seven_of_ten, fiscal_year=2026)
    assert response.status_code == 200
    assert "あと1人定着で80%以上" in response.content.decode()


def test_the_corporation_page_shows_each_offices_distance(client, seven_of_ten):
    client.force_login(seven_of_ten.diana)
    url = reverse("retention_corporation", kwargs={"corporation_pk": seven_of_ten.corporation_a.pk})
    text = client.get(url, {"fiscal_year": 2026, "month": "2026-04"}).content.decode()
    assert seven_of_ten.office_a.name in text and seven_of_ten.office_a2.name in text
    assert "あと1人定着で80%以上" in text and "1人離職で70%未満" in text
    assert "25,020円" in text
    assert seven_of_ten.office_b.name not in text


@pytest.mark.parametrize("who", ["charlie", "alice"])
def test_others_are_refused_the_office_page(client, seven_of_ten, who):
    client.force_login(getattr(seven_of_ten, who))
    assert office_page(client, seven_of_ten, fiscal_year=2026).status_code == 404


@pytest.mark.parametrize("who", ["charlie", "bob"])
def test_others_are_refused_the_corporation_page(client, seven_of_ten, who):
    client.force_login(getattr(seven_of_ten, who))
    url = reverse("retention_corporation", kwargs={"corporation_pk": seven_of_ten.corporation_a.pk})
    response = client.get(url, {"fiscal_year": 2026})
    assert response.status_code == 404
    assert "あと1人定着" not in response.content.decode()
