"""The contacts import takes a staff member by name (family name first, with or without a space)
or login; its template's example belongs to the user's own office; an exported contact history
imports again as it is (the same headers both ways)."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse

from contacts.models import Contact
from core import calendar, tabular
from tests import factories


@pytest.fixture
def history(cast):
    """Two contacts by Alice (青木 愛) with a person of office A, in an open month."""
    person = factories.ClientFactory(
        office=cast.office_a, staff_in_charge=cast.alice, client_code="A-301"
    )
    start = calendar.start_of_day(calendar.today()) - dt.timedelta(days=1)
    for hours, method in ((9, "phone"), (14, "workplace_visit")):
        factories.ContactFactory(
            client=person,
            staff=cast.alice,
            method=method,
            counterpart="client",
            duration_minutes=30,
            summary="様子を確認した",
            contacted_at=start + dt.timedelta(hours=hours),
        )
    return person


def _export(client, user, encoding="utf-8"):
    client.force_login(user)
    response = client.get(reverse("contact_list_export"), {"format": "csv", "encoding": encoding})
    assert response.status_code == 200
    return response.content


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-8", "cp932"])
def test_an_exported_history_imports_again_as_it_is(cast, client, history, encoding):
    data = _export(client, cast.alice, encoding)
    result = tabular.run_import("contacts", data, user=cast.alice)
    assert result.ok, result.errors
    assert (result.rows, result.created, result.updated, result.unchanged) == (2, 0, 0, 2)
    assert Contact.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("staff", ["青木 愛", "青木愛", "青木　愛", "alice"])
def test_a_staff_member_is_named_by_name_or_login(cast, client, history, staff):
    text = _export(client, cast.alice).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    column = rows[0].index("担当職員")
    for row in rows[1:]:
        row[column] = staff
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    Contact.objects.update(staff=None)
    result = tabular.run_import("contacts", out.getvalue().encode(), user=cast.alice)
    assert result.ok, result.errors
    assert result.updated == 2
    assert set(Contact.objects.values_list("staff__username", flat=True)) == {"alice"}


@pytest.mark.django_db
def test_an_unknown_staff_name_is_refused_in_japanese(cast, client, history):
    text = _export(client, cast.alice).decode("utf-8-sig").replace("青木 愛", "近藤 千春")
    result = tabular.run_import("contacts", text.encode(), user=cast.alice)
    assert not result.ok
    assert "この事業所に、この氏名またはログインIDの職員はいません。" in str(result.errors[0])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("clock", "written"),
    [
        # Before 10:30 in Japan (CI's afternoon in UTC) the example takes the current minute:
        # 10:30 would lie in the future and the template would not import as it is.
        (dt.time(0, 30, 42), "0:30"),
        (dt.time(15, 5), "10:30"),
    ],
)
def test_the_template_example_names_the_users_office_person_and_self(
    cast, client, history, clock, written
):
    day = calendar.today()
    with time_machine.travel(dt.datetime.combine(day, clock, tzinfo=calendar.JST), tick=False):
        client.force_login(cast.alice)  # at that moment, or the session has idled out
        response = client.get(
            reverse(
                "import_template", kwargs={"import_kind": "contacts", "template_encoding": "utf-8"}
            )
        )
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        example = dict(zip(rows[0], rows[1], strict=True))
        # And it imports as it is, at that same moment: one new contact.
        result = tabular.run_import("contacts", response.content, user=cast.alice)
    assert example["事業所番号"] == cast.office_a.office_number
    assert example["利用者コード"] == "A-301"
    assert example["担当職員"] == "青木 愛"
    assert example["日時"] == f"{day.year}/{day.month}/{day.day} {written}"
    assert result.ok, result.errors
    assert result.created == 1
