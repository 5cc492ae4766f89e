from django.contrib import admin

from plans.models import OfficePlanSettings


@admin.register(OfficePlanSettings)
class OfficePlanSettingsAdmin(admin.ModelAdmin):
    """The review interval of an office's designation (six months unless set here), and its
    hand-over policy and person in charge (``plans.rules.handover_system_in_place``)."""

    list_display = ("office", "review_interval_months", "handover_lead")
    autocomplete_fields = ("office",)
