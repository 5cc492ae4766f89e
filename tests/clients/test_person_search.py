"""Japanese-aware person search (clients.models.person_search_q on Client.search_key) on every
search box: the client list, contact history, quick entry and the plan list.

The cast of office A, each expectation worked out by hand from the folding rule: hiragana is
katakana, half-width kana is full-width, 髙/﨑/邊/齋 are 高/崎/辺/斎 (and 斉 is 斎), spaces do not
count, and a query finds a person when every word of it is a part of their names and readings
run together (伊藤大輔イトウダイスケ) or of their client code.
"""

import datetime as dt

import pytest
from django.urls import reverse

from clients.models import Client
from core import calendar, tabular
from tests import factories

PEOPLE = {
    # client code: (family name, given name, family reading, given reading)
    "P-001": ("伊藤", "大輔", "イトウ", "ダイスケ"),
    "P-002": ("山﨑", "花子", "ヤマザキ", "ハナコ"),
    "P-003": ("髙橋", "一郎", "タカハシ", "イチロウ"),
    "P-004": ("渡邊", "健", "ワタナベ", "ケン"),
    "P-005": ("齋藤", "恵", "サイトウ", "メグミ"),
    "P-006": ("佐藤", "二郎", "サトウ", "ジロウ"),  # matches none of the name queries below
}

# query → the client codes it finds. いとう also finds 齋藤: サイトウ contains イトウ.
EXPECTED = {
    "いとう": {"P-001", "P-005"},
    "ｲﾄｳ": {"P-001", "P-005"},
    "伊藤大輔": {"P-001"},
    "伊藤 大輔": {"P-001"},
    "伊藤\u3000大輔": {"P-001"},
    "いとう　だいすけ": {"P-001"},
    "山崎": {"P-002"},
    "山﨑": {"P-002"},
    "高橋": {"P-003"},
    "ﾀｶﾊｼ": {"P-003"},
    "渡辺": {"P-004"},
    "渡邉": {"P-004"},
    "斎藤": {"P-005"},
    "斉藤": {"P-005"},
    "さとう": {"P-006"},
    "ｐ－００２": {"P-002"},  # a client code in full-width letters and digits
    "鈴木": set(),
}


@pytest.fixture
def people(cast):
    start = calendar.today() - dt.timedelta(days=100)
    made = {}
    for code, (family, given, family_kana, given_kana) in PEOPLE.items():
        made[code] = factories.ClientFactory(
            office=cast.office_a, client_code=code, family_name=family, given_name=given,
            family_name_kana=family_kana, given_name_kana=given_kana, service_start=start,
            staff_in_charge=cast.alice,
        )  # fmt: skip
        factories.ContactFactory(client=made[code], staff=cast.alice)
    # Another corporation's 伊藤: no search of Alice's may show them.
    factories.ClientFactory(
        office=cast.office_b, client_code="P-001", family_name="伊藤", given_name="大輔",
        family_name_kana="イトウ", given_name_kana="ダイスケ", service_start=start,
    )  # fmt: skip
    return made


def codes_found_on(client, url_name, query):
    response = client.get(reverse(url_name), {"q": query})
    assert response.status_code == 200
    rows = list(response.context["page"])
    people = [row.client if url_name == "contact_list" else row for row in rows]
    return {person.client_code for person in people}


@pytest.mark.parametrize("page", ["client_list", "contacts_today", "plan_list", "contact_list"])
def test_every_search_box_finds_the_people_each_query_names(client, cast, people, page):
    client.force_login(cast.alice)
    found = {query: codes_found_on(client, page, query) for query in EXPECTED}
    assert found == EXPECTED


def test_search_on_the_queryset_matches_the_pages(cast, people):
    office_a = Client.objects.filter(office=cast.office_a)
    for query, codes in EXPECTED.items():
        assert set(office_a.search(query).values_list("client_code", flat=True)) == codes, query


