"""The 国保連 claim file (DESIGN 5.5), read back by an independent reader of the spec's layout
(``tests/billing/claim_reader.py``) and checked against figures derived by hand.

April 2024, office A (regional grade その他: 10.00 yen a unit; FY2024 rate 1/1 = 100%: the 95%
band, 3,512 units):

- C1 (municipality 131016): in service since 1 April 2023; certificate cap 9,300 yen, the
  co-payment managed by office 1310000001 with result 3 and 3,000 yen; contacts on 12 and 20
  April; a meeting presented by the service manager on 10 April (+579). Units 3,512 + 579 =
  4,091. 総費用額 40,910; 1割 4,091; 上限月額調整 min(9,300, 4,091) = 4,091; 決定 min(4,091,
  3,000) = 3,000; 給付費 40,910 − 3,000 = 37,910.
- C2 (municipality 011002): starts 1 April 2024 from another corporation's office (+900 initial);
  no agreed plan, month 1: 3,512 × 0.70 = 2,458.4 → 2,458 (−1,054); cap 0. Units 2,458 + 900 =
  3,358. 総費用額 33,580; 1割 3,358; 上限月額調整 min(0, 3,358) = 0; 決定 0; 給付費 33,580. A
  contact on 5 April.
- C3: no certificate, no report: not billable, not in the file.

Records: J111:01/02 for 011002 then 131016 (4); C2: J121:01, 02, 03 × 2, 04, J611:01, 02 × 1 (7);
C1: J121:01, 02, 03 × 2, 04, J611:01, 02 × 3 (10, 12 and 20 April) (9): 20 data records, the end
record numbered 22.
"""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from billing import month as billing_month
from billing import selectors
from billing import services as billing_services
from billing.claim.build import ClaimRefused
from billing.services import certificate_save, service_code_save
from core.audit import Actor
from core.calendar import Month
from core.models import AuditAction, AuditEvent
from plans import services as plan_services
from plans.models import OfficePlanSettings
from tests import factories
from tests.billing import claim_reader
from tests.plans.conftest import agreed_plan

APRIL = Month(2024, 4)
JST = dt.timezone(dt.timedelta(hours=9))
CLAIM_SETTINGS = {
    # Test values only: the real ones are unverified (docs/data-contracts.md 5.5).
    "TEICHAKU_CLAIM_DATA_KIND": "Z99",
    "TEICHAKU_CLAIM_SERVICE_RECORD_FORM": "9901",
}
CODES = {
    "base_95": "470001",
    "base_95+no_plan30": "470002",
    "initial": "470003",
    "regional_meeting_1": "470004",
}


def _contact(client, day):
    factories.ContactFactory(
        client=client, method="phone", contacted_at=dt.datetime(2024, 4, day, 10, tzinfo=JST)
    )


@pytest.fixture
def world(cast, reference_values):
    bob = Actor.command(cast.bob)
    c1 = factories.ClientFactory(
        office=cast.office_a,
        client_code="C1",
        service_start=dt.date(2023, 4, 1),
        family_name_kana="ヤマダ",
        given_name_kana="タロウ",
    )
    factories.EmploymentFactory(client=c1, start_date=dt.date(2022, 10, 1))
    other_office = factories.OfficeFactory(corporation=cast.corporation_b, uses_system=False)
    c2 = factories.ClientFactory(
        office=cast.office_a,
        client_code="C2",
        service_start=dt.date(2024, 4, 1),
        referral_office=other_office,
        family_name_kana="がっこう",
        given_name_kana="ハナコ",
    )
    factories.ClientFactory(
        office=cast.office_a, client_code="C3", service_start=dt.date(2024, 4, 1)
    )
    certificate_save(
        client=c1,
        actor=bob,
        recipient_number="0000000011",
        municipality_number="131016",
        start=dt.date(2024, 4, 1),
        end=dt.date(2025, 3, 31),
        copay_cap=9300,
        cap_manager_office_number="1310000001",
        cap_management_result="3",
        cap_management_amount=3000,
    )
    certificate_save(
        client=c2,
        actor=bob,
        recipient_number="0000000022",
        municipality_number="011002",
        start=dt.date(2024, 4, 1),
        end=dt.date(2025, 3, 31),
        copay_cap=0,
    )
    for client in (c1, c2):
        factories.SupportReportFactory(
            client=client, month=APRIL.first_day, shared_with_client_on=dt.date(2024, 5, 2)
        )
    _contact(c1, 12)
    _contact(c1, 20)
    _contact(c2, 5)
    agreed_plan(c1, dt.date(2023, 4, 1), review_by=dt.date(2024, 10, 1))
    plan_services.meeting_create(
        client=c1,
        actor=bob,
        held_on=dt.date(2024, 4, 10),
        presenter="service_manager",
        agencies=["ハローワーク"],
    )
    OfficePlanSettings.objects.create(
        office=cast.office_a, handover_policy="終了3か月前から引き継ぐ。", handover_lead=cast.bob
    )
    for item, code in CODES.items():
        service_code_save(
            actor=bob, item=item, service_code=code, effective_from=dt.date(2024, 4, 1)
        )
    return {"c1": c1, "c2": c2}


