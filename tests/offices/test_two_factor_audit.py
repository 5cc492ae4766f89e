"""Turning two-factor login on and off is written by offices.services and audited."""

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditEvent
from tests.offices.test_two_factor import (  # noqa: F401 (fixtures)
    PASSWORD,
    _clock,
    bob,
    code_of,
    log_in,
)


def test_enrolment_and_turning_it_off_are_in_the_audit_trail(client, bob, _clock):  # noqa: F811
    client.force_login(bob)
    client.get(reverse("two_factor"))
    client.get(reverse("two_factor"))  # the same unconfirmed device: made once
    device = TOTPDevice.objects.get(user=bob)
    _clock.shift(5)
    assert client.post(reverse("two_factor"), {"code": code_of(device)}).status_code == 302
    _clock.shift(30)
    client.post(reverse("two_factor_disable"), {"password": PASSWORD, "code": code_of(device)})
    assert not TOTPDevice.objects.filter(user=bob).exists()
    events = AuditEvent.objects.filter(user=bob, detail__startswith="2FA").order_by("pk")
    assert [(e.action, e.detail.split(":")[0]) for e in events] == [
        ("create", "2FA enrolment"),
        ("update", "2FA on"),
        ("update", "2FA off"),
    ]
