from django.contrib import admin

from billing.models import (
    Adjustment,
    ClientBillingSettings,
    DecisionPeriod,
    OfficeBillingSettings,
    RecipientCertificate,
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


class DecisionPeriodInline(admin.TabularInline):
    model = DecisionPeriod
    extra = 0


@admin.register(RecipientCertificate)
class RecipientCertificateAdmin(admin.ModelAdmin):
    list_display = ("client", "recipient_number", "municipality_number")
    search_fields = ("client__client_code", "recipient_number")
    raw_id_fields = ("client",)
    inlines = [DecisionPeriodInline]


@admin.register(OfficeBillingSettings)
class OfficeBillingSettingsAdmin(admin.ModelAdmin):
    list_display = ("office", "retention_record", "job_coach")


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
