"""Offices' own writes (atomic, audited through ``core.audit``, keyword-only arguments): a staff
member's two-factor device. The rules of two-factor login stay in ``offices.two_factor``; offices
and corporations are written by their import (``offices.importers``)."""

from django.db import transaction
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import audit
from core.models import AuditAction


def enrolment_device(*, actor, user):
    """The unconfirmed device an enrolment shows, made once (and recorded) and kept until it is
    confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        with transaction.atomic():
            device = TOTPDevice.objects.create(user=user, name="Teichaku", confirmed=False)
            audit.record(actor=actor, action=AuditAction.CREATE, obj=device, detail="2FA enrolment")
    return device


def confirm_enrolment(*, actor, request, device):
    """Two-factor login takes effect (other unconfirmed devices go); this session counts as
    verified."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=device, detail="2FA on")
    otp_login(request, device)


def disable_two_factor(*, actor, request, user):
    """Two-factor login off: every device of ``user`` goes, and this session's verification."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        audit.record(actor=actor, action=AuditAction.UPDATE, detail=f"2FA off: {user}")
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
