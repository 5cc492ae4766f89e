from django.urls import path

from billing import views

urlpatterns = [
    path("", views.month_index, name="billing_month_index"),
    path("jobs/<id:close_job_pk>/", views.close_job, name="billing_close_job"),
    path("jobs/<id:close_job_pk>/cancel/", views.close_job_cancel, name="billing_close_job_cancel"),
    path("clients/<id:client_pk>/certificate/", views.certificate_edit, name="certificate_edit"),
    path(
        "clients/<id:client_pk>/settings/",
        views.client_settings_edit,
        name="billing_client_settings",
    ),
    path(
        "settings/<str:office_number>/",
        views.office_settings_edit,
        name="billing_office_settings",
    ),
    path("<str:office_number>/<str:billing_month>/", views.month_page, name="billing_month"),
    path(
        "<str:office_number>/<str:billing_month>/close/",
        views.month_close,
        name="billing_month_close",
    ),
    path(
        "<str:office_number>/<str:billing_month>/reopen/",
        views.month_reopen,
        name="billing_month_reopen",
    ),
    path(
        "<str:office_number>/<str:billing_month>/export/<str:export_format>/",
        views.month_export,
        name="billing_month_export",
    ),
    path(
        "<str:office_number>/<str:billing_month>/claim/",
        views.claim_file,
        name="billing_claim_file",
    ),
    path(
        "<str:office_number>/<str:billing_month>/record/<str:client_code>/",
        views.service_record_pdf,
        name="billing_service_record",
    ),
    path(
        "<str:office_number>/<str:billing_month>/record/<str:client_code>/print/",
        views.service_record_print,
        name="billing_service_record_print",
    ),
]
