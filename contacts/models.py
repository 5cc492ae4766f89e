from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.fields import ChoiceListField
from core.models import OfficeMonthJob
from core.vocab import ContactMethod, Counterpart
from offices.scoping import OfficeScopedQuerySet


class WorkTopic(models.TextChoices):
    """Work-side topics of a contact (the employer side of the person's working life)."""

    TASKS = "tasks", pgettext_lazy("work topic", "Tasks and performance")
    ATTENDANCE = "attendance", pgettext_lazy("work topic", "Attendance and working hours")
    RELATIONSHIPS = "relationships", pgettext_lazy("work topic", "Relationships at work")
    ACCOMMODATION = "accommodation", pgettext_lazy("work topic", "Reasonable accommodation")
    CONDITIONS = "conditions", pgettext_lazy("work topic", "Pay and working conditions")
    CAREER = "career", pgettext_lazy("work topic", "Career and job change")


class LifeTopic(models.TextChoices):
    """Life-side topics (family, health, money, housing, other services)."""

    HEALTH = "health", pgettext_lazy("life topic", "Health and medication")
    RHYTHM = "rhythm", pgettext_lazy("life topic", "Daily rhythm and sleep")
    MONEY = "money", pgettext_lazy("life topic", "Money management")
    FAMILY = "family", pgettext_lazy("life topic", "Family")
    HOUSING = "housing", pgettext_lazy("life topic", "Housing")
    LEISURE = "leisure", pgettext_lazy("life topic", "Leisure and friends")
    SERVICES = "services", pgettext_lazy("life topic", "Welfare services and procedures")


class ContactQuerySet(OfficeScopedQuerySet):
    def live(self):
        """Contacts not deleted. Every count, list and report uses only these."""
        return self.filter(deleted_at__isnull=True)

    def open_follow_ups(self):
        """Contacts whose follow-up date still stands: no later contact with the same person.

        A contact logged after the one that set the date is the follow-up (it may set a new date).
        """
        later = Contact.objects.live().filter(
            client=OuterRef("client"), contacted_at__gt=OuterRef("contacted_at")
        )
        return self.live().filter(next_follow_up__isnull=False).exclude(Exists(later))


_METHODS = frozenset(ContactMethod.values)


