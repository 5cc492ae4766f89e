from django.urls import path
from drf_spectacular.views import (
    SpectacularJSONAPIView,
    SpectacularSwaggerSplitView,
)

from api import token_views, views


def _public(view):
    """The schema and its documentation pages: public on purpose (they hold no data)."""
    view.login_required = False
    return view


urlpatterns = [
    path("openapi.json", _public(SpectacularJSONAPIView.as_view()), name="api_schema"),
    path(
        "docs/",
        _public(SpectacularSwaggerSplitView.as_view(url_name="api_schema")),
        name="api_docs",
    ),
    path("offices/", views.OfficeList.as_view(), name="api_office_list"),
    path("offices/<str:office_number>/", views.OfficeDetail.as_view(), name="api_office_detail"),
    path(
        "offices/<str:office_number>/retention/",
        views.RetentionReport.as_view(),
        name="api_retention",
    ),
    path(
        "offices/<str:office_number>/contact-stats/",
        views.ContactStatsReport.as_view(),
        name="api_contact_stats",
    ),
    path(
        "offices/<str:office_number>/billing-months/",
        views.BillingMonthList.as_view(),
        name="api_billing_month_list",
    ),
    path(
        "offices/<str:office_number>/billing-months/<str:billing_month>/",
        views.BillingMonth.as_view(),
        name="api_billing_month",
    ),
    path("clients/", views.ClientList.as_view(), name="api_client_list"),
    path("clients/<id:client_pk>/", views.ClientDetail.as_view(), name="api_client_detail"),
    path("employments/", views.EmploymentList.as_view(), name="api_employment_list"),
    path("contacts/", views.ContactList.as_view(), name="api_contact_list"),
    path("contacts/<id:contact_pk>/", views.ContactDetail.as_view(), name="api_contact_detail"),
]

# The user's own tokens: pages of the site (session login), not of the API.
token_urlpatterns = [
    path("", token_views.token_list, name="api_tokens"),
    path("<id:token_pk>/revoke/", token_views.token_revoke, name="api_token_revoke"),
]
