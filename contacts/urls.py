from django.urls import path

from contacts import views

urlpatterns = [
    path("", views.contact_list, name="contact_list"),
    path("today/", views.contacts_today, name="contacts_today"),
    path("clients/<int:client_pk>/new/", views.contact_quick_entry, name="contact_quick_entry"),
    path("<int:contact_pk>/", views.contact_detail, name="contact_detail"),
    path("<int:contact_pk>/edit/", views.contact_edit, name="contact_edit"),
    path("<int:contact_pk>/delete/", views.contact_delete, name="contact_delete"),
    path("worklist/", views.worklist, name="worklist"),
    path("notifications/", views.notification_list, name="notification_list"),
    path(
        "notifications/<int:notification_pk>/read/",
        views.notification_read,
        name="notification_read",
    ),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("stats/", views.contact_stats_page, name="contact_stats_page"),
    path("reports/", views.report_index, name="report_index"),
    path("reports/generate/", views.report_generate, name="report_generate"),
    path("reports/jobs/<int:report_job_pk>/", views.report_job, name="report_job"),
    path(
        "clients/<int:client_pk>/reports/<int:year>/<int:month>/",
        views.report_for_month,
        name="report_for_month",
    ),
    path("reports/<int:report_pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:report_pk>/refill/", views.report_refill, name="report_refill"),
    path("reports/<int:report_pk>/print/", views.report_print, name="report_print"),
    path("reports/<int:report_pk>/pdf/", views.report_pdf, name="report_pdf"),
]
