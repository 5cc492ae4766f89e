"""The person's own voice (DESIGN 5.6): the office's LINE channel, the people linked to it, the
self check-in they answer, the early warnings it raises and what the person shares with their
employer.

Contacts are never written here: a message, a reply and a check-in each become a contact through
``contacts.services.contact_create``; these rows keep only what the channel itself needs (who is
linked, which webhook events were handled, which sends are pending or failed).
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from offices.scoping import OfficeScopedQuerySet


class LineChannel(models.Model):
    """An office's LINE official account. The secret and the token are stored encrypted
    (``voice.secretbox``) and never shown again once saved."""

    office_path = "office"

    office = models.OneToOneField(
        "offices.Office",
        on_delete=models.CASCADE,
        related_name="line_channel",
        verbose_name=_("office"),
    )
    secret_encrypted = models.TextField(editable=False)
    token_encrypted = models.TextField(editable=False)
    # The account's LINE ID (e.g. "@123abcde"), shown to the person with the link code.
    bot_id = models.CharField(_("LINE ID of the account"), max_length=64, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("LINE channel")
        verbose_name_plural = _("LINE channels")

    def __str__(self):
        return f"LINE {self.office}"


class LineLink(models.Model):
    """A person linked to their LINE account at their office; unlinking keeps the row."""

    office_path = "client__office"

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="line_links",
        verbose_name=_("client"),
    )
    channel = models.ForeignKey(
        LineChannel, on_delete=models.CASCADE, related_name="links", verbose_name=_("LINE channel")
    )
    line_user_id = models.CharField(_("LINE user ID"), max_length=64)
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)
    unlinked_at = models.DateTimeField(_("unlinked at"), null=True, blank=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("LINE link")
        verbose_name_plural = _("LINE links")
        ordering = ["-linked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"], condition=Q(unlinked_at__isnull=True), name="one_live_line_link"
            ),
            models.UniqueConstraint(
                fields=["channel", "line_user_id"],
                condition=Q(unlinked_at__isnull=True),
                name="one_person_per_line_user",
            ),
        ]

    def __str__(self):
        return f"LINE {self.client}"


def new_nonce():
    # 128 random bits as 32 hex digits: what a signed link names besides the row's id, so that a
    # new link never reuses an old one's token.
    return secrets.token_hex(16)


def new_link_code():
    # Eight digits: typed on a phone, unguessable within its lifetime (LINK_CODE_MINUTES).
    return f"{secrets.randbelow(10**8):08d}"


class LinkCode(models.Model):
    """A one-time code that links whoever sends it from LINE to the person; it expires."""

    office_path = "client__office"

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="line_link_codes",
        verbose_name=_("client"),
    )
    code = models.CharField(_("link code"), max_length=16, default=new_link_code)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("LINE link code")
        verbose_name_plural = _("LINE link codes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(used_at__isnull=True), name="unique_open_link_code"
            ),
        ]

    def __str__(self):
        return f"{self.client} {self.created_at:%Y-%m-%d %H:%M}"

    def is_open(self, now=None):
        return self.used_at is None and self.expires_at > (now or timezone.now())


class WebhookEvent(models.Model):
    """A webhook event already handled: LINE redelivers, each ``webhookEventId`` counts once."""

    office_path = "channel__office"

    channel = models.ForeignKey(LineChannel, on_delete=models.CASCADE, related_name="events")
    webhook_event_id = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=32)
    received_at = models.DateTimeField(auto_now_add=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("LINE webhook event")
        verbose_name_plural = _("LINE webhook events")

    def __str__(self):
        return self.webhook_event_id


class OutgoingMessage(models.Model):
    """A message the office sends the person on LINE (a staff reply, a check-in question): the
    same retry key on every try, so LINE delivers it once; a failure stays visible."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("line send", "Sending")
        SENT = "sent", pgettext_lazy("line send", "Sent")
        FAILED = "failed", pgettext_lazy("line send", "Not delivered")

    office_path = "client__office"

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="line_messages",
        verbose_name=_("client"),
    )
    contact = models.ForeignKey(
        "contacts.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact"),
    )
    text = models.TextField(_("message"))
    quick_reply = models.JSONField(default=list, blank=True)  # [(label, postback data)]
    retry_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("LINE message")
        verbose_name_plural = _("LINE messages")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.client} {self.created_at:%Y-%m-%d %H:%M}"


# --- the self check-in ------------------------------------------------------------------------


class CheckInItem(models.TextChoices):
    SLEEP = "sleep", pgettext_lazy("check-in item", "Sleep")
    HEALTH = "health", pgettext_lazy("check-in item", "Health")
    WORKLOAD = "workload", pgettext_lazy("check-in item", "Workload")
    RELATIONSHIPS = "relationships", pgettext_lazy("check-in item", "Relationships at work")
    MOOD = "mood", pgettext_lazy("check-in item", "Mood")
    MEALS = "meals", pgettext_lazy("check-in item", "Meals")
    COMMUTE = "commute", pgettext_lazy("check-in item", "Commute")


