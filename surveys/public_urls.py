"""The anonymous answer form: no login (see PUBLIC_VIEWS in tests/test_scoping_walk.py)."""

from django.urls import path

from surveys.views import public

urlpatterns = [
    path("t/<str:token>/", public.respond_token, name="survey_respond_token"),
    path("<slug:survey_slug>/", public.respond_open, name="survey_respond"),
    path("<slug:survey_slug>/thanks/", public.thanks, name="survey_thanks"),
]