class Contact(models.Model):
    """One contact with or about a person: a visit, a call, a message, a meeting."""

    office_path = "client__office"

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        related_name="contacts",
        verbose_name=_("client"),
        # No single-column index: the (client, contacted_at) index and the unique live key
        # lead with it, and an import paid for a third copy on every row.
        db_index=False,
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("staff member"),
    )
    contacted_at = models.DateTimeField(_("time of contact"), db_index=True)
    method = models.CharField(_("method"), max_length=32, choices=ContactMethod.choices)
    counterpart = models.CharField(_("counterpart"), max_length=32, choices=Counterpart.choices)
    # Whom at the employer, when the counterpart is the employer (optional).
    employer_contact = models.ForeignKey(
        "clients.EmployerContact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("person at the employer"),
    )
    face_to_face = models.BooleanField(_("face-to-face"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    work_topics = ChoiceListField(_("work-side topics"), choices_enum=WorkTopic)
    life_topics = ChoiceListField(_("life-side topics"), choices_enum=LifeTopic)
    summary = models.TextField(_("summary"), blank=True)
    next_follow_up = models.DateField(_("next follow-up"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Deleting keeps the row (soft delete) so that the history and its reasons survive.
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deleted by"),
    )
    delete_reason = models.TextField(_("reason for deletion"), blank=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-contacted_at", "-pk"]
        constraints = [
            # The natural key of the CSV import, and a guard against a double tap on a phone.
            models.UniqueConstraint(
                fields=["client", "contacted_at", "method", "counterpart"],
                condition=Q(deleted_at__isnull=True),
                name="unique_live_contact",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "contacted_at"]),
            # Follow-ups due (worklist, reminders): a few per cent of the contacts carry a date.
            models.Index(
                fields=["next_follow_up"],
                condition=Q(next_follow_up__isnull=False, deleted_at__isnull=True),
                name="contact_follow_up_idx",
            ),
            # The same follow-ups reached from an office's or a corporation's people (the home
            # pages): only theirs are read, not the country's due dates.
            models.Index(
                fields=["client", "next_follow_up"],
                condition=Q(next_follow_up__isnull=False, deleted_at__isnull=True),
                name="contact_client_follow_up_idx",
            ),
        ]

    def __str__(self):
        return self.describe(self.client, self.method, self.contacted_at)

    @staticmethod
    def describe(client, method, contacted_at, *, label=None):
        """What ``str`` of a contact says, from its parts (``client``: the person or their
        ``str``; ``label``: the method's, when the caller remembers it): an import names the
        contacts of its audit events without building them."""
        if label is None:
            label = Contact.method_label(method)
        return f"{client} {label} {contacted_at:%Y-%m-%d}"

    @staticmethod
    def method_label(method):
        # The method's label looked up directly: ``get_method_display`` hashes every choice,
        # translating each, and an import names a hundred thousand contacts in its events.
        return str(ContactMethod(method).label) if method in _METHODS else method

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    def snapshot(self):
        """Plain values of the editable fields, for a revision record."""
        return {
            "staff": self.staff.get_username() if self.staff_id else "",
            "contacted_at": self.contacted_at.isoformat() if self.contacted_at else "",
            "method": self.method,
            "counterpart": self.counterpart,
            "employer_contact": self.employer_contact_id,
            "face_to_face": self.face_to_face,
            "duration_minutes": self.duration_minutes,
            "work_topics": list(self.work_topics or []),
            "life_topics": list(self.life_topics or []),
            "summary": self.summary,
            "next_follow_up": self.next_follow_up.isoformat() if self.next_follow_up else "",
        }


class ContactRevision(models.Model):
    """What a contact looked like before an edit or a deletion, who changed it and why."""

    class Action(models.TextChoices):
        UPDATE = "update", pgettext_lazy("revision action", "Edited")
        DELETE = "delete", pgettext_lazy("revision action", "Deleted")

    office_path = "contact__client__office"

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("contact")
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    reason = models.TextField(_("reason"))
    before = models.JSONField(_("before"), default=dict)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact revision")
        verbose_name_plural = _("contact revisions")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.contact_id} {self.action} {self.changed_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """An in-app reminder for one staff member about one item, created at most once a day."""

    class Kind(models.TextChoices):
        NO_FACE_TO_FACE = (
            "no_face_to_face",
            pgettext_lazy("notification", "No face-to-face contact this month yet"),
        )
        FOLLOW_UP_DUE = "follow_up_due", pgettext_lazy("notification", "Follow-up due")
        SERVICE_ENDING = (
            "service_ending",
            pgettext_lazy("notification", "Service ending soon"),
        )
        AWAITING_REEMPLOYMENT = (
            "awaiting_reemployment",
            pgettext_lazy(
                "notification", "Record the new job before the month after the job change runs out"
            ),
        )
        PLAN_REVIEW_DUE = (
            "plan_review_due",
            pgettext_lazy("notification", "Support plan review due"),
        )
        CERTIFICATE_ENDING = (
            "certificate_ending",
            pgettext_lazy("notification", "Recipient certificate decision period ending"),
        )
        CHECK_IN_WARNING = (
            "check_in_warning",
            pgettext_lazy("notification", "Early warning from the person's check-in"),
        )

    office_path = "client__office"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("client"),
    )
    # What the item is about, e.g. "contact:12" for a follow-up; part of the once-a-day key.
    item_key = models.CharField(_("item"), max_length=64)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    email_batch = models.CharField(max_length=32, blank=True, editable=False)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-day", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "item_key", "day"], name="one_notification_per_item_day"
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.user} {self.kind} {self.item_key}"


class ReportRecipient(models.TextChoices):
    """To whom a support report was given (支援レポートの共有先)."""

    PERSON = "person", pgettext_lazy("report recipient", "The person")
    EMPLOYER = "employer", pgettext_lazy("report recipient", "Employer")
    FAMILY = "family", pgettext_lazy("report recipient", "Family")
    CONSULTATION = "consultation", pgettext_lazy("report recipient", "Consultation office")
    DOCTOR = "doctor", pgettext_lazy("report recipient", "Doctor")
    OTHER = "other", pgettext_lazy("report recipient", "Other")


class SharingMethod(models.TextChoices):
    """How a support report was given."""

    HAND_DELIVERED = "hand_delivered", pgettext_lazy("sharing method", "Handed over")
    POST = "post", pgettext_lazy("sharing method", "By post")
    EMAIL = "email", pgettext_lazy("sharing method", "By e-mail")
    EXPLAINED_IN_MEETING = (
        "explained_in_meeting",
        pgettext_lazy("sharing method", "Explained in a meeting"),
    )
    FAX = "fax", pgettext_lazy("sharing method", "By fax")
    OTHER = "other", pgettext_lazy("sharing method", "Other")


class ConfirmationMethod(models.TextChoices):
    """How the person confirmed the report (本人確認)."""

    SIGNATURE = "signature", pgettext_lazy("confirmation method", "Signature")
    SEAL = "seal", pgettext_lazy("confirmation method", "Seal")
    VERBAL = "verbal", pgettext_lazy("confirmation method", "Confirmed orally")
    EMAIL = "email", pgettext_lazy("confirmation method", "Confirmed by e-mail")
    OTHER = "other", pgettext_lazy("confirmation method", "Other")


class SupportReportQuerySet(OfficeScopedQuerySet):
    def current(self):
        """The version of each month's report that counts: the latest (older ones are kept)."""
        return self.filter(is_current=True)


class SupportReport(models.Model):
    """One version of the monthly support report (支援レポート) of one person.

    A month has one current version. Once a version is shared with the person its content is
    frozen (``contacts.reports``); a correction is a new version with its reason, and the
    earlier versions are kept.
    """

    office_path = "client__office"

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        related_name="support_reports",
        verbose_name=_("client"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month reported on."))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member in charge"),
    )
    plan_goals = models.TextField(_("goals of the support plan"), blank=True)
    work_side = models.TextField(_("work side"), blank=True)
    life_side = models.TextField(_("life side"), blank=True)
    summary = models.TextField(_("summary of the support"), blank=True)
    next_goals = models.TextField(_("goals for next month"), blank=True)
    confirmed_on = models.DateField(_("confirmed by the person on"), null=True, blank=True)
    confirmation_method = models.CharField(
        _("how the person confirmed"),
        max_length=16,
        choices=ConfirmationMethod.choices,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    objects = SupportReportQuerySet.as_manager()

    # The content a sharing with the person freezes (contacts.reports.report_update).
    CONTENT_FIELDS = ("staff", "plan_goals", "summary", "work_side", "life_side", "next_goals")

    class Meta:
        verbose_name = _("support report")
        verbose_name_plural = _("support reports")
        ordering = ["-month", "client", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "month", "version"], name="one_report_version_per_month"
            ),
            models.UniqueConstraint(
                fields=["client", "month"],
                condition=Q(is_current=True),
                name="one_current_report_per_month",
            ),
        ]

    def __str__(self):
        if self.version > 1:
            return f"{self.client} {self.month:%Y-%m} v{self.version}"
        return f"{self.client} {self.month:%Y-%m}"

    def _first_shared_on(self, recipient):
        # Reads the prefetched rows when a list prefetched them.
        dates = [s.shared_on for s in self.sharings.all() if s.recipient == recipient]
        return min(dates, default=None)

    @property
    def shared_with_client_on(self):
        """The day this version was first shared with the person (its 共有日), or None."""
        return self._first_shared_on(ReportRecipient.PERSON)

    @property
    def shared_with_employer_on(self):
        return self._first_shared_on(ReportRecipient.EMPLOYER)

    @property
    def is_shared(self):
        """Shared with the person: the month's billing condition, and the content is frozen."""
        return self.shared_with_client_on is not None


