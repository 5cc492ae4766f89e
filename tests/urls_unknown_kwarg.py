from django.http import HttpResponse
from django.urls import path

from config import urls as project_urls

urlpatterns = [
    *project_urls.urlpatterns,
    path("m/<int:mystery_pk>/", lambda request, mystery_pk: HttpResponse("?"), name="mystery"),
]
