from django.urls import path

from plans.views import handovers, meetings, plans

urlpatterns = [
    path("", plans.plan_list, name="plan_list"),
    path("export/", plans.plan_list_export, name="plan_list_export"),
    path("handovers/", handovers.handover_list, name="handover_list"),
    path("handovers/export/", handovers.handover_list_export, name="handover_list_export"),
    path("clients/<id:client_pk>/", plans.client_plans, name="client_plans"),
    path("clients/<id:client_pk>/new/", plans.plan_create, name="plan_create"),
    path("clients/<id:client_pk>/meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("<id:plan_pk>/", plans.plan_detail, name="plan_detail"),
    path("<id:plan_pk>/approve/", plans.plan_approve, name="plan_approve"),
    path("<id:plan_pk>/consent/", plans.plan_consent, name="plan_consent"),
    path("<id:plan_pk>/monitoring/", plans.monitoring_create, name="monitoring_create"),
    path(
        "clients/<id:client_pk>/handovers/",
        handovers.client_handovers,
        name="client_handovers",
    ),
    path(
        "clients/<id:client_pk>/handovers/referral/new/",
        handovers.referral_create,
        name="referral_handover_create",
    ),
    path(
        "clients/<id:client_pk>/handovers/referral/upload/",
        handovers.referral_upload,
        name="referral_handover_upload",
    ),
    path(
        "clients/<id:client_pk>/handovers/end/new/",
        handovers.end_handover_create,
        name="end_handover_create",
    ),
    path("handovers/<id:handover_pk>/", handovers.referral_detail, name="referral_handover_detail"),
    path(
        "handovers/<id:handover_pk>/document/",
        handovers.referral_document,
        name="referral_handover_document",
    ),
    path(
        "handovers/<id:handover_pk>/withdraw/",
        handovers.referral_withdraw,
        name="referral_handover_withdraw",
    ),
    path(
        "handovers/<id:handover_pk>/link/<id:client_pk>/",
        handovers.referral_link,
        name="referral_handover_link",
    ),
    path(
        "meetings/<id:meeting_pk>/report-back/",
        meetings.meeting_report_back,
        name="meeting_report_back",
    ),
]
