"""The office's hand-over list: everyone in service, or ended within the year, with the state of
their end-of-service hand-over; searched with the kana folding, filtered by office and state,
paged, downloaded; and the referral hand-overs received and not yet linked to a person."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.audit import Actor
from core.models import AuditEvent
from core.navigation import items_for
from plans import selectors, services
from tests import factories
from tests.exports import csv_rows

D = dt.date


def person(cast, code, start, end=None, *, office=None, **names):
    return factories.ClientFactory(
        office=office or cast.office_a, client_code=code, service_start=start, service_end=end,
        family_name=names.get("family", code), given_name=names.get("given", "様"),
        family_name_kana=names.get("kana", ""), given_name_kana="",
    )  # fmt: skip


def handed_over(client, shared_on, *, consented=True, name="なかまちセンター"):
    return services.end_handover_create(
        actor=Actor.command(), client=client, successor="employment_life_center",
        successor_name=name, shared_on=shared_on, shared_what="職場の配慮",
        consented_on=shared_on if consented else None,
        consent_method="signature" if consented else "",
    )  # fmt: skip


@pytest.fixture
def people(cast, today):
    """Office A's people on 16 June 2025 (the 90-day window reaches 14 September)."""
    due = person(cast, "DUE", D(2024, 1, 1), D(2025, 8, 31))
    unconsented = person(cast, "NOCONSENT", D(2024, 1, 1), D(2025, 7, 31))
    handed_over(unconsented, D(2025, 6, 1), consented=False)
    ended = person(cast, "ENDED", D(2023, 4, 1), D(2025, 4, 30))
    limit = person(cast, "LIMIT", D(2022, 1, 10))  # the 3-year limit ended on 9 January 2025
    recorded = person(cast, "RECORDED", D(2024, 1, 1), D(2025, 7, 15))
    handed_over(recorded, D(2025, 5, 1))
    ended_recorded = person(cast, "ENDEDOK", D(2023, 4, 1), D(2025, 3, 31))
    handed_over(ended_recorded, D(2025, 1, 10))
    later = person(cast, "LATER", D(2024, 4, 1))  # the limit ends on 31 March 2027
    # Not listed: ended more than a year ago (recorded end; 3-year limit), not begun, office B.
    person(cast, "OLD", D(2022, 4, 1), D(2024, 3, 31))
    person(cast, "OLDLIMIT", D(2020, 4, 1))
    person(cast, "FUTURE", D(2025, 7, 1))
    person(cast, "OTHER", D(2024, 1, 1), D(2025, 8, 1), office=cast.office_b)
    return {
        "due": due, "unconsented": unconsented, "ended": ended, "limit": limit,
        "recorded": recorded, "ended_recorded": ended_recorded, "later": later,
    }  # fmt: skip


def listed(user, today, **filters):
    rows = selectors.handover_list_clients(user=user, today=today, **filters)
    return [(c.client_code, c.handover_status) for c in rows]


def test_everyone_in_service_or_ended_within_the_year_most_urgent_first(cast, people, today):
    assert listed(cast.alice, today) == [
        ("NOCONSENT", "due"),  # a hand-over without consent does not count
        ("DUE", "due"),
        ("LIMIT", "missing"),  # ended by the 3-year limit with nothing recorded
        ("ENDED", "missing"),
        ("LATER", "not_due"),
        ("ENDEDOK", "recorded"),
        ("RECORDED", "recorded"),
    ]


def test_each_person_carries_the_end_and_the_latest_hand_over(cast, people, today):
    rows = {c.client_code: c for c in selectors.handover_list_clients(user=cast.alice, today=today)}
    assert rows["LIMIT"].handover_end == D(2025, 1, 9)
    assert rows["LATER"].handover_end == D(2027, 3, 31)
    handed_over(people["recorded"], D(2025, 6, 2), name="後の引き継ぎ先")
    rows = {c.client_code: c for c in selectors.handover_list_clients(user=cast.alice, today=today)}
    assert [h.successor_name for h in rows["RECORDED"].handover_records] == [
        "後の引き継ぎ先",
        "なかまちセンター",
    ]
    assert rows["DUE"].handover_records == []


def test_the_state_and_office_filters(cast, people, today):
    assert listed(cast.alice, today, state="missing") == [
        ("LIMIT", "missing"),
        ("ENDED", "missing"),
    ]
    person(cast, "A2", D(2024, 1, 1), office=cast.office_a2)
    assert [code for code, _s in listed(cast.diana, today, office=cast.office_a2)] == ["A2"]
    assert "A2" in [code for code, _s in listed(cast.diana, today)]
    assert "A2" not in [code for code, _s in listed(cast.alice, today)]  # not Alice's office
    assert [code for code, _s in listed(cast.charlie, today)] == ["OTHER"]


