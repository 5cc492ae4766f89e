from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import AuditEvent, ImportJob


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "via", "action", "object_type", "object_repr", "office")
    list_filter = ("action", "via", "object_type")
    search_fields = ("object_repr", "object_id", "username", "detail")
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


User = get_user_model()
admin.site.unregister(User)


def has_audit_events(user):
    return AuditEvent.objects.filter(user_ref_id=user.pk).exists()


@admin.register(User)
class StaffAccountAdmin(UserAdmin):
    """Accounts that appear in the audit trail are deactivated, never deleted: the trail keeps
    pointing at them (``AuditEvent.user`` is protected)."""

    actions = ["deactivate"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one account at a time, each checked below
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and has_audit_events(obj):
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        account = self.get_object(request, object_id)
        if request.method == "GET" and account is not None and has_audit_events(account):
            messages.warning(
                request,
                _(
                    "This account appears in the audit trail, so it cannot be deleted. To stop "
                    "it signing in, deactivate it (untick “Active”, or use the action "
                    "“Deactivate the selected accounts” on the list)."
                ),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=gettext_lazy("Deactivate the selected accounts"))
    def deactivate(self, request, queryset):
        count = queryset.filter(is_active=True).update(is_active=False)
        messages.success(
            request,
            _("%(count)d account(s) deactivated; they can no longer sign in.") % {"count": count},
        )