def test_an_empty_query_finds_everyone(cast, people):
    assert Client.objects.filter(office=cast.office_a).search("  \u3000").count() == 6


def test_the_key_is_the_names_and_readings_folded_and_run_together(people):
    assert people["P-001"].search_key == "伊藤大輔イトウダイスケ"
    assert people["P-002"].search_key == "山崎花子ヤマザキハナコ"
    assert people["P-004"].search_key == "渡辺健ワタナベケン"
    assert Client.objects.get(pk=people["P-005"].pk).search_key == "斎藤恵サイトウメグミ"


def test_editing_the_name_on_the_form_updates_the_key(client, cast, people):
    takahashi = people["P-003"]
    client.force_login(cast.alice)
    data = {
        "client_code": "P-003",
        "family_name": "髙木",
        "given_name": "一郎",
        "family_name_kana": "タカギ",
        "given_name_kana": "イチロウ",
        "birth_date": "1990-05-01",
        "disability_types": ["mental"],
        "plan_type": "self_plan",
        "service_start": takahashi.service_start.isoformat(),
    }
    response = client.post(reverse("client_update", kwargs={"client_pk": takahashi.pk}), data)
    assert response.status_code == 302
    takahashi.refresh_from_db()
    assert takahashi.search_key == "高木一郎タカギイチロウ"
    assert codes_found_on(client, "client_list", "高橋") == set()
    assert codes_found_on(client, "client_list", "たかぎ") == {"P-003"}


def test_saving_only_a_name_field_writes_the_key_too(people):
    watanabe = people["P-004"]
    watanabe.given_name = "健太"
    watanabe.save(update_fields=["given_name"])
    assert Client.objects.get(pk=watanabe.pk).search_key == "渡辺健太ワタナベケン"


def test_a_bulk_update_of_names_writes_the_key(people):
    ito = people["P-001"]
    ito.given_name_kana = "だいすけ"  # as typed; the key holds katakana
    ito.family_name = "伊東"
    Client.objects.bulk_update([ito], ["family_name", "given_name_kana"])
    assert Client.objects.get(pk=ito.pk).search_key == "伊東大輔イトウダイスケ"


def test_update_refuses_a_name_because_it_cannot_fold_it(people):
    with pytest.raises(ValueError, match="family_name"):
        Client.objects.filter(pk=people["P-001"].pk).update(family_name="伊東")
    assert Client.objects.filter(family_name="伊東").count() == 0
    # Other columns are updated as always.
    Client.objects.filter(pk=people["P-001"].pk).update(plan_type="")
    assert Client.objects.get(pk=people["P-001"].pk).plan_type == ""


CLIENT_HEADER = (
    "office_number,client_code,family_name,given_name,family_name_kana,given_name_kana,"
    "birth_date,disability_types,referral_office_number,plan_type,consultation_office_number,"
    "service_start,service_end,service_end_reason"
)


def test_the_clients_import_stores_the_key_on_create_and_on_update(cast):
    a = cast.office_a.office_number
    first = f"{CLIENT_HEADER}\n{a},K001,髙橋,花子,ﾀｶﾊｼ,はなこ,,mental,,self_plan,,2024-04-01,,\n"
    result = tabular.run_import("clients", first.encode("utf-8"))
    assert result.ok, result.errors
    assert result.created == 1
    assert Client.objects.get(client_code="K001").search_key == "高橋花子タカハシハナコ"
    # The same person renamed: the import's bulk update rewrites the key.
    second = (
        f"{CLIENT_HEADER}\n{a},K001,渡邊,花子,わたなべ,はなこ,,mental,,self_plan,,2024-04-01,,\n"
    )
    result = tabular.run_import("clients", second.encode("utf-8"))
    assert (result.created, result.updated) == (0, 1)
    assert Client.objects.get(client_code="K001").search_key == "渡辺花子ワタナベハナコ"
    assert set(Client.objects.search("渡辺").values_list("client_code", flat=True)) == {"K001"}