def _write(office, **kwargs):
    with override_settings(**CLAIM_SETTINGS):
        body, _name = selectors.claim_file(
            actor=Actor.command(), office=office, month=APRIL, as_of=dt.date(2024, 6, 1), **kwargs
        )
    return body


def test_the_file_reads_back_by_the_spec_layout_with_hand_derived_figures(cast, world):
    claim = claim_reader.read(_write(cast.office_a))
    assert claim.control[4] == "Z99"
    assert claim.control[6] == cast.office_a.office_number
    assert claim.control[9] == "202405"  # the processing month: the next month
    assert [r.kind for r in claim.records] == [
        "J111:01", "J111:02", "J111:01", "J111:02",
        "J121:01", "J121:02", "J121:03", "J121:03", "J121:04", "J611:01", "J611:02",
        "J121:01", "J121:02", "J121:03", "J121:03", "J121:04", "J611:01",
        "J611:02", "J611:02", "J611:02",
    ]  # fmt: skip
    assert claim.end == ["3", "22"]
    for record in claim.records:
        assert record[3] == "202404"
        assert record[5] == cast.office_a.office_number

    c2 = [r for r in claim.records if r.kind.startswith(("J121", "J611")) and r[6] == "0000000022"]
    c1 = [r for r in claim.records if r.kind.startswith(("J121", "J611")) and r[6] == "0000000011"]

    # C1: the statement.
    basic, days, base, meeting, totals, record, *day_rows = c1
    assert basic[4] == "131016"
    assert basic[8] == "ﾔﾏﾀﾞ ﾀﾛｳ"
    assert basic[10] == "23"  # その他
    assert basic.int(12) == 9300
    assert (basic[15], basic[16], basic.int(17)) == ("1310000001", "3", 3000)
    assert (base[7], base.int(8), base.int(9), base.int(10)) == ("470001", 3512, 1, 3512)
    assert (meeting[7], meeting.int(8), meeting.int(9), meeting.int(10)) == (
        "470004", 579, 1, 579,
    )  # fmt: skip
    assert (days[7], days[8], days.int(10)) == ("47", "20230401", 2)
    assert totals[11] == "10000"
    assert totals.int(12) == 0 and totals[12] == "0"
    assert totals.int(10) == 4091
    assert totals.int(13) == 40910
    assert totals.int(14) == 4091
    assert totals.int(16) == 4091
    assert totals.int(21) == 3000
    assert totals.int(22) == 37910
    # J121:01 repeats J121:04's totals; the J121:03 rows add up to the units.
    assert basic.int(20) == totals.int(10) == base.int(10) + meeting.int(10)
    assert basic.int(21) == totals.int(13)
    assert basic.int(22) == totals.int(16)
    assert basic.int(27) == totals.int(21)
    assert basic.int(28) == totals.int(22)
    # C1: the service record.
    assert record[7] == "9901"
    assert record.int(37) == 2
    assert record[70] == ""  # no initial addition
    assert record.int(146) == 1
    assert record[153] == "20240502"
    assert [(r[9], r[45], r[81], r[90]) for r in day_rows] == [
        ("10", "", "", "1"),
        ("12", "1", "", ""),
        ("20", "1", "", ""),
    ]

    # C2.
    basic, days, base, initial, totals, record, day_row = c2
    assert basic[8] == "ｶﾞｯｺｳ ﾊﾅｺ"
    assert (basic[15], basic[16], basic[17]) == ("", "", "")
    assert (base[7], base.int(8), base.int(9)) == ("470002", 2458, 1)
    assert (initial[7], initial.int(8), initial.int(9)) == ("470003", 900, 1)
    assert totals.int(10) == 3358
    assert totals.int(13) == 33580
    assert totals.int(14) == 3358
    assert totals.int(16) == 0
    assert totals.int(21) == 0
    assert totals.int(22) == 33580
    assert record[70] == "20240401"
    assert record.int(37) == 1
    assert (day_row[9], day_row[45]) == ("05", "1")

    # J111, per municipality: the statements added up.
    sapporo, _detail, tokyo, tokyo_detail = claim.records[:4]
    assert (sapporo[4], sapporo.int(6), sapporo.int(7), sapporo.int(8)) == (
        "011002",
        33580,
        1,
        3358,
    )
    assert (tokyo[4], tokyo.int(6), tokyo.int(17), tokyo.int(18), tokyo.int(19)) == (
        "131016", 37910, 1, 4091, 40910,
    )  # fmt: skip
    assert tokyo.int(22) == 3000
    assert (tokyo_detail[6], tokyo_detail[7], tokyo_detail.int(8)) == ("1", "47", 1)
    assert tokyo_detail.int(9) == 4091 and tokyo_detail.int(13) == 3000


