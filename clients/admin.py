from django.contrib import admin

from clients.models import FeeTier


@admin.register(FeeTier)
class FeeTierAdmin(admin.ModelAdmin):
    list_display = ("effective_fiscal_year", "min_percent", "units")
    list_filter = ("effective_fiscal_year",)
    ordering = ("-effective_fiscal_year", "-min_percent")