class Rhythm(models.IntegerChoices):
    DAILY = 1, pgettext_lazy("check-in rhythm", "Every day")
    TWICE_A_WEEK = 3, pgettext_lazy("check-in rhythm", "Twice a week")
    WEEKLY = 7, pgettext_lazy("check-in rhythm", "Every week")
    FORTNIGHTLY = 14, pgettext_lazy("check-in rhythm", "Every two weeks")


class CheckInPlan(models.Model):
    """What the person chose with staff: 3–5 items (``[{"key", "label"}]``: a listed item or
    their own words) and how often they check in."""

    office_path = "client__office"

    client = models.OneToOneField(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="check_in_plan",
        verbose_name=_("client"),
    )
    items = models.JSONField(_("items"), default=list)
    rhythm_days = models.PositiveSmallIntegerField(
        _("rhythm"), choices=Rhythm.choices, default=Rhythm.WEEKLY
    )
    ruby = models.BooleanField(_("show readings (furigana)"), default=False)
    active = models.BooleanField(_("active"), default=True)
    started_on = models.DateField(_("started on"))
    # The last day the daily round sent the LINE question (asked once a rhythm).
    asked_on = models.DateField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in plan")
        verbose_name_plural = _("check-in plans")

    def __str__(self):
        return f"{self.client} check-in"


class CheckIn(models.Model):
    """One answered check-in: a rating 1–4 per chosen item and a comment; recorded as a contact."""

    class Via(models.TextChoices):
        LINE = "line", pgettext_lazy("check-in via", "LINE")
        WEB = "web", pgettext_lazy("check-in via", "Web link")

    office_path = "client__office"

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="check_ins",
        verbose_name=_("client"),
    )
    answered_at = models.DateTimeField(_("answered at"))
    via = models.CharField(_("via"), max_length=8, choices=Via.choices)
    ratings = models.JSONField(_("ratings"), default=dict)  # item key → 1..4
    comment = models.TextField(_("comment"), blank=True)
    contact = models.OneToOneField(
        "contacts.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact"),
    )

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-answered_at", "-pk"]
        indexes = [models.Index(fields=["client", "answered_at"])]

    def __str__(self):
        return f"{self.client} {self.answered_at:%Y-%m-%d}"

    @property
    def mean(self):
        values = [v for v in self.ratings.values() if isinstance(v, int)]
        return sum(values) / len(values) if values else None


class LineCheckInDraft(models.Model):
    """A check-in being answered on LINE, one quick-reply button at a time."""

    office_path = "client__office"

    client = models.OneToOneField(
        "clients.Client", on_delete=models.CASCADE, related_name="line_check_in_draft"
    )
    ratings = models.JSONField(default=dict)
    started_at = models.DateTimeField(default=timezone.now)

    objects = OfficeScopedQuerySet.as_manager()

    def __str__(self):
        return f"{self.client} draft"


class RevocableLink(models.Model):
    """What a link handed outside the office shares (the check-in link, the employer's view): a
    nonce its signed token names, who made it and when, and an expiry and a revocation, either of
    which refuses the token."""

    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        abstract = True

    def is_open(self, now=None):
        return self.revoked_at is None and self.expires_at > (now or timezone.now())


class CheckInLink(RevocableLink):
    """A personal web link to the check-in for a person without LINE: signed, expiring and
    revocable (the signed token names this row; revoking or expiring it refuses the token)."""

    office_path = "client__office"

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="check_in_links",
        verbose_name=_("client"),
    )

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in link")
        verbose_name_plural = _("check-in links")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.client} {self.created_at:%Y-%m-%d}"


class CheckInWarning(models.Model):
    """An early warning raised by ``voice.warning`` for a person, until staff close it."""

    class Reason(models.TextChoices):
        DROP = "drop", pgettext_lazy("check-in warning", "Drop against their own recent level")
        LOW_RUN = "low_run", pgettext_lazy("check-in warning", "Low ratings in a row")
        SILENCE = "silence", pgettext_lazy("check-in warning", "Silent longer than their rhythm")

    office_path = "client__office"

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="check_in_warnings",
        verbose_name=_("client"),
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    raised_on = models.DateField(_("raised on"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in warning")
        verbose_name_plural = _("check-in warnings")
        ordering = ["-raised_on", "-pk"]
        constraints = [
            # One open warning per person and reason: a rule seen again the next day adds none.
            models.UniqueConstraint(
                fields=["client", "reason"],
                condition=Q(closed_at__isnull=True),
                name="one_open_warning_per_reason",
            ),
        ]

    def __str__(self):
        return f"{self.client} {self.reason} {self.raised_on}"


class EmployerShare(RevocableLink):
    """The person's consent to show their chosen items' trend to a named person at the employer,
    through a read-only link that expires and can be revoked."""

    office_path = "client__office"

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="employer_shares",
        verbose_name=_("client"),
    )
    employer_contact = models.ForeignKey(
        "clients.EmployerContact",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person at the employer"),
    )
    items = models.JSONField(_("items shared"), default=list)  # item keys
    consented_on = models.DateField(_("consent given on"))
    consent_note = models.CharField(_("how consent was given"), max_length=200)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("trend shared with the employer")
        verbose_name_plural = _("trends shared with the employer")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.client} → {self.employer_contact}"
