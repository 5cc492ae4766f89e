from django.urls import path

from offices import views

urlpatterns = [
    path("", views.office_list, name="office_list"),
    # Never an office number (ten digits), so no office's page is hidden by it.
    path("export/", views.office_list_export, name="office_list_export"),
    path("<str:office_number>/", views.office_detail, name="office_detail"),
]
