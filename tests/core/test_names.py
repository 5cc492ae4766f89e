"""One rule for a person's name: family name first, for clients and staff alike (青木 愛)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from contacts.forms import ContactEditForm, ContactFilterForm
from contacts.services import contact_create
from core.audit import Actor
from core.names import display_name, staff_display_name
from tests import factories

JST = ZoneInfo("Asia/Tokyo")


def test_display_name_puts_the_family_name_first():
    assert display_name("青木", "愛") == "青木 愛"


def test_display_name_leaves_out_a_blank_part():
    assert display_name("青木", "") == "青木"
    assert display_name("", " 愛 ") == "愛"


def test_staff_display_name_is_family_name_first_or_the_login_name():
    User = get_user_model()
    assert (
        staff_display_name(User(username="alice", last_name="青木", first_name="愛")) == "青木 愛"
    )
    assert staff_display_name(User(username="ghost")) == "ghost"
    assert staff_display_name(None) == ""


def test_a_client_name_is_family_name_first():
    person = factories.ClientFactory.build(
        family_name="青木", given_name="愛", family_name_kana="アオキ", given_name_kana="アイ"
    )
    assert person.full_name == "青木 愛"
    assert person.full_name_kana == "アオキ アイ"


@pytest.fixture
def contact(cast):
    person = factories.ClientFactory(
        office=cast.office_a, staff_in_charge=cast.alice, service_start=dt.date(2024, 1, 1)
    )
    return contact_create(
        client=person,
        staff=cast.alice,
        contacted_at=dt.datetime(2024, 6, 3, 10, 0, tzinfo=JST),
        method="phone",
        counterpart="client",
        actor=Actor.command(),
    )


def test_staff_choices_in_contact_forms_are_family_name_first(cast):
    staff = get_user_model().objects.filter(pk=cast.alice.pk)
    for form in (ContactEditForm(staff_choices=staff), ContactFilterForm(staff_choices=staff)):
        labels = [label for _value, label in form.fields["staff"].choices]
        assert "青木 愛" in labels
        assert "愛 青木" not in labels


def test_contact_pages_show_the_staff_member_family_name_first(cast, client, contact):
    client.force_login(cast.alice)
    for url in (
        reverse("contact_detail", kwargs={"contact_pk": contact.pk}),
        reverse("contact_list") + "?date_from=2024-06-01&date_to=2024-06-30",
    ):
        page = client.get(url).content.decode()
        assert "青木 愛" in page
        assert "愛 青木" not in page


def test_client_pages_and_navigation_show_staff_family_name_first(cast, client, contact):
    client.force_login(cast.alice)
    for url in (
        reverse("client_detail", kwargs={"client_pk": contact.client.pk}),
        reverse("client_list"),
    ):
        page = client.get(url).content.decode()
        assert "青木 愛" in page
        assert "愛 青木" not in page
