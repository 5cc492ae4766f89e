"""Fee tables and regional unit prices (docs/domain.md 4.3): data keyed by the date it takes
effect, edited in the admin. The rules that read them live in ``billing/fees.py``."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from offices.models import RegionalGrade


class FeeTable(models.Model):
    """One fee table (報酬告示): in force from ``effective_from`` until a later table takes effect.
    Revisions take effect by month (April 2024, June 2024, June 2026 …), not by fiscal year."""

    effective_from = models.DateField(_("effective from"), unique=True)
    source = models.TextField(
        _("source"),
        blank=True,
        help_text=_("Where the values come from: the notice and its table."),
    )
    verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_("On only when every value has been checked against the cited source."),
    )

    class Meta:
        verbose_name = _("fee table")
        verbose_name_plural = _("fee tables")
        ordering = ["-effective_from"]

    def __str__(self):
        return f"{self.effective_from:%Y-%m-%d}"


class FeeTier(models.Model):
    """One row of a fee table: from ``min_percent`` upwards (以上), ``units`` per person-month."""

    table = models.ForeignKey(
        FeeTable, on_delete=models.CASCADE, related_name="tiers", verbose_name=_("fee table")
    )
    min_percent = models.DecimalField(
        _("minimum retention rate (%)"),
        max_digits=5,
        decimal_places=2,
        help_text=_(
            "The tier applies from this rate upwards (the bound included). 0 for the lowest tier."
        ),
    )
    units = models.PositiveIntegerField(_("units per month"))

    class Meta:
        verbose_name = _("fee tier")
        verbose_name_plural = _("fee tiers")
        ordering = ["table", "-min_percent"]
        constraints = [
            models.UniqueConstraint(fields=["table", "min_percent"], name="unique_fee_table_tier"),
        ]

    def __str__(self):
        return f"≥{self.min_percent}%: {self.units}"


class RegionalUnitPrice(models.Model):
    """Yen per unit for this service in one regional grade (地域区分), from a date."""

    grade = models.CharField(_("regional grade"), max_length=8, choices=RegionalGrade.choices)
    effective_from = models.DateField(_("effective from"))
    yen_per_unit = models.DecimalField(_("yen per unit"), max_digits=5, decimal_places=2)
    source = models.TextField(_("source"), blank=True)
    verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_("On only when the value has been checked against the cited source."),
    )

    class Meta:
        verbose_name = _("regional unit price")
        verbose_name_plural = _("regional unit prices")
        ordering = ["-effective_from", "grade"]
        constraints = [
            models.UniqueConstraint(
                fields=["grade", "effective_from"], name="unique_regional_unit_price"
            ),
        ]

    def __str__(self):
        return f"{self.get_grade_display()} {self.effective_from:%Y-%m-%d}: {self.yen_per_unit}"
