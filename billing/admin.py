from django import forms
from django.contrib import admin, messages

from billing import certificates
from billing.models import (
    Adjustment,
    ClientBillingSettings,
    DecisionPeriod,
    OfficeBillingSettings,
    RecipientCertificate,
    ServiceCode,
    TreatmentImprovementRate,
)
from clients.models import FeeTable, FeeTier, RegionalUnitPrice
from offices.models import MonthClose


class FeeTierInline(admin.TabularInline):
    model = FeeTier
    extra = 0
    ordering = ("-min_percent",)


@admin.register(FeeTable)
class FeeTableAdmin(admin.ModelAdmin):
    list_display = ("effective_from", "verified", "source")
    list_filter = ("verified",)
    inlines = [FeeTierInline]


@admin.register(RegionalUnitPrice)
class RegionalUnitPriceAdmin(admin.ModelAdmin):
    list_display = ("grade", "effective_from", "yen_per_unit", "verified")
    list_filter = ("effective_from", "grade", "verified")
    ordering = ("-effective_from", "grade")


@admin.register(Adjustment)
class AdjustmentAdmin(admin.ModelAdmin):
    list_display = ("code", "effective_from", "units", "percent", "later_percent", "verified")
    list_filter = ("code", "verified")
    ordering = ("code", "-effective_from")


@admin.register(ServiceCode)
class ServiceCodeAdmin(admin.ModelAdmin):
    list_display = ("item", "service_code", "name", "units", "effective_from", "verified")
    list_filter = ("verified", "effective_from")
    search_fields = ("item", "service_code", "name")
    ordering = ("item", "-effective_from")


class DecisionPeriodInline(admin.TabularInline):
    model = DecisionPeriod
    extra = 0


class RecipientCertificateAdminForm(forms.ModelForm):
    """The numbers checked by the one rule (``billing.rules.certificate_number_findings``):
    refusals are form errors, a failing check digit a warning after saving."""

    class Meta:
        model = RecipientCertificate
        fields = ("client", "recipient_number", "municipality_number")

    def clean(self):
        data = super().clean()
        if "recipient_number" in data and "municipality_number" in data:
            for field, message in certificates.number_problems(
                recipient_number=data["recipient_number"],
                municipality_number=data["municipality_number"],
            ):
                self.add_error(field, message)
        return data


@admin.register(RecipientCertificate)
class RecipientCertificateAdmin(admin.ModelAdmin):
    form = RecipientCertificateAdminForm
    list_display = ("client", "recipient_number", "municipality_number")
    search_fields = ("client__client_code", "recipient_number")
    raw_id_fields = ("client",)
    inlines = [DecisionPeriodInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for _field, message in certificates.number_warnings(
            recipient_number=obj.recipient_number, municipality_number=obj.municipality_number
        ):
            messages.warning(request, message)


@admin.register(OfficeBillingSettings)
class OfficeBillingSettingsAdmin(admin.ModelAdmin):
    list_display = ("office", "retention_record", "job_coach", "treatment_improvement")


@admin.register(TreatmentImprovementRate)
class TreatmentImprovementRateAdmin(admin.ModelAdmin):
    list_display = ("category", "effective_from", "percent", "verified")
    list_filter = ("category", "verified")
    ordering = ("category", "-effective_from")


@admin.register(ClientBillingSettings)
class ClientBillingSettingsAdmin(admin.ModelAdmin):
    list_display = ("client", "initial_addition", "special_area")
    raw_id_fields = ("client",)


@admin.register(MonthClose)
class MonthCloseAdmin(admin.ModelAdmin):
    """Read-only: a month is closed and reopened on its page, where it is audited."""

    list_display = ("office", "month", "is_closed", "closed_at", "reopened_at")
    list_filter = ("is_closed",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
