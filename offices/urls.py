from django.urls import path

from offices import views

urlpatterns = [
    path("", views.office_list, name="office_list"),
    path("<str:office_number>/", views.office_detail, name="office_detail"),
]
