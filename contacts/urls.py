from django.urls import path

from contacts.views import entry, history, home, reports, statistics

urlpatterns = [
    path("", history.contact_list, name="contact_list"),
    path("export/", history.contact_list_export, name="contact_list_export"),
    path("today/", entry.contacts_today, name="contacts_today"),
    path("clients/<id:client_pk>/new/", entry.contact_quick_entry, name="contact_quick_entry"),
    path("<id:contact_pk>/", entry.contact_detail, name="contact_detail"),
    path("<id:contact_pk>/edit/", entry.contact_edit, name="contact_edit"),
    path("<id:contact_pk>/delete/", entry.contact_delete, name="contact_delete"),
    path("worklist/", home.worklist, name="worklist"),
    path("worklist/export/", home.worklist_export, name="worklist_export"),
    path("notifications/", home.notification_list, name="notification_list"),
    path(
        "notifications/<id:notification_pk>/read/",
        home.notification_read,
        name="notification_read",
    ),
    path("notifications/read-all/", home.notifications_read_all, name="notifications_read_all"),
    path("stats/", statistics.contact_stats_page, name="contact_stats_page"),
    path("stats/export/", statistics.contact_stats_export, name="contact_stats_export"),
    path("reports/", reports.report_index, name="report_index"),
    path("reports/export/", reports.report_index_export, name="report_index_export"),
    path("reports/generate/", reports.report_generate, name="report_generate"),
    path("reports/jobs/<id:report_job_pk>/", reports.report_job, name="report_job"),
    path(
        "reports/jobs/<id:report_job_pk>/cancel/",
        reports.report_job_cancel,
        name="report_job_cancel",
    ),
    path(
        "reports/jobs/<id:report_job_pk>/retry/",
        reports.report_job_retry,
        name="report_job_retry",
    ),
    path(
        "clients/<id:client_pk>/reports/<year:year>/<month:month>/",
        reports.report_for_month,
        name="report_for_month",
    ),
    path("reports/<id:report_pk>/", reports.report_detail, name="report_detail"),
    path("reports/<id:report_pk>/refill/", reports.report_refill, name="report_refill"),
    path("reports/<id:report_pk>/share/", reports.report_share, name="report_share"),
    path("reports/<id:report_pk>/confirm/", reports.report_confirm, name="report_confirm"),
    path("reports/<id:report_pk>/correct/", reports.report_correct, name="report_correct"),
    path("reports/<id:report_pk>/print/", reports.report_print, name="report_print"),
    path("reports/<id:report_pk>/pdf/", reports.report_pdf, name="report_pdf"),
]
