from django.contrib import admin

from plans.models import OfficePlanSettings


@admin.register(OfficePlanSettings)
class OfficePlanSettingsAdmin(admin.ModelAdmin):
    """The review interval of an office's designation (six months unless set here)."""

    list_display = ("office", "review_interval_months")
    autocomplete_fields = ("office",)
