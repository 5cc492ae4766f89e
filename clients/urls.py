from django.urls import path

from clients import views

urlpatterns = [
    path("", views.client_list, name="client_list"),
    path("export/", views.client_list_export, name="client_list_export"),
    path("new/", views.client_create, name="client_create"),
    path("<id:client_pk>/", views.client_detail, name="client_detail"),
    path("<id:client_pk>/edit/", views.client_update, name="client_update"),
    path("<id:client_pk>/employments/new/", views.employment_create, name="employment_create"),
    path("employments/<id:employment_pk>/edit/", views.employment_update, name="employment_update"),
    path(
        "employments/<id:employment_pk>/delete/",
        views.employment_delete,
        name="employment_delete",
    ),
    path("employers/", views.employer_list, name="employer_list"),
    path("employers/export/", views.employer_list_export, name="employer_list_export"),
    path("employers/new/<str:office_number>/", views.employer_create, name="employer_create"),
    path("employers/<id:employer_pk>/edit/", views.employer_update, name="employer_update"),
    path(
        "employers/<id:employer_pk>/people/new/",
        views.employer_contact_create,
        name="employer_contact_create",
    ),
    path("retention/", views.retention_index, name="retention_index"),
    path(
        "retention/corporation/<id:corporation_pk>/",
        views.retention_corporation,
        name="retention_corporation",
    ),
    path(
        "retention/corporation/<id:corporation_pk>/export/",
        views.retention_corporation_export,
        name="retention_corporation_export",
    ),
    path("retention/<str:office_number>/", views.retention_office, name="retention_office"),
    path(
        "retention/<str:office_number>/export/",
        views.retention_office_export,
        name="retention_office_export",
    ),
]