class ReportSharing(models.Model):
    """One giving of a report version to one recipient: when, how, and to whom."""

    office_path = "report__client__office"

    report = models.ForeignKey(
        SupportReport,
        on_delete=models.CASCADE,
        related_name="sharings",
        verbose_name=_("support report"),
    )
    recipient = models.CharField(_("recipient"), max_length=16, choices=ReportRecipient.choices)
    shared_on = models.DateField(_("shared on"))
    # Blank only on rows carried over from the former date fields, which kept no method.
    method = models.CharField(
        _("how it was shared"), max_length=32, choices=SharingMethod.choices, blank=True
    )
    employer_contact = models.ForeignKey(
        "clients.EmployerContact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_sharings",
        verbose_name=_("person at the employer"),
    )
    recipient_name = models.CharField(_("recipient's name"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("report sharing")
        verbose_name_plural = _("report sharings")
        ordering = ["shared_on", "pk"]
        indexes = [models.Index(fields=["recipient", "shared_on"])]

    def __str__(self):
        return f"{self.report} → {self.get_recipient_display()} {self.shared_on}"

    @property
    def recipient_label(self):
        """The recipient as shown: the named person at the employer, or the name typed in."""
        if self.employer_contact_id:
            return f"{self.get_recipient_display()}: {self.employer_contact}"
        if self.recipient_name:
            return f"{self.get_recipient_display()}: {self.recipient_name}"
        return self.get_recipient_display()


class ReportBatchJob(OfficeMonthJob):
    """Generating the month's reports for every person of an office, with visible progress."""

    created = models.PositiveIntegerField(_("reports created"), default=0)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta(OfficeMonthJob.Meta):
        verbose_name = _("report generation job")
        verbose_name_plural = _("report generation jobs")
