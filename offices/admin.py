from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from offices.models import Corporation, CorporationManager, Membership, Office


class OfficeInline(admin.TabularInline):
    model = Office
    fields = ("office_number", "name", "prefecture_code", "uses_system")
    extra = 0
    show_change_link = True


class CorporationManagerInline(admin.TabularInline):
    model = CorporationManager
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Corporation)
class CorporationAdmin(admin.ModelAdmin):
    list_display = ("name", "corporation_number", "corporation_type")
    list_filter = ("corporation_type",)
    search_fields = ("name", "corporation_number")
    inlines = [OfficeInline, CorporationManagerInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = (
        "office_number",
        "name",
        "corporation",
        "prefecture_code",
        "regional_grade",
        "uses_system",
    )
    list_filter = (
        "uses_system",
        "regional_grade",
        "prefecture_code",
        "corporation__corporation_type",
    )
    search_fields = ("office_number", "name", "corporation__name", "municipality")
    autocomplete_fields = ("corporation",)
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "office", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "user__last_name", "office__name", "office__office_number")
    autocomplete_fields = ("user", "office")


@admin.register(CorporationManager)
class CorporationManagerAdmin(admin.ModelAdmin):
    list_display = ("user", "corporation")
    search_fields = ("user__username", "corporation__name")
    autocomplete_fields = ("user", "corporation")


class TwoFactorAwareAdminLoginForm(AdminAuthenticationForm):
    """The admin's own login knows only the password: an administrator enrolled in two-factor
    login is sent to the app's login, which asks for the code too (offices.two_factor)."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        from offices.two_factor import is_enrolled

        if is_enrolled(user):
            raise ValidationError(
                format_html(
                    _(
                        "This account logs in with a code too: use the "
                        '<a href="{url}">login page</a>.'
                    ),
                    url=reverse("login") + "?next=" + reverse("admin:index"),
                ),
                code="two_factor",
            )


admin.site.login_form = TwoFactorAwareAdminLoginForm