def test_the_file_agrees_with_billing_month(cast, world):
    claim = claim_reader.read(_write(cast.office_a))
    figures = billing_month.month_figures(cast.office_a, APRIL, as_of=dt.date(2024, 6, 1))
    billed = {p.recipient_number: p for p in figures.people if p.billable}
    statements = claim.of("J121:04")
    assert {r[6] for r in statements} == set(billed)
    for totals in statements:
        assert totals.int(10) == billed[totals[6]].total_units
    assert sum(r.int(18) for r in claim.of("J111:01")) == figures.total_units
    assert sum(r.int(19) for r in claim.of("J111:01")) == figures.total_yen


def test_a_processing_month_may_be_named(cast, world):
    claim = claim_reader.read(_write(cast.office_a, processing_month=Month(2024, 7)))
    assert claim.control[9] == "202407"


def test_the_file_is_refused_naming_each_item_without_a_code(cast, world):
    from billing.models import ServiceCode

    ServiceCode.objects.filter(item__in=["initial", "base_95+no_plan30"]).delete()
    with pytest.raises(ClaimRefused) as caught:
        _write(cast.office_a)
    message = "\n".join(caught.value.problems)
    assert "base_95+no_plan30" in message and "initial" in message
    assert "regional_meeting_1" not in message


def test_a_code_taking_effect_after_the_first_day_does_not_count(cast, world):
    from billing.models import ServiceCode

    ServiceCode.objects.filter(item="initial").update(effective_from=dt.date(2024, 4, 2))
    with pytest.raises(ClaimRefused) as caught:
        _write(cast.office_a)
    assert "initial" in "\n".join(caught.value.problems)


def test_unset_settings_refuse_the_file(cast, world):
    unset = override_settings(TEICHAKU_CLAIM_DATA_KIND="", TEICHAKU_CLAIM_SERVICE_RECORD_FORM="")
    with unset, pytest.raises(ClaimRefused) as caught:
        selectors.claim_file(actor=Actor.command(), office=cast.office_a, month=APRIL)
    message = "\n".join(caught.value.problems)
    assert "TEICHAKU_CLAIM_DATA_KIND" in message
    assert "TEICHAKU_CLAIM_SERVICE_RECORD_FORM" in message


def test_the_command_writes_the_file_and_refuses_in_japanese(cast, world, tmp_path, settings):
    for key, value in CLAIM_SETTINGS.items():
        setattr(settings, key, value)
    output = tmp_path / "claim.csv"
    call_command(
        "claim_file",
        "--office", cast.office_a.office_number,
        "--month", "2024-04",
        "--processing-month", "2024-06",
        "--output", str(output),
    )  # fmt: skip
    claim = claim_reader.read(output.read_bytes())
    assert claim.control[9] == "202406"
    settings.TEICHAKU_CLAIM_SERVICE_RECORD_FORM = ""
    with pytest.raises(CommandError) as caught:
        call_command(
            "claim_file",
            "--office", cast.office_a.office_number,
            "--month", "2024-04",
            "--output", str(tmp_path / "x.csv"),
        )  # fmt: skip
    assert "様式種別番号" in str(caught.value)
    assert not (tmp_path / "x.csv").exists()


