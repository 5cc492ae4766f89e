"""contacts.validation: the contact forms and the ``contacts`` CSV import refuse the same contacts
with the same message."""

import pytest

from contacts.forms import QuickEntryForm
from contacts.models import Contact
from core import tabular
from tests import factories

COLUMNS = (
    "office_number", "client_code", "contacted_at", "method", "counterpart", "duration_minutes",
    "staff", "summary",
)  # fmt: skip


@pytest.fixture
def person(cast):
    return factories.ClientFactory(office=cast.office_a, client_code="K001")


def contact_row(cast, **overrides):
    row = {
        "office_number": cast.office_a.office_number,
        "client_code": "K001",
        "contacted_at": "2024-06-03T10:30",
        "method": "workplace_visit",
        "counterpart": "client",
        "duration_minutes": "",
        "staff": "",
        "summary": "業務の様子を確認",
    }
    row.update(overrides)
    return row


RULES = [
    pytest.param(
        {"contacted_at": "2099-01-01T10:00"},
        "contacted_at",
        "日時に未来の時刻は指定できません。",
        id="a_contact_cannot_be_in_the_future",
    ),
    pytest.param(
        {"duration_minutes": "1441"},
        "duration_minutes",
        "0〜1440の分数で入力してください。",
        id="a_contact_lasts_at_most_a_day",
    ),
    pytest.param(
        {"duration_minutes": "-5"},
        "duration_minutes",
        "0〜1440の分数で入力してください。",
        id="a_contact_cannot_last_negative_minutes",
    ),
]


@pytest.mark.parametrize(("overrides", "field", "message"), RULES)
def test_form_and_import_refuse_a_contact_with_the_same_message(
    cast, person, overrides, field, message
):
    row = contact_row(cast, **overrides)

    form = QuickEntryForm({name: row[name] for name in COLUMNS[2:]})
    assert not form.is_valid()
    assert form.errors[field] == [message]

    data = ",".join(COLUMNS) + "\n" + ",".join(row[c] for c in COLUMNS) + "\n"
    result = tabular.run_import("contacts", data.encode("utf-8"), user=cast.alice)
    assert {(e.row, e.column): e.reason for e in result.errors} == {(2, field): message}
    assert not Contact.objects.exists()
