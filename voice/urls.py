"""The person's own channel. The webhook, the check-in link and the employer's link are public
by design (see PUBLIC_VIEWS in tests/test_scoping_walk.py): each is reached by a signature or a
signed token, never by a login."""

from django.urls import path

from voice import views

urlpatterns = [
    path("line/webhook/<str:office_number>/", views.line_webhook, name="line_webhook"),
    path("voice/line/", views.line_channel_index, name="line_channel_index"),
    path(
        "voice/offices/<str:office_number>/line/",
        views.line_channel_settings,
        name="line_channel_settings",
    ),
    path("voice/clients/<int:client_pk>/code/", views.line_code_issue, name="line_code_issue"),
    path("voice/clients/<int:client_pk>/unlink/", views.line_unlink, name="line_unlink"),
    path("voice/clients/<int:client_pk>/reply/", views.line_reply, name="line_reply"),
    path("voice/clients/<int:client_pk>/resend/", views.line_resend, name="line_resend"),
    path("voice/clients/<int:client_pk>/check-in/", views.check_in_plan, name="check_in_plan"),
    path("voice/clients/<int:client_pk>/check-in/ask/", views.check_in_ask, name="check_in_ask"),
    path(
        "voice/clients/<int:client_pk>/check-in/link/",
        views.check_in_link_issue,
        name="check_in_link_issue",
    ),
    path(
        "voice/clients/<int:client_pk>/check-in/link/revoke/",
        views.check_in_link_revoke,
        name="check_in_link_revoke",
    ),
    path(
        "voice/clients/<int:client_pk>/warnings/close/",
        views.warning_close,
        name="check_in_warning_close",
    ),
    path("voice/clients/<int:client_pk>/share/", views.employer_share, name="employer_share"),
    path(
        "voice/clients/<int:client_pk>/share/revoke/",
        views.employer_share_revoke,
        name="employer_share_revoke",
    ),
    path("checkin/<str:token>/", views.check_in_form, name="check_in_form"),
    path("shared/<str:token>/", views.employer_view, name="employer_share_view"),
]