def test_the_close_page_downloads_the_file_of_a_closed_month_audited(cast, world, client, settings):
    for key, value in CLAIM_SETTINGS.items():
        setattr(settings, key, value)
    url = reverse(
        "billing_claim_file",
        kwargs={"office_number": cast.office_a.office_number, "billing_month": "2024-04"},
    )
    client.force_login(cast.bob)
    assert client.get(url).status_code == 409  # not closed yet
    billing_services.close_month_with(
        office=cast.office_a,
        month=APRIL,
        figures=billing_month.month_figures(cast.office_a, APRIL),
        actor=Actor.command(cast.bob),
    )
    response = client.get(url)
    assert response.status_code == 200
    claim = claim_reader.read(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert len(claim.of("J121:01")) == 2
    event = AuditEvent.objects.filter(
        action=AuditAction.EXPORT, detail__contains="claim_file"
    ).latest("pk")
    assert "C1" in event.detail and "C2" in event.detail and "C3" not in event.detail


def test_a_reader_rejects_a_broken_file():
    """The reader is not a rubber stamp: a half-width field holding kanji, a wrong count."""
    good = (
        "1,1,0,1,Z99,0,1310000001,0,1,202405,\r\n"
        "2,2,J121,02,202404,131016,1310000001,0000000011,47,20230401,,2,,\r\n"
        "3,3\r\n"
    )
    claim_reader.read(good.encode("cp932"))
    with pytest.raises(claim_reader.Rejected):
        claim_reader.read(good.replace("0000000011", '"山田"').encode("cp932"))
    with pytest.raises(claim_reader.Rejected):
        claim_reader.read(good.replace("3,3", "3,4").encode("cp932"))
    with pytest.raises(claim_reader.Rejected):
        claim_reader.read(good.replace("\r\n", "\n").encode("cp932"))


def test_special_area_days_and_the_treatment_improvement_addition(cast, world):
    """C1 lives in a special area: 240 units on each of its 2 days of support (12 and 20 April;
    not the meeting day, 10 April, which is no support day) = 480. The office files for the
    treatment improvement addition at 10.00% (a test rate): C1 (3,512 + 579 + 480) × 10% =
    457.1 → 457, total 5,028; C2 3,358 × 10% = 335.8 → 336, total 3,694.
    C1: 総費用額 50,280; 1割 5,028; 上限月額調整 5,028; 決定 min(5,028, 3,000) = 3,000;
    給付費 47,280."""
    from billing.models import (
        ClientBillingSettings,
        OfficeBillingSettings,
        TreatmentImprovementRate,
    )

    ClientBillingSettings.objects.create(client=world["c1"], special_area=True)
    OfficeBillingSettings.objects.update_or_create(
        office=cast.office_a, defaults={"treatment_improvement": "1"}
    )
    TreatmentImprovementRate.objects.filter(category="1").delete()
    TreatmentImprovementRate.objects.create(
        category="1", effective_from=dt.date(2024, 4, 1), percent="10.00"
    )
    for item, code in (("special_area", "470005"), ("treatment_improvement", "470006")):
        service_code_save(
            actor=Actor.command(), item=item, service_code=code, effective_from=dt.date(2024, 4, 1)
        )
    claim = claim_reader.read(_write(cast.office_a))
    c1 = [r for r in claim.records if r.kind.startswith(("J121", "J611")) and r[6] == "0000000011"]
    lines = {r[7]: (r.int(8), r.int(9), r.int(10)) for r in c1 if r.kind == "J121:03"}
    assert lines == {
        "470001": (3512, 1, 3512),
        "470004": (579, 1, 579),
        "470005": (240, 2, 480),
        "470006": (457, 1, 457),
    }
    (totals,) = [r for r in c1 if r.kind == "J121:04"]
    assert (totals.int(10), totals.int(13), totals.int(14), totals.int(16)) == (
        5028, 50280, 5028, 5028,
    )  # fmt: skip
    assert (totals.int(21), totals.int(22)) == (3000, 47280)
    (record,) = [r for r in c1 if r.kind == "J611:01"]
    assert record.int(123) == 2
    assert [(r[9], r[81]) for r in c1 if r.kind == "J611:02"] == [
        ("10", ""),
        ("12", "1"),
        ("20", "1"),
    ]
    c2_totals = next(r for r in claim.of("J121:04") if r[6] == "0000000022")
    assert c2_totals.int(10) == 3694
    assert sum(r.int(18) for r in claim.of("J111:01")) == 5028 + 3694
