"""The anonymous answer form: no login (see PUBLIC_VIEWS in tests/test_scoping_walk.py)."""

from django.urls import path

from surveys import views

urlpatterns = [
    path("t/<str:token>/", views.respond_token, name="survey_respond_token"),
    path("<slug:survey_slug>/", views.respond_open, name="survey_respond"),
    path("<slug:survey_slug>/thanks/", views.thanks, name="survey_thanks"),
]
