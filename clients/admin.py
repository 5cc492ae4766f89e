from django.contrib import admin

from clients.models import EmployerContact


@admin.register(EmployerContact)
class EmployerContactAdmin(admin.ModelAdmin):
    list_display = ("family_name", "given_name", "role", "employer", "active")
    list_filter = ("role", "active")
    search_fields = ("family_name", "given_name", "employer__name")
    list_select_related = ("employer",)
    raw_id_fields = ("employer",)
