from django.contrib import admin

from billing.models import FeeTable, FeeTier, RegionalUnitPrice


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
