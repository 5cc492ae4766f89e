from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import RecordedBy
from offices.scoping import OfficeScopedQuerySet, is_active_account, offices_visible_to
from plans import documents, rules


class LifeDomain(models.TextChoices):
    """The life side of the assessment and the role map: a fixed vocabulary (codes are stable)."""

    HEALTH_SLEEP = "health_sleep", pgettext_lazy("life domain", "Health and sleep")
    MEDICATION = "medication", pgettext_lazy("life domain", "Medication")
    MONEY = "money", pgettext_lazy("life domain", "Money")
    HOUSING = "housing", pgettext_lazy("life domain", "Housing")
    FAMILY = "family", pgettext_lazy("life domain", "Family")
    COMMUTING = "commuting", pgettext_lazy("life domain", "Commuting")
    WORK_RELATIONSHIPS = (
        "work_relationships",
        pgettext_lazy("life domain", "Relationships at work"),
    )
    LEISURE = "leisure", pgettext_lazy("life domain", "Leisure")


class Supporter(models.TextChoices):
    """Who may cover a life domain in the role map."""

    FAMILY = "family", pgettext_lazy("supporter", "Family")
    DOCTOR = "doctor", pgettext_lazy("supporter", "Doctor")
    CONSULTATION_OFFICE = (
        "consultation_office",
        pgettext_lazy("supporter", "Consultation support office"),
    )
    EMPLOYMENT_LIFE_CENTER = (
        "employment_life_center",
        pgettext_lazy("supporter", "Employment and life support center"),
    )
    EMPLOYER = "employer", pgettext_lazy("supporter", "Employer")
    THIS_OFFICE = "this_office", pgettext_lazy("supporter", "This office")


class ConsentMethod(models.TextChoices):
    SIGNATURE = "signature", pgettext_lazy("consent", "Signature")
    VERBAL = "verbal", pgettext_lazy("consent", "Verbal")
    ELECTRONIC = "electronic", pgettext_lazy("consent", "Electronic")


class VersionReason(models.TextChoices):
    INITIAL = "initial", pgettext_lazy("plan version", "First plan")
    REVIEW = "review", pgettext_lazy("plan version", "Scheduled review")
    REVISION = "revision", pgettext_lazy("plan version", "Revision")


class Presenter(models.TextChoices):
    SERVICE_MANAGER = "service_manager", pgettext_lazy("presenter", "Service manager")
    OTHER_STAFF = "other_staff", pgettext_lazy("presenter", "Other staff")


class OfficePlanSettings(models.Model):
    """The plan settings of an office's designation (edited in the admin)."""

    office_path = "office"

    office = models.OneToOneField(
        "offices.Office",
        on_delete=models.CASCADE,
        related_name="plan_settings",
        verbose_name=_("office"),
    )
    review_interval_months = models.PositiveSmallIntegerField(
        _("review interval (months)"),
        default=rules.DEFAULT_REVIEW_INTERVAL_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("How often plans are reviewed, as the office's designation says."),
    )
    # The hand-over system (支援体制構築, DESIGN 4 ``no_handover_system``): a written policy and a
    # named person in charge.
    handover_policy = models.TextField(
        _("hand-over policy"),
        blank=True,
        help_text=_("How the office hands people over to the support that continues."),
    )
    handover_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person in charge of hand-overs"),
    )

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("office plan settings")
        verbose_name_plural = _("office plan settings")

    def __str__(self):
        return f"{self.office}: {self.review_interval_months}"


