from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """``?page=N&page_size=M`` (50 by default, at most 500): ``count``, ``next``, ``previous``
    and ``results``. A page past the last answers 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    invalid_page_message = _("There is no such page.")
