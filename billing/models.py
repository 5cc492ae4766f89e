"""Additions and reductions (docs/domain.md 4.4): data keyed by the date it takes effect, edited in
the admin; recipient certificates and the monthly close's job (4.5). The fee tables and unit
prices live in ``clients`` (``clients/fees.py``: the retention page reads them), the closed-month
lock in ``offices`` (``offices/month_lock.py``: contacts and plans check it); the month's figures
are in ``billing/rules.py``."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import OfficeMonthJob
from offices.scoping import OfficeScopedQuerySet

# ---------------------------------------------------------------------------------------------
# Recipient certificates (受給者証, docs/domain.md 4.5)


class RecipientCertificate(models.Model):
    """A person's recipient certificate: the municipality that decides the funding and the
    recipient number. Its decision periods (支給決定期間) follow one another over time."""

    office_path = "client__office"

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("client"),
    )
    recipient_number = models.CharField(_("recipient number"), max_length=10)
    municipality_number = models.CharField(_("municipality number"), max_length=6)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("recipient certificate")
        verbose_name_plural = _("recipient certificates")
        ordering = ["client", "recipient_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "recipient_number"], name="one_certificate_per_number"
            ),
        ]

    def __str__(self):
        return f"{self.client} {self.recipient_number}"


class DecisionPeriod(models.Model):
    """One decision period (支給決定期間) of a certificate, with the monthly co-payment cap."""

    office_path = "certificate__client__office"

    certificate = models.ForeignKey(
        RecipientCertificate,
        on_delete=models.CASCADE,
        related_name="periods",
        verbose_name=_("recipient certificate"),
    )
    start = models.DateField(_("decision period start"))
    end = models.DateField(_("decision period end"))
    copay_cap = models.PositiveIntegerField(
        _("monthly co-payment cap (yen)"), null=True, blank=True
    )

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision period")
        verbose_name_plural = _("decision periods")
        ordering = ["certificate", "-start"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "start"], name="one_decision_period_per_start"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="decision_period_in_order"
            ),
        ]

    def __str__(self):
        return f"{self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"


# ---------------------------------------------------------------------------------------------
# Additions and reductions (docs/domain.md 4.4)


class AdjustmentCode(models.TextChoices):
    INITIAL = "initial", pgettext_lazy("adjustment", "Initial addition")
    REGIONAL_MEETING_1 = (
        "regional_meeting_1",
        pgettext_lazy("adjustment", "Regional cooperation meeting addition (I)"),
    )
    REGIONAL_MEETING_2 = (
        "regional_meeting_2",
        pgettext_lazy("adjustment", "Regional cooperation meeting addition (II)"),
    )
    RETENTION_RECORD = (
        "retention_record",
        pgettext_lazy("adjustment", "Retention record system addition"),
    )
    JOB_COACH = "job_coach", pgettext_lazy("adjustment", "Job coach deployment addition")
    SPECIAL_AREA = "special_area", pgettext_lazy("adjustment", "Special area addition")
    NO_PLAN = "no_plan", pgettext_lazy("adjustment", "Reduction without a support plan")
    NO_HANDOVER_SYSTEM = (
        "no_handover_system",
        pgettext_lazy("adjustment", "Reduction without a hand-over system"),
    )


class Adjustment(models.Model):
    """The value of one addition or reduction from ``effective_from`` until a later row of the
    same code takes effect: ``units`` (an addition in units) or ``percent`` of the base units
    (negative for a reduction); ``later_percent`` applies from month ``later_from_month`` on
    (the unplanned reduction's −50% from the third month)."""

    code = models.CharField(_("code"), max_length=32, choices=AdjustmentCode.choices)
    effective_from = models.DateField(_("effective from"))
    units = models.IntegerField(_("units"), null=True, blank=True)
    percent = models.DecimalField(
        _("percent of base units"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    later_percent = models.DecimalField(
        _("percent from a later month"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    later_from_month = models.PositiveSmallIntegerField(
        _("later percent from month"), null=True, blank=True
    )
    source = models.TextField(_("source"), blank=True)
    verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_("On only when the value has been checked against the cited source."),
    )

    class Meta:
        verbose_name = _("addition or reduction")
        verbose_name_plural = _("additions and reductions")
        ordering = ["code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="unique_adjustment"),
            models.CheckConstraint(
                condition=models.Q(units__isnull=False) | models.Q(percent__isnull=False),
                name="adjustment_has_a_value",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.effective_from:%Y-%m-%d}"


class OfficeBillingSettings(models.Model):
    """An office's standing conditions for the per-person-month additions."""

    office = models.OneToOneField(
        "offices.Office",
        on_delete=models.CASCADE,
        related_name="billing_settings",
        verbose_name=_("office"),
    )
    retention_record = models.BooleanField(
        _("retention record system addition"),
        default=False,
        help_text=_(
            "At least 70% of the people who finished the service are still with their employer "
            "3 years 6 months to 6 years 6 months after hire."
        ),
    )
    job_coach = models.BooleanField(
        _("job coach deployment addition"),
        default=False,
        help_text=_("A job coach who completed the training is deployed."),
    )

    class Meta:
        verbose_name = _("office billing settings")
        verbose_name_plural = _("office billing settings")

    def __str__(self):
        return str(self.office)


class InitialAddition(models.TextChoices):
    BY_ORIGIN = "", pgettext_lazy("initial addition", "By origin (other organisation earns it)")
    EARNS = "earns", pgettext_lazy("initial addition", "Earns it")
    DOES_NOT_EARN = "does_not_earn", pgettext_lazy("initial addition", "Does not earn it")


class ClientBillingSettings(models.Model):
    """A person's billing settings: the manager's override of the initial addition and the
    special area."""

    office_path = "client__office"

    client = models.OneToOneField(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="billing_settings",
        verbose_name=_("client"),
    )
    initial_addition = models.CharField(
        _("initial addition"),
        max_length=16,
        choices=InitialAddition.choices,
        blank=True,
        default=InitialAddition.BY_ORIGIN,
        help_text=_(
            "By default a person from another organisation's office earns it; a manager may "
            "decide otherwise for an office not run together with this one."
        ),
    )
    special_area = models.BooleanField(
        _("lives in a special area"),
        default=False,
        help_text=_("A designated area (中山間地域等) for the special area addition."),
    )

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("client billing settings")
        verbose_name_plural = _("client billing settings")

    def __str__(self):
        return str(self.client)


# ---------------------------------------------------------------------------------------------
# The monthly close (its lock, ``MonthClose``, lives in ``offices``: lower apps check it)


class MonthCloseJob(OfficeMonthJob):
    """Closing an office's month: every person's figures computed and kept, with progress."""

    # The reverse name its table was created with (billing 0003).
    office = models.ForeignKey(
        "offices.Office",
        on_delete=models.CASCADE,
        related_name="month_close_jobs",
        verbose_name=_("office"),
    )

    objects = OfficeScopedQuerySet.as_manager()

    class Meta(OfficeMonthJob.Meta):
        verbose_name = _("monthly close job")
        verbose_name_plural = _("monthly close jobs")
