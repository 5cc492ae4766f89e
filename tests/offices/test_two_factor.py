"""Optional two-factor login (TOTP) for managers and administrators (offices.two_factor)."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY, get_user_model
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "kX9#mPq2Lw7z"
NOON = dt.datetime(2024, 6, 20, 3, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def bob(cast):
    cast.bob.set_password(PASSWORD)
    cast.bob.save()
    return cast.bob


def code_of(device):
    """The device's code at the (fixed) time, from its key, as an authenticator app computes it."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def wrong_code(device):
    return f"{(int(code_of(device)) + 1) % 1_000_000:06d}"


def enrol(user):
    return TOTPDevice.objects.create(user=user, name="Teichaku", confirmed=True)


def log_in(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_support_staff_are_not_offered_two_factor_login(client, cast):
    client.force_login(cast.alice)
    assert client.get(reverse("two_factor")).status_code == 404
    assert reverse("two_factor") not in client.get(reverse("home")).content.decode()


def test_a_manager_is_offered_it_in_the_account_menu(client, bob):
    client.force_login(bob)
    assert reverse("two_factor") in client.get(reverse("home")).content.decode()


def test_enrolment_shows_a_qr_code_and_the_key_and_needs_a_correct_code(client, bob, _clock):
    client.force_login(bob)
    response = client.get(reverse("two_factor"))
    assert "no-store" in response["Cache-Control"]  # it shows the secret key
    page = response.content.decode()
    device = TOTPDevice.objects.get(user=bob)
    assert not device.confirmed
    assert "<svg" in page
    import base64

    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert key[:4] + " " + key[4:8] in page
    refused = client.post(reverse("two_factor"), {"code": wrong_code(device)})
    assert refused.status_code == 200
    assert "コードが正しくありません" in refused.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    _clock.shift(5)  # past django-otp's 1-second throttle after a failure
    accepted = client.post(reverse("two_factor"), {"code": code_of(device)})
    assert accepted.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    # The session that enrolled stays logged in and verified.
    assert client.get(reverse("home")).status_code == 200


def test_after_enrolment_the_password_alone_does_not_reach_the_home_page(client, bob):
    enrol(bob)
    response = log_in(client, "bob")
    assert response.status_code == 302 and response["Location"] == reverse("login_verify")
    assert SESSION_KEY not in client.session
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("login"))


