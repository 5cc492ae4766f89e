from django.urls import path

from plans.views import meetings, plans

urlpatterns = [
    path("", plans.plan_list, name="plan_list"),
    path("clients/<int:client_pk>/", plans.client_plans, name="client_plans"),
    path("clients/<int:client_pk>/new/", plans.plan_create, name="plan_create"),
    path("clients/<int:client_pk>/meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("<int:plan_pk>/", plans.plan_detail, name="plan_detail"),
    path("<int:plan_pk>/approve/", plans.plan_approve, name="plan_approve"),
    path("<int:plan_pk>/consent/", plans.plan_consent, name="plan_consent"),
    path("<int:plan_pk>/monitoring/", plans.monitoring_create, name="monitoring_create"),
    path(
        "meetings/<int:meeting_pk>/report-back/",
        meetings.meeting_report_back,
        name="meeting_report_back",
    ),
]
