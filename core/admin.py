from django.contrib import admin

from core.models import AuditEvent, ImportJob


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "via", "action", "object_type", "object_repr", "office")
    list_filter = ("action", "via", "object_type")
    search_fields = ("object_repr", "object_id", "user__username", "detail")
    date_hierarchy = "at"

    # The audit trail is append-only, also for administrators.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "kind", "filename", "status", "dry_run")
    list_filter = ("kind", "status")
    exclude = ("content",)
    readonly_fields = (
        "user",
        "kind",
        "filename",
        "dry_run",
        "status",
        "rows_total",
        "rows_done",
        "result",
    )