class SupportPlan(models.Model):
    """One version of a person's support plan (就労定着支援計画). Versions are never overwritten
    once approved: a review or revision makes a new one, and the current plan is the latest
    agreed version (``plans.rules.current_plan``)."""

    office_path = "client__office"

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        related_name="support_plans",
        verbose_name=_("client"),
    )
    version = models.PositiveIntegerField(_("version"))
    reason = models.CharField(
        _("reason"), max_length=16, choices=VersionReason.choices, default=VersionReason.INITIAL
    )
    plan_date = models.DateField(_("plan date"))
    assessment_work = models.TextField(_("assessment: work side"), blank=True)
    # {life domain code: text}
    assessment_life = models.JSONField(_("assessment: life side"), default=dict, blank=True)
    long_term_goal = models.TextField(_("long-term goal"), blank=True)
    short_term_goals = models.TextField(
        _("short-term goals"), blank=True, help_text=_("One goal a line.")
    )
    support_content = models.TextField(_("support to give"), blank=True)
    # {life domain code: [supporter codes]}: who covers each domain; an empty list is a gap.
    role_map = models.JSONField(_("role map"), default=dict, blank=True)
    next_review_by = models.DateField(_("review by"))
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    consented_on = models.DateField(_("agreed with the person on"), null=True, blank=True)
    consent_method = models.CharField(
        _("how agreed"), max_length=16, choices=ConsentMethod.choices, blank=True
    )

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("support plan")
        verbose_name_plural = _("support plans")
        ordering = ["client", "-plan_date", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["client", "version"], name="unique_plan_version"),
            # The support_plans CSV's natural key: office_number + client_code + plan_date.
            models.UniqueConstraint(fields=["client", "plan_date"], name="unique_plan_date"),
        ]

    def __str__(self):
        return f"{self.client} v{self.version} {self.plan_date}"

    @property
    def is_approved(self):
        return self.approved_on is not None

    @property
    def is_agreed(self):
        return self.approved_on is not None and self.consented_on is not None

    @property
    def goals(self):
        return [line.strip() for line in self.short_term_goals.splitlines() if line.strip()]

    @property
    def uncovered_domains(self):
        return rules.uncovered_domains(self.role_map, LifeDomain.values)

    def role_rows(self):
        """(domain code, label, [supporter labels], assessment text) for each life domain."""
        labels = dict(Supporter.choices)
        return [
            (
                code,
                label,
                [labels.get(s, s) for s in (self.role_map or {}).get(code, [])],
                (self.assessment_life or {}).get(code, ""),
            )
            for code, label in LifeDomain.choices
        ]