def test_the_search_folds_kana_and_kanji_variants(cast, today):
    person(cast, "ITO", D(2024, 1, 1), family="伊藤", given="大輔", kana="イトウ")
    person(cast, "TAKA", D(2024, 1, 1), family="髙橋", given="美咲", kana="タカハシ")
    person(cast, "YAMA", D(2024, 1, 1), family="山本", given="一郎", kana="ヤマモト")
    for query in ("ｲﾄｳ", "いとう", "伊藤 大輔", "伊藤大輔"):
        assert [code for code, _s in listed(cast.alice, today, query=query)] == ["ITO"], query
    assert [code for code, _s in listed(cast.alice, today, query="高橋")] == ["TAKA"]


def _queries(user, today):
    with CaptureQueriesContext(connection) as captured:
        selectors.handover_list_clients(user=user, today=today)
    return len(captured)


def test_the_list_takes_the_same_queries_for_two_people_as_for_thirty(cast, today):
    for n in range(2):
        handed_over(person(cast, f"S{n}", D(2024, 1, 1)), D(2025, 6, 1))
    few = _queries(cast.alice, today)
    for n in range(28):
        handed_over(person(cast, f"M{n}", D(2024, 1, 1), D(2025, 8, 1)), D(2025, 6, 1))
    assert _queries(cast.alice, today) == few


def test_the_page_shows_each_state_in_japanese_with_the_latest_hand_over(
    client, cast, people, today
):
    client.force_login(cast.alice)
    response = client.get(reverse("handover_list"))
    text = response.content.decode()
    assert response.status_code == 200
    for shown in ("引き継ぎ未実施", "引き継ぎなしで終了", "まだ期間外", "引き継ぎ記録あり"):
        assert shown in text
    assert "なかまちセンター" in text and "同意の記録なし" in text
    assert "2025年1月9日" in text  # LIMIT's end, by the 3-year limit
    assert f'href="/plans/clients/{people["due"].pk}/handovers/"' in text
    assert "OTHER" not in text and "OLD" not in text and "FUTURE" not in text
    missing = client.get(reverse("handover_list"), {"state": "missing"}).content.decode()
    assert "LIMIT" in missing and "DUE" not in missing
    assert AuditEvent.objects.filter(
        action="view", username="alice", detail__startswith="handover list"
    ).exists()


def test_the_page_lists_twenty_five_people_a_page(client, cast, today):
    for n in range(30):
        person(cast, f"P{n:02d}", D(2024, 1, 1), D(2025, 8, 1) + dt.timedelta(days=n))
    client.force_login(cast.alice)
    first = client.get(reverse("handover_list")).content.decode()
    assert "P00" in first and "P24" in first and "P25" not in first
    assert "1 / 2 ページ" in first
    second = client.get(reverse("handover_list"), {"page": 2}).content.decode()
    assert "P25" in second and "P29" in second and "P00" not in second


def test_the_download_has_japanese_headers_and_is_audited(client, cast, people, today):
    client.force_login(cast.bob)
    rows = csv_rows(client.get(reverse("handover_list_export"), {"state": "recorded"}))
    assert rows[0] == [
        "事業所番号", "事業所名", "利用者コード", "氏名", "引き継ぎの状況", "利用終了日",
        "引き継ぎ先の種類", "引き継ぎ先", "共有日", "本人の同意日", "担当職員",
    ]  # fmt: skip
    assert [row[2] for row in rows[1:]] == ["ENDEDOK", "RECORDED"]
    assert rows[2][4:10] == [
        "引き継ぎ記録あり", "2025-07-15", "障害者就業・生活支援センター", "なかまちセンター",
        "2025-05-01", "2025-05-01",
    ]  # fmt: skip
    [event] = AuditEvent.objects.filter(action="export")
    assert event.username == "bob" and "handover list csv" in event.detail
    assert "ENDEDOK" in event.detail and "DUE" not in event.detail


def test_a_hand_over_received_and_not_yet_linked_is_listed_for_the_receiving_office(
    client, cast, today
):
    elsewhere = person(cast, "A2P", D(2024, 1, 1), office=cast.office_a2)
    services.referral_handover_create(
        actor=Actor.command(cast.diana), referring_office=cast.office_a2,
        receiving_office=cast.office_a, source_client=elsewhere, consented_on=D(2025, 6, 1),
        consent_method="signature",
    )  # fmt: skip
    client.force_login(cast.alice)
    text = client.get(reverse("handover_list")).content.decode()
    assert "受け取った引き継ぎ（利用者と未連携）" in text and "あおば第二定着支援から" in text
    client.force_login(cast.charlie)
    assert "あおば第二定着支援から" not in client.get(reverse("handover_list")).content.decode()


def test_the_menu_has_the_hand_over_list_beside_the_plans(cast):
    records = next(item for item in items_for(cast.alice) if item.get("group") == "records")
    names = [child["url_name"] for child in records["children"]]
    assert names.index("handover_list") == names.index("plan_list") + 1
