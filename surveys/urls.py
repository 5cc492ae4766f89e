from django.urls import path

from surveys import views

urlpatterns = [
    path("", views.survey_list, name="survey_list"),
    path("export/", views.survey_list_export, name="survey_list_export"),
    path("<slug:survey_slug>/", views.survey_detail, name="survey_detail"),
    path("<slug:survey_slug>/status/", views.survey_status, name="survey_status"),
    path("<slug:survey_slug>/reference/", views.survey_reference, name="survey_reference"),
    path(
        "<slug:survey_slug>/responses/import/",
        views.responses_import,
        name="survey_responses_import",
    ),
    path(
        "<slug:survey_slug>/responses/mapping/",
        views.responses_mapping,
        name="survey_responses_mapping",
    ),
    path("<slug:survey_slug>/copy/", views.survey_copy_page, name="survey_copy"),
    path(
        "<slug:survey_slug>/responses.csv", views.responses_export, name="survey_responses_export"
    ),
    path("<slug:survey_slug>/invitations/", views.invitation_list, name="survey_invitations"),
    path(
        "<slug:survey_slug>/invitations/export/",
        views.invitation_list_export,
        name="survey_invitations_export",
    ),
    path(
        "<slug:survey_slug>/invitations/send/", views.invitation_send, name="survey_invitation_send"
    ),
    path(
        "<slug:survey_slug>/invitations/<id:invitation_pk>/delete/",
        views.invitation_delete,
        name="survey_invitation_delete",
    ),
    path("<slug:survey_slug>/bursts/", views.burst_list, name="survey_bursts"),
    path("<slug:survey_slug>/coding/", views.coding_index, name="survey_coding"),
    path(
        "<slug:survey_slug>/coding/<slug:question_code>/",
        views.coding_question,
        name="survey_coding_question",
    ),
    path(
        "<slug:survey_slug>/coding/<slug:question_code>/categories/",
        views.category_add,
        name="survey_category_add",
    ),
    path("<slug:survey_slug>/report/", views.report, name="survey_report"),
    path(
        "<slug:survey_slug>/report/download/", views.report_download, name="survey_report_download"
    ),
    path(
        "<slug:survey_slug>/report/figures/<slug:question_code>/",
        views.report_figure,
        name="survey_report_figure",
    ),
    path("<slug:survey_slug>/report/crosstab/", views.report_crosstab, name="survey_crosstab"),
    path(
        "<slug:survey_slug>/report/crosstab/export/",
        views.report_crosstab_export,
        name="survey_crosstab_export",
    ),
    path("<slug:survey_slug>/report/compare/", views.report_compare, name="survey_compare"),
    path(
        "<slug:survey_slug>/report/compare/export/",
        views.report_compare_export,
        name="survey_compare_export",
    ),
]