class MonitoringNote(models.Model):
    """A monitoring record between reviews (モニタリング)."""

    office_path = "plan__client__office"

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="monitoring_notes")
    noted_on = models.DateField(_("date"))
    note = models.TextField(_("monitoring note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("monitoring note")
        verbose_name_plural = _("monitoring notes")
        ordering = ["-noted_on", "-pk"]

    def __str__(self):
        return f"{self.plan} {self.noted_on}"


class CaseMeeting(RecordedBy):
    """A case meeting with the agencies (地域連携会議), linked to the plan version it discussed."""

    office_path = "client__office"

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        related_name="case_meetings",
        verbose_name=_("client"),
    )
    plan = models.ForeignKey(
        SupportPlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_meetings",
        verbose_name=_("plan version"),
    )
    held_on = models.DateField(_("held on"))
    agencies = models.JSONField(_("agencies present"), default=list, blank=True)
    presenter = models.CharField(_("presenter"), max_length=16, choices=Presenter.choices)
    reported_back_on = models.DateField(
        _("reported back to the service manager on"), null=True, blank=True
    )
    plan_changes = models.TextField(_("plan changes agreed"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("case meeting")
        verbose_name_plural = _("case meetings")
        ordering = ["-held_on", "-pk"]
        constraints = [
            # The case_meetings CSV's natural key: office_number + client_code + held_on.
            models.UniqueConstraint(fields=["client", "held_on"], name="one_meeting_per_day"),
        ]

    def __str__(self):
        return f"{self.client} {self.held_on}"

    @property
    def qualifies(self):
        """Presented by the service manager, or by other staff who reported back (DESIGN 4)."""
        return self.presenter == Presenter.SERVICE_MANAGER or self.reported_back_on is not None


class Successor(models.TextChoices):
    """Who takes over at the end of the service."""

    EMPLOYMENT_LIFE_CENTER = (
        "employment_life_center",
        pgettext_lazy("successor", "Employment and life support center"),
    )
    CONSULTATION_OFFICE = (
        "consultation_office",
        pgettext_lazy("successor", "Consultation support office"),
    )
    EMPLOYER = "employer", pgettext_lazy("successor", "Employer")
    HELLO_WORK = "hello_work", pgettext_lazy("successor", "Hello Work")
    OTHER = "other", pgettext_lazy("successor", "Other")


class ReferralHandoverQuerySet(models.QuerySet):
    """Not office-scoped in the usual way (``scoped()`` refuses it): a hand-over belongs to two
    offices, and the receiving one reads it only while the person's consent stands."""

    def readable_by(self, user):
        """What ``user`` may read: the referring office its own records, always; the receiving
        office a record shared with it while the consent stands (an uploaded document is the
        receiving office's own record, and withdrawal hides it too)."""
        if not is_active_account(user):
            return self.none()
        offices = offices_visible_to(user).values("pk")
        return self.filter(
            Q(source_client__isnull=False, referring_office__in=offices)
            | Q(receiving_office__in=offices, consent_withdrawn_on__isnull=True)
        )

    def withdrawn_for(self, user):
        """Records addressed to ``user``'s offices whose consent was withdrawn: the receiving
        office may know that one existed and when consent ended, nothing else."""
        if not is_active_account(user):
            return self.none()
        return self.filter(
            receiving_office__in=offices_visible_to(user).values("pk"),
            consent_withdrawn_on__isnull=False,
        )

    def shared(self):
        return self.filter(consent_withdrawn_on__isnull=True)


class ReferralHandover(RecordedBy):
    """The hand-over from the office the person came from (引き継ぎ), shared with one named
    receiving office on the person's recorded consent.

    Written by the referring office for a client of its own who moves on (``source_client``), or,
    when the referring office does not use the system, by the receiving office from the document
    it received (``document``, stored outside the web root). ``client`` is the person at the
    receiving office, once linked."""

    referring_office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("referring office"),
    )
    receiving_office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("receiving office"),
    )
    source_client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outgoing_handovers",
        verbose_name=_("person at the referring office"),
    )
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_handovers",
        verbose_name=_("person at the receiving office"),
    )
    disability_traits = models.TextField(_("disability traits and accommodations"), blank=True)
    what_worked = models.TextField(_("what worked in training"), blank=True)
    job_search = models.TextField(_("how the job was found"), blank=True)
    employer_contacts = models.TextField(
        _("employer contacts and agreed accommodations"), blank=True
    )
    medical_contacts = models.TextField(_("medical contacts"), blank=True)
    life_support_contacts = models.TextField(_("life-support contacts"), blank=True)
    own_words = models.TextField(_("the person's own words"), blank=True)
    consented_on = models.DateField(_("consent given on"))
    consent_method = models.CharField(
        _("how consent was given"), max_length=16, choices=ConsentMethod.choices
    )
    consent_withdrawn_on = models.DateField(_("consent withdrawn on"), null=True, blank=True)
    document = models.FileField(
        _("document received"),
        storage=documents.private_storage,
        upload_to=documents.upload_to,
        blank=True,
    )
    document_name = models.CharField(_("file name"), max_length=200, blank=True)
    document_type = models.CharField(_("file type"), max_length=8, blank=True)

    objects = ReferralHandoverQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral hand-over")
        verbose_name_plural = _("referral hand-overs")
        ordering = ["-consented_on", "-pk"]

    def __str__(self):
        return f"{self.referring_office} → {self.receiving_office} {self.consented_on}"

    @property
    def written_by_referrer(self):
        return self.source_client_id is not None

    @property
    def author_office(self):
        return self.referring_office if self.written_by_referrer else self.receiving_office

    @property
    def is_shared(self):
        return self.consent_withdrawn_on is None


class ServiceEndHandover(RecordedBy):
    """A hand-over at the end of the service: who takes over, what was shared with them and
    when, and the person's consent. Kept on record (DESIGN 1 and 4, ``no_handover_system``)."""

    office_path = "client__office"

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        related_name="end_handovers",
        verbose_name=_("client"),
    )
    successor = models.CharField(_("who takes over"), max_length=32, choices=Successor.choices)
    successor_name = models.CharField(_("name of the successor"), max_length=200)
    shared_on = models.DateField(_("shared on"))
    shared_what = models.TextField(_("what was shared"))
    consented_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_method = models.CharField(
        _("how consent was given"), max_length=16, choices=ConsentMethod.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("end-of-service hand-over")
        verbose_name_plural = _("end-of-service hand-overs")
        ordering = ["-shared_on", "-pk"]

    def __str__(self):
        return f"{self.client} → {self.successor_name} {self.shared_on}"
