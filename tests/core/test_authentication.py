"""Signing in: throttling and lockout (django-axes), password rules, and session expiry."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from core import calendar

RIGHT = "kX9#mPq2Lw7z"


@pytest.fixture
def alice(cast):
    cast.alice.set_password(RIGHT)
    cast.alice.save()
    return cast.alice


def _log_in(client, username, password, *, url=None, address="192.0.2.10"):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def _fail(client, username, times, *, url=None, address="192.0.2.10"):
    for _ in range(times):
        response = _log_in(client, username, "wrong-password", url=url, address=address)
        assert SESSION_KEY not in client.session
    return response


@pytest.mark.django_db
def test_ten_wrong_passwords_then_the_right_one_is_refused(client, alice):
    _fail(client, "alice", 10)
    response = _log_in(client, "alice", RIGHT)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    assert "ログインがロックされました" in response.content.decode()
    # from another address too: the account itself is locked
    assert _log_in(client, "alice", RIGHT, address="198.51.100.7").status_code == 429


@pytest.mark.django_db
def test_nine_wrong_passwords_then_the_right_one_logs_in(client, alice):
    _fail(client, "alice", 9)
    response = _log_in(client, "alice", RIGHT)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(alice.pk)


@pytest.mark.django_db
def test_ten_failures_from_ten_addresses_lock_the_username(client, alice):
    for n in range(10):
        _fail(client, "alice", 1, address=f"203.0.113.{n + 1}")
    assert _log_in(client, "alice", RIGHT, address="198.51.100.7").status_code == 429


@pytest.mark.django_db
def test_ten_failures_among_colleagues_behind_one_address_lock_nobody_else(client, alice):
    # one office behind one NAT: ten typing mistakes by ten people
    for n in range(10):
        _fail(client, f"colleague{n}", 1)
    response = _log_in(client, "alice", RIGHT)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(alice.pk)


@pytest.mark.django_db
def test_an_address_is_locked_after_the_much_higher_address_limit(client, alice, settings):
    settings.TEICHAKU_LOGIN_ADDRESS_FAILURE_LIMIT = 25
    for n in range(24):
        _fail(client, f"guess{n}", 1)
    assert _log_in(client, "alice", RIGHT).status_code == 302
    client.logout()
    _fail(client, "guess24", 1)
    assert _log_in(client, "alice", RIGHT).status_code == 429
    # the account itself is not locked: from another address it logs in
    assert _log_in(client, "alice", RIGHT, address="198.51.100.7").status_code == 302


@pytest.mark.django_db
def test_another_accounts_login_never_wipes_the_failures_against_a_username(client, alice, cast):
    # the attack: guess Alice's password, log in with one's own account to wipe the count, repeat
    cast.bob.set_password(RIGHT)
    cast.bob.save()
    for _round in range(3):
        _fail(client, "alice", 4)
        assert _log_in(client, "bob", RIGHT).status_code == 302
        client.logout()
    # 12 failures against "alice" in all: she is locked, from anywhere
    assert _log_in(client, "alice", RIGHT).status_code == 429
    assert _log_in(client, "alice", RIGHT, address="198.51.100.7").status_code == 429


@pytest.mark.django_db
def test_a_login_clears_the_users_own_failures(client, alice):
    _fail(client, "alice", 9, address="203.0.113.9")
    assert _log_in(client, "alice", RIGHT).status_code == 302
    client.logout()
    _fail(client, "alice", 9)
    assert _log_in(client, "alice", RIGHT).status_code == 302


def _change_password(client, old, new="Zq8!vLm4Rt2x"):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
        REMOTE_ADDR="192.0.2.10",
    )


@pytest.mark.django_db
def test_wrong_current_passwords_on_the_change_form_count_towards_the_lockout(client, alice):
    assert _log_in(client, "alice", RIGHT).status_code == 302
    for _ in range(10):
        response = _change_password(client, "wrong-password")
        assert response.status_code in (200, 429)
    alice.refresh_from_db()
    assert alice.check_password(RIGHT)
    # locked: the right current password cannot change it now, nor log in elsewhere
    response = _change_password(client, RIGHT)
    assert response.status_code == 429
    alice.refresh_from_db()
    assert alice.check_password(RIGHT)
    other = type(client)()
    assert _log_in(other, "alice", RIGHT, address="198.51.100.7").status_code == 429


@pytest.mark.django_db
def test_the_right_current_password_changes_it(client, alice):
    assert _log_in(client, "alice", RIGHT).status_code == 302
    _change_password(client, "wrong-password")
    response = _change_password(client, RIGHT)
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("Zq8!vLm4Rt2x")


@pytest.mark.django_db
def test_the_admin_login_is_locked_the_same_way(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.jp", RIGHT)
    url = reverse("admin:login")
    _fail(client, "root", 10, url=url)
    response = _log_in(client, "root", RIGHT, url=url)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    call_command("axes_reset_username", "root")
    assert _log_in(client, "root", RIGHT, url=url).status_code == 302
    assert client.session[SESSION_KEY] == str(admin.pk)


@pytest.mark.django_db
def test_after_an_administrator_unlocks_the_account_the_right_password_works(client, alice):
    _fail(client, "alice", 10, address="192.0.2.10")
    call_command("axes_reset_username", "alice")
    assert _log_in(client, "alice", RIGHT, address="198.51.100.7").status_code == 302


@pytest.mark.django_db
def test_the_lock_ends_after_the_cool_off(client, alice, settings):
    _fail(client, "alice", 10)
    with time_machine.travel(calendar.now() + dt.timedelta(minutes=31)):
        assert _log_in(client, "alice", RIGHT).status_code == 302


# Password rules


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password",
    [
        "teichaku",
        "teichaku2024",
        "Teichaku-2024!",
        "ＴＥＩＣＨＡＫＵ#88xy",
        "定着支援2024abcd",
        "short9!",
    ],
)
def test_weak_or_product_passwords_are_refused(cast, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=cast.alice)


@pytest.mark.django_db
def test_the_users_office_and_corporation_names_are_refused(cast):
    with pytest.raises(ValidationError, match="事業所"):
        validate_password("あおば会2024!xyz", user=cast.alice)  # 社会福祉法人あおば会
    with pytest.raises(ValidationError):
        validate_password("みどり就労定着#9", user=cast.charlie)
    cast.corporation_b.name = "株式会社みどり"
    cast.corporation_b.save()
    with pytest.raises(ValidationError):
        validate_password("Midori-みどり-77", user=cast.charlie)
    validate_password("Midori-みどり-77", user=cast.alice)  # not Alice's corporation


@pytest.mark.django_db
def test_a_strong_password_is_accepted(cast):
    validate_password(RIGHT, user=cast.alice)


# Session expiry after inactivity


@pytest.mark.django_db
def test_the_session_ends_after_thirty_minutes_without_a_request(client, alice):
    start = calendar.now()
    with time_machine.travel(start, tick=False):
        assert _log_in(client, "alice", RIGHT).status_code == 302
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        assert client.get(reverse("contact_list")).status_code == 200
    # each request pushed the expiry on: 29 + 29 minutes after signing in is still in time
    with time_machine.travel(start + dt.timedelta(minutes=58), tick=False):
        assert client.get(reverse("contact_list")).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=89), tick=False):
        response = client.get(reverse("contact_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
