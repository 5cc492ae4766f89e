from django.urls import path

from surveys.views import coding, invitations, reports, responses, survey

urlpatterns = [
    path("", survey.survey_list, name="survey_list"),
    path("export/", survey.survey_list_export, name="survey_list_export"),
    path("<slug:survey_slug>/", survey.survey_detail, name="survey_detail"),
    path("<slug:survey_slug>/status/", survey.survey_status, name="survey_status"),
    path("<slug:survey_slug>/reference/", survey.survey_reference, name="survey_reference"),
    path(
        "<slug:survey_slug>/responses/import/",
        responses.responses_import,
        name="survey_responses_import",
    ),
    path(
        "<slug:survey_slug>/responses/mapping/",
        responses.responses_mapping,
        name="survey_responses_mapping",
    ),
    path("<slug:survey_slug>/copy/", survey.survey_copy_page, name="survey_copy"),
    path(
        "<slug:survey_slug>/responses.csv",
        responses.responses_export,
        name="survey_responses_export",
    ),
    path("<slug:survey_slug>/invitations/", invitations.invitation_list, name="survey_invitations"),
    path(
        "<slug:survey_slug>/invitations/export/",
        invitations.invitation_list_export,
        name="survey_invitations_export",
    ),
    path(
        "<slug:survey_slug>/invitations/send/",
        invitations.invitation_send,
        name="survey_invitation_send",
    ),
    path(
        "<slug:survey_slug>/invitations/<id:invitation_pk>/delete/",
        invitations.invitation_delete,
        name="survey_invitation_delete",
    ),
    path("<slug:survey_slug>/bursts/", survey.burst_list, name="survey_bursts"),
    path("<slug:survey_slug>/coding/", coding.coding_index, name="survey_coding"),
    path(
        "<slug:survey_slug>/coding/<slug:question_code>/",
        coding.coding_question,
        name="survey_coding_question",
    ),
    path(
        "<slug:survey_slug>/coding/<slug:question_code>/categories/",
        coding.category_add,
        name="survey_category_add",
    ),
    path("<slug:survey_slug>/report/", reports.report, name="survey_report"),
    path(
        "<slug:survey_slug>/report/download/",
        reports.report_download,
        name="survey_report_download",
    ),
    path(
        "<slug:survey_slug>/report/figures/<slug:question_code>/",
        reports.report_figure,
        name="survey_report_figure",
    ),
    path("<slug:survey_slug>/report/crosstab/", reports.report_crosstab, name="survey_crosstab"),
    path(
        "<slug:survey_slug>/report/crosstab/export/",
        reports.report_crosstab_export,
        name="survey_crosstab_export",
    ),
    path("<slug:survey_slug>/report/compare/", reports.report_compare, name="survey_compare"),
    path(
        "<slug:survey_slug>/report/compare/export/",
        reports.report_compare_export,
        name="survey_compare_export",
    ),
]
