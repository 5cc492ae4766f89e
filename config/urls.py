from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from api import urls as api_urls
from contacts.views import home as contacts_home
from core import views as core_views
from offices import two_factor_views
from offices import views as offices_views

urlpatterns = [
    path("", contacts_home.home, name="home"),
    path("accounts/login/", two_factor_views.TwoStepLoginView.as_view(), name="login"),
    path("accounts/login/code/", two_factor_views.login_verify, name="login_verify"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        two_factor_views.LockedPasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # The language switcher works on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/preferences/", core_views.preferences, name="preferences"),
    path("accounts/two-factor/", two_factor_views.two_factor_settings, name="two_factor"),
    path(
        "accounts/two-factor/disable/",
        two_factor_views.two_factor_disable,
        name="two_factor_disable",
    ),
    path("imports/", core_views.import_upload, name="import_upload"),
    path("imports/<id:job_pk>/", core_views.import_job, name="import_job"),
    path(
        "imports/templates/<str:import_kind>/<str:template_encoding>/",
        core_views.import_template,
        name="import_template",
    ),
    path("audit/", offices_views.audit_trail, name="audit_trail"),
    path("audit/export/", offices_views.audit_trail_export, name="audit_trail_export"),
    path("imports/<id:job_pk>/cancel/", core_views.import_job_cancel, name="import_job_cancel"),
    path("healthz", core_views.healthz, name="healthz"),
    path("offices/", include("offices.urls")),
    path("clients/", include("clients.urls")),
    path("surveys/", include("surveys.urls")),
    path("answer/", include("surveys.public_urls")),
    path("contacts/", include("contacts.urls")),
    path("plans/", include("plans.urls")),
    path("billing/", include("billing.urls")),
    path("api/v1/", include("api.urls")),
    path("accounts/api-tokens/", include(api_urls.token_urlpatterns)),
    # The person's own channel: the LINE webhook, the check-in and employer links (voice.urls).
    path("", include("voice.urls")),
    path("admin/", admin.site.urls),
]

# The project's error pages; JSON under /api/ (api.errors).
handler400 = "api.errors.bad_request"
handler403 = "api.errors.permission_denied"
handler404 = "api.errors.page_not_found"
handler500 = "api.errors.server_error"
