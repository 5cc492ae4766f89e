"""The API's resources read what the pages read: the same search, the same scoping, the same
documents as the DESIGN 5.4 commands; every call leaves its audit event; errors are JSON with a
Japanese message and the field."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from billing import month as billing_month
from billing import services as billing_services
from core.audit import Actor
from core.calendar import JST, Month
from core.models import AuditEvent
from tests import factories
from tests.api.conftest import ApiClient, token_for
from tests.billing.conftest import fee_tables, reference_values  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob(cast):
    return ApiClient(token_for(cast.bob))


def _codes(response):
    assert response.status_code == 200, response.content
    return [row["client_code"] for row in response.json()["results"]]


def test_client_search_folds_kana_width_and_old_forms_as_the_list_does(cast, bob):
    factories.ClientFactory(
        office=cast.office_a, client_code="T1", family_name="髙橋", family_name_kana="タカハシ"
    )
    factories.ClientFactory(
        office=cast.office_a, client_code="S1", family_name="佐藤", family_name_kana="サトウ"
    )
    factories.ClientFactory(
        office=cast.office_b, client_code="T2", family_name="高橋", family_name_kana="タカハシ"
    )
    assert _codes(bob.get("/api/v1/clients/", {"q": "たかはし"})) == ["T1"]
    assert _codes(bob.get("/api/v1/clients/", {"q": "ﾀｶﾊｼ"})) == ["T1"]
    assert _codes(bob.get("/api/v1/clients/", {"q": "高橋"})) == ["T1"]
    assert _codes(bob.get("/api/v1/clients/", {"q": ""})) == ["S1", "T1"]


def test_client_list_pages_and_filters_by_office(cast):
    for code in ("A1", "A2", "A3"):
        factories.ClientFactory(office=cast.office_a, client_code=code, given_name_kana=code)
    factories.ClientFactory(office=cast.office_a2, client_code="Z9")
    diana = ApiClient(token_for(cast.diana))  # corporation A: offices A and A2
    first = diana.get("/api/v1/clients/", {"office": cast.office_a.office_number, "page_size": 2})
    assert first.json()["count"] == 3
    assert _codes(first) == ["A1", "A2"]
    second = diana.get(first.json()["next"])
    assert _codes(second) == ["A3"]
    assert second.json()["next"] is None
    assert len(_codes(diana.get("/api/v1/clients/"))) == 4
    beyond = diana.get("/api/v1/clients/", {"page": "9"})
    assert beyond.status_code == 404
    assert beyond.json()["message"] == "そのページはありません。"


def test_an_office_filter_outside_reach_is_404_and_recorded(cast, bob):
    response = bob.get("/api/v1/clients/", {"office": cast.office_b.office_number})
    assert response.status_code == 404
    assert response.json()["message"] == "見つかりませんでした。"
    assert AuditEvent.objects.filter(action="denied", office=cast.office_b).exists()


def test_client_detail_with_employments_is_audited_as_a_client_read(cast, bob):
    client = factories.ClientFactory(office=cast.office_a, client_code="D1")
    factories.EmploymentFactory(client=client, start_date=dt.date(2023, 5, 1))
    response = bob.get(f"/api/v1/clients/{client.pk}/")
    body = response.json()
    assert (body["client_code"], body["office_number"]) == ("D1", cast.office_a.office_number)
    assert [e["start_date"] for e in body["employments"]] == ["2023-05-01"]
    event = AuditEvent.objects.get(action="view", object_type="clients.client")
    assert (event.user, event.via, event.object_id) == (cast.bob, "page", str(client.pk))


def test_contacts_by_client_and_japan_dates_both_included(cast, bob):
    client = factories.ClientFactory(office=cast.office_a)
    other = factories.ClientFactory(office=cast.office_a)

    def at(day, hour, minute):
        return dt.datetime(2024, 4, day, hour, minute, tzinfo=JST)

    inside_first = factories.ContactFactory(client=client, contacted_at=at(1, 0, 0))
    inside_last = factories.ContactFactory(client=client, contacted_at=at(30, 23, 59))
    factories.ContactFactory(client=client, contacted_at=dt.datetime(2024, 5, 1, 0, 0, tzinfo=JST))
    factories.ContactFactory(client=client, contacted_at=at(1, 0, 0) - dt.timedelta(minutes=1))
    factories.ContactFactory(client=other, contacted_at=at(10, 10, 0))
    response = bob.get(
        "/api/v1/contacts/", {"client": client.pk, "from": "2024-04-01", "to": "2024-04-30"}
    )
    assert [c["id"] for c in response.json()["results"]] == [inside_last.pk, inside_first.pk]
    assert response.json()["results"][0]["contacted_at"] == "2024-04-30T23:59:00+09:00"


def test_employments_by_client(cast, bob):
    client = factories.ClientFactory(office=cast.office_a, client_code="E1")
    factories.EmploymentFactory(client=client, start_date=dt.date(2022, 4, 1))
    factories.EmploymentFactory(client=factories.ClientFactory(office=cast.office_a))
    response = bob.get("/api/v1/employments/", {"client": client.pk})
    assert [(e["client_code"], e["start_date"]) for e in response.json()["results"]] == [
        ("E1", "2022-04-01")
    ]


@pytest.mark.parametrize(
    ("path", "params", "field", "message"),
    [
        ("/api/v1/contacts/", {"from": "2024-02-30"}, "from", None),
        (
            "/api/v1/contacts/",
            {"from": "2024-05-01", "to": "2024-04-01"},
            "from",
            "開始日が終了日より後になっています。",
        ),
        (
            "/api/v1/contacts/",
            {"to": "0001-01-01"},
            "to",
            "1900-01-01 から 2100-12-31 までの日付を入力してください。",
        ),
        ("/api/v1/contacts/", {"client": str(2**70)}, "client", None),
        ("/api/v1/clients/", {"status": "伊藤"}, "status", None),
        ("/api/v1/clients/", {"q": "x" * 201}, "q", None),
        ("/api/v1/employments/", {"client": "abc"}, "client", "有効な整数を入力してください。"),
    ],
)
def test_malformed_parameters_answer_400_naming_the_field(cast, bob, path, params, field, message):
    response = bob.get(path, params)
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == field
    assert body["errors"][0]["field"] == field
    if message:
        assert body["message"] == message
    assert any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in body["message"])


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/clients/99999999999999999999/",
        "/api/v1/clients/0/",
        "/api/v1/clients/-1/",
        "/api/v1/contacts/abc/",
        "/api/v1/offices/%E4%BC%8A%E8%97%A4/",
        "/api/v1/offices/1300000000/billing-months/2024-13/",
        "/api/v1/no-such-thing/",
    ],
)
def test_unknown_ids_and_paths_answer_404_json(cast, bob, path):
    response = bob.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["message"]


def test_a_control_character_answers_400_json(cast, bob):
    response = bob.get("/api/v1/clients/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert response.json()["message"] == "リクエストに使えない文字が含まれています。"


def test_every_call_writes_an_audit_event(cast, bob):
    client = factories.ClientFactory(office=cast.office_a)
    contact = factories.ContactFactory(client=client)
    number = cast.office_a.office_number
    for path in [
        "/api/v1/offices/",
        f"/api/v1/offices/{number}/",
        "/api/v1/clients/",
        f"/api/v1/clients/{client.pk}/",
        "/api/v1/employments/",
        "/api/v1/contacts/",
        f"/api/v1/contacts/{contact.pk}/",
        f"/api/v1/offices/{number}/retention/",
        f"/api/v1/offices/{number}/contact-stats/",
    ]:
        before = AuditEvent.objects.count()
        assert bob.get(path).status_code == 200, path
        events = AuditEvent.objects.order_by("pk")[before:]
        assert events, path
        assert {(e.user_id, e.via) for e in events} == {(cast.bob.pk, "page")}, path


def _command_json(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def test_retention_is_the_retention_report_document(cast, bob):
    client = factories.ClientFactory(office=cast.office_a, service_start=dt.date(2022, 4, 1))
    factories.EmploymentFactory(client=client, start_date=dt.date(2022, 3, 1))
    number = cast.office_a.office_number
    api = bob.get(
        f"/api/v1/offices/{number}/retention/", {"fiscal_year": 2024, "as_of": "2024-04-10"}
    )
    command = _command_json(
        "retention_report", "--office", number, "--fiscal-year", "2024", "--as-of", "2024-04-10"
    )
    assert api.json() == command
    assert api.json()["users"] == 1


def test_contact_stats_is_the_contact_stats_document(cast, bob):
    client = factories.ClientFactory(office=cast.office_a, service_start=dt.date(2024, 1, 1))
    factories.ContactFactory(client=client, method="workplace_visit", face_to_face=True)
    number = cast.office_a.office_number
    api = bob.get(
        f"/api/v1/offices/{number}/contact-stats/", {"from": "2024-04-01", "to": "2024-04-30"}
    )
    command = _command_json(
        "contact_stats", "--office", number, "--from", "2024-04-01", "--to", "2024-04-30"
    )
    assert api.json() == command
    assert api.json()["contacts"] == 1


def test_support_staff_get_404_for_the_figures_as_on_the_pages(cast):
    alice = ApiClient(token_for(cast.alice))
    number = cast.office_a.office_number
    assert alice.get(f"/api/v1/offices/{number}/retention/").status_code == 404
    assert alice.get(f"/api/v1/offices/{number}/contact-stats/").status_code == 404


def test_the_billing_month_of_a_closed_month_is_the_billing_month_document(
    cast,
    bob,
    reference_values,  # noqa: F811
):
    client = factories.ClientFactory(office=cast.office_a, service_start=dt.date(2024, 1, 1))
    factories.ContactFactory(client=client, method="workplace_visit", face_to_face=True)
    number = cast.office_a.office_number
    path = f"/api/v1/offices/{number}/billing-months/2024-04/"
    refused = bob.get(path)
    assert refused.status_code == 404
    assert refused.json()["message"] == "この月はまだ請求の締めをしていません。"
    months = f"/api/v1/offices/{number}/billing-months/"
    assert bob.get(months).json() == []
    month = Month(2024, 4)
    billing_services.close_month_with(
        office=cast.office_a,
        month=month,
        figures=billing_month.month_figures(cast.office_a, month),
        actor=Actor.command(cast.bob),
    )
    response = bob.get(path)
    assert response.json() == _command_json(
        "billing_month", "--office", number, "--month", "2024-04"
    )
    assert [p["client_code"] for p in response.json()["people"]] == [client.client_code]
    assert response["Last-Modified"]
    assert bob.get(months).json() == [{"office_number": number, "month": "2024-04"}]


@pytest.mark.parametrize("path", ["/api/v1/clients/", "/api/v1/contacts/", "/api/v1/employments/"])
def test_lists_take_the_same_queries_for_five_people_as_for_forty(cast, bob, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_with(count):
        for _i in range(count):
            person = factories.ClientFactory(office=cast.office_a, staff_in_charge=cast.alice)
            factories.ContactFactory(client=person, staff=cast.alice)
            factories.EmploymentFactory(client=person)
        with CaptureQueriesContext(connection) as captured:
            assert bob.get(path, {"page_size": 500}).status_code == 200
        return len(captured)

    bob.get(path)  # the token's first use writes its "last used" (once a minute)
    assert queries_with(5) == queries_with(35)
