from django.urls import path

from billing import views

urlpatterns = [
    path("", views.month_index, name="billing_month_index"),
    path("jobs/<int:job_pk>/", views.close_job, name="billing_close_job"),
    path("jobs/<int:job_pk>/cancel/", views.close_job_cancel, name="billing_close_job_cancel"),
    path("clients/<int:client_pk>/certificate/", views.certificate_edit, name="certificate_edit"),
    path("<str:office_number>/<str:month>/", views.month_page, name="billing_month"),
    path("<str:office_number>/<str:month>/close/", views.month_close, name="billing_month_close"),
    path(
        "<str:office_number>/<str:month>/reopen/", views.month_reopen, name="billing_month_reopen"
    ),
    path(
        "<str:office_number>/<str:month>/export/<str:fmt>/",
        views.month_export,
        name="billing_month_export",
    ),
    path(
        "<str:office_number>/<str:month>/record/<str:client_code>/",
        views.service_record_pdf,
        name="billing_service_record",
    ),
]
