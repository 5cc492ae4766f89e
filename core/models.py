from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.numbers import progress_percent


class AuditAction(models.TextChoices):
    VIEW = "view", pgettext_lazy("audit action", "Viewed")
    CREATE = "create", pgettext_lazy("audit action", "Created")
    UPDATE = "update", pgettext_lazy("audit action", "Updated")
    DELETE = "delete", pgettext_lazy("audit action", "Deleted")
    EXPORT = "export", pgettext_lazy("audit action", "Exported")
    IMPORT = "import", pgettext_lazy("audit action", "Imported")
    DENIED = "denied", pgettext_lazy("audit action", "Refused")


class AuditVia(models.TextChoices):
    PAGE = "page", pgettext_lazy("audit via", "Page")
    COMMAND = "command", pgettext_lazy("audit via", "Command line")
    TASK = "task", pgettext_lazy("audit via", "Background task")


class AuditTrailIsAppendOnly(PermissionError):
    """An audit event was to be changed or deleted: the trail is append-only."""


class AuditEventQuerySet(models.QuerySet):
    """No bulk change or deletion of the trail through the ORM (PostgreSQL also refuses it with a
    trigger, migration core 0004)."""

    def update(self, **kwargs):
        raise AuditTrailIsAppendOnly("audit events are never changed")

    def delete(self):
        raise AuditTrailIsAppendOnly("audit events are never deleted")

    _raw_delete = delete


class AuditEvent(models.Model):
    """One entry of the audit trail. Append-only: ``save`` refuses to change a stored event and
    ``delete`` refuses (and so does the database on PostgreSQL). Who acted is kept as a stable
    reference (``user_ref_id``, ``username``) besides the link to the account, which is
    protected: an account with events is deactivated, never deleted."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    user_ref_id = models.BigIntegerField(_("user id"), null=True, blank=True, db_index=True)
    username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    via = models.CharField(_("via"), max_length=16, choices=AuditVia.choices, blank=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("office"),
    )
    detail = models.TextField(_("detail"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditTrailIsAppendOnly("audit events are never changed")
        if self.user_id is not None and self.user_ref_id is None:
            self.user_ref_id = self.user_id
            self.username = self.user.get_username()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly("audit events are never deleted")


class BackgroundJob(models.Model):
    """What every job row shares so that ``core.jobs`` can run, cancel and sweep it.

    A subclass gives ``Status`` (with PENDING, RUNNING, FAILED and CANCELLED) and
    ``ENDED_STATUSES``, and names in ``payload_fields`` the fields holding the uploaded data,
    which are emptied when the job ends however it ends.
    """

    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    error = models.TextField(_("error"), blank=True)

    payload_fields = {}

    class Meta:
        abstract = True

    @property
    def finished(self):
        return self.status in self.ENDED_STATUSES

    @property
    def can_cancel(self):
        return not self.finished and not self.cancel_requested

    @property
    def can_retry(self):
        return self.status in {self.Status.FAILED, self.Status.CANCELLED}


class RecordedBy(models.Model):
    """Who recorded the row and when, for records kept as written (case meetings, hand-overs).
    The account may go (the row stays, ``created_by`` emptied); the audit trail keeps who it
    was."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True


class OfficeMonthJob(BackgroundJob):
    """A background job over one office's month, counting the people it went through: report
    generation (``contacts.ReportBatchJob``) and the monthly close (``billing.MonthCloseJob``).

    A subclass adds its own counters and ``Meta`` (``class Meta(OfficeMonthJob.Meta)``), and its
    manager: ``objects = OfficeScopedQuerySet.as_manager()`` (offices' scoping, which core does
    not import). The office link has no reverse name; a subclass whose table was created with one
    redefines ``office``.
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("job status", "Waiting")
        RUNNING = "running", pgettext_lazy("job status", "Running")
        DONE = "done", pgettext_lazy("job status", "Done")
        FAILED = "failed", pgettext_lazy("job status", "Failed")
        CANCELLED = "cancelled", pgettext_lazy("job status", "Cancelled")

    ENDED_STATUSES = frozenset({Status.DONE, Status.FAILED, Status.CANCELLED})

    office_path = "office"

    office = models.ForeignKey(
        "offices.Office", on_delete=models.CASCADE, related_name="+", verbose_name=_("office")
    )
    month = models.DateField(_("month"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField(_("people"), default=0)
    done = models.PositiveIntegerField(_("processed"), default=0)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.office} {self.month:%Y-%m} ({self.status})"

    @property
    def progress_percent(self):
        return progress_percent(self.done, self.total, empty=100 if self.finished else 0)


class ImportJob(BackgroundJob):
    """One CSV import, run as a task so that a large file shows progress instead of hanging."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("import status", "Waiting")
        RUNNING = "running", pgettext_lazy("import status", "Running")
        DONE = "done", pgettext_lazy("import status", "Imported")
        REFUSED = "refused", pgettext_lazy("import status", "Refused")
        FAILED = "failed", pgettext_lazy("import status", "Failed")
        CANCELLED = "cancelled", pgettext_lazy("import status", "Cancelled")

    ENDED_STATUSES = frozenset({Status.DONE, Status.REFUSED, Status.FAILED, Status.CANCELLED})
    payload_fields = {"content": b""}  # the uploaded file may hold personal data

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=32)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    dry_run = models.BooleanField(_("check only"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows processed"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} {self.filename} ({self.get_status_display()})"

    @property
    def progress_percent(self):
        return progress_percent(self.rows_done, self.rows_total)


class DateStyle(models.TextChoices):
    WESTERN = "western", pgettext_lazy("date style", "Western calendar (2024年4月1日)")
    WAREKI = "wareki", pgettext_lazy("date style", "Japanese era (令和6年4月1日)")


class UserPreference(models.Model):
    """A user's display choices. No row: the defaults (Western calendar)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preference",
        verbose_name=_("user"),
    )
    date_style = models.CharField(
        _("dates shown as"), max_length=16, choices=DateStyle.choices, default=DateStyle.WESTERN
    )

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self):
        return str(self.user)


# The attribute the session's user carries its date style in (``session_user_facts``).
SESSION_DATE_STYLE = "session_date_style"


def session_user_facts():
    """{attribute: expression} of the user's date style ("" without a choice), as an annotation
    of a user query (``OuterRef("pk")``): ``offices.backends`` reads it with the session's user,
    so a page showing dates asks no query for it."""
    chosen = UserPreference.objects.filter(user=OuterRef("pk")).values("date_style")[:1]
    return {SESSION_DATE_STYLE: Coalesce(Subquery(chosen), Value(""))}


def date_style_of(user):
    """The user's ``DateStyle`` (the Western calendar when the user chose none)."""
    if not getattr(user, "is_authenticated", False):
        return DateStyle.WESTERN
    cached = getattr(user, "_date_style", None)
    if cached is None and getattr(user, SESSION_DATE_STYLE, None) is not None:
        cached = user._date_style = getattr(user, SESSION_DATE_STYLE) or DateStyle.WESTERN
    if cached is None:
        cached = (
            UserPreference.objects.filter(user=user).values_list("date_style", flat=True).first()
            or DateStyle.WESTERN
        )
        user._date_style = cached
    return cached