def test_the_password_then_the_right_code_reach_the_home_page(client, bob):
    device = enrol(bob)
    log_in(client, "bob")
    response = client.post(reverse("login_verify"), {"code": code_of(device)})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(bob.pk)
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_code_is_refused_and_counts_as_a_failed_login(client, bob):
    from axes.models import AccessAttempt

    device = enrol(bob)
    log_in(client, "bob")
    response = client.post(reverse("login_verify"), {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "コードが正しくありません" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert client.get(reverse("home")).status_code == 302
    assert AccessAttempt.objects.get(username="bob").failures_since_start == 1


def test_a_right_code_right_after_a_wrong_one_is_throttled(client, bob, _clock):
    device = enrol(bob)
    log_in(client, "bob")
    client.post(reverse("login_verify"), {"code": wrong_code(device)})
    client.post(reverse("login_verify"), {"code": code_of(device)})  # within the second
    assert SESSION_KEY not in client.session
    _clock.shift(2)
    client.post(reverse("login_verify"), {"code": code_of(device)})
    assert client.session[SESSION_KEY] == str(bob.pk)


def test_ten_wrong_codes_lock_the_account_like_ten_wrong_passwords(client, bob, _clock):
    device = enrol(bob)
    log_in(client, "bob")
    for _ in range(10):
        client.post(reverse("login_verify"), {"code": wrong_code(device)})
        _clock.shift(600)  # past the throttle, which doubles each time
        log_in(client, "bob")
    assert log_in(client, "bob").status_code == 429
    assert SESSION_KEY not in client.session


def test_a_code_step_without_the_password_step_goes_back_to_the_login(client, bob):
    device = enrol(bob)
    response = client.post(reverse("login_verify"), {"code": code_of(device)})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert SESSION_KEY not in client.session


def test_a_code_given_more_than_five_minutes_after_the_password_is_too_late(client, bob, _clock):
    device = enrol(bob)
    log_in(client, "bob")
    _clock.shift(301)
    client.post(reverse("login_verify"), {"code": code_of(device)})
    assert SESSION_KEY not in client.session


def test_a_session_of_an_enrolled_user_never_verified_counts_as_logged_out(client, bob):
    enrol(bob)
    client.force_login(bob)  # as a session from before the enrolment
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("login"))


def test_enrolling_in_another_session_logs_out_a_session_logged_in_before_it(bob, _clock):
    from django.test import Client

    laptop, phone = Client(), Client()
    assert log_in(laptop, "bob")["Location"] == reverse("home")  # not enrolled: password alone
    assert laptop.get(reverse("home")).status_code == 200
    assert log_in(phone, "bob")["Location"] == reverse("home")
    phone.get(reverse("two_factor"))  # enrolment from the phone's session
    device = TOTPDevice.objects.get(user=bob)
    assert phone.post(reverse("two_factor"), {"code": code_of(device)}).status_code == 302

    assert phone.get(reverse("home")).status_code == 200  # the session that gave the code
    home = laptop.get(reverse("home"))  # logged in with the password alone, before enrolment
    assert home.status_code == 302 and home["Location"].startswith(reverse("login"))


def test_the_second_factor_costs_no_query_for_a_user_who_did_not_enrol(client, bob):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(bob)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    # No query of its own: the enrolment is read inside the query that loads the session's user.
    (reading_devices,) = [q["sql"] for q in captured.captured_queries if "otp_totp" in q["sql"]]
    assert reading_devices.startswith('SELECT "auth_user"."id"')
    assert 'FROM "auth_user" WHERE "auth_user"."id" = ' in reading_devices


def test_turning_it_off_needs_the_password_and_a_code(client, bob, _clock):
    device = enrol(bob)
    log_in(client, "bob")
    client.post(reverse("login_verify"), {"code": code_of(device)})
    _clock.shift(30)  # the next code: a used code is never accepted twice
    refused = client.post(
        reverse("two_factor_disable"), {"password": "wrong", "code": code_of(device)}
    )
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=bob).exists()
    _clock.shift(30)
    client.post(reverse("two_factor_disable"), {"password": PASSWORD, "code": code_of(device)})
    assert not TOTPDevice.objects.filter(user=bob).exists()
    client.logout()
    assert log_in(client, "bob")["Location"] == reverse("home")


def test_the_admin_requires_the_code_of_an_enrolled_superuser(client):
    root = get_user_model().objects.create_superuser("root", "root@example.jp", PASSWORD)
    device = enrol(root)
    client.force_login(root)  # a password-only session
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    # The admin's own login form refuses the password alone and points to the app's login.
    client.logout()
    refused = client.post(reverse("admin:login"), {"username": "root", "password": PASSWORD})
    assert refused.status_code == 200
    assert SESSION_KEY not in client.session
    assert reverse("login") in refused.content.decode()
    response = log_in(client, "root")
    assert response["Location"] == reverse("login_verify")
    client.post(reverse("login_verify"), {"code": code_of(device)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_needs_no_code_from_a_superuser_who_did_not_enrol(client):
    root = get_user_model().objects.create_superuser("root", "root@example.jp", PASSWORD)
    client.force_login(root)
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_lists_devices_without_their_keys(client):
    root = get_user_model().objects.create_superuser("root", "root@example.jp", PASSWORD)
    client.force_login(root)
    device = TOTPDevice.objects.create(user=root, name="Teichaku", confirmed=False)
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert page.status_code == 200
    assert device.key not in page.content.decode()


def test_a_right_code_is_refused_once_the_account_is_locked_out(client, bob):
    from django.test import Client as HttpClient

    device = enrol(bob)
    log_in(client, "bob")  # waiting for the code
    guesser = HttpClient()
    for _ in range(10):
        log_in(guesser, "bob", "wrong-password", REMOTE_ADDR="198.51.100.7")
    response = client.post(reverse("login_verify"), {"code": code_of(device)})
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
