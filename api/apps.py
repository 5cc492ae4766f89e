from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API (DESIGN 5.7): a channel on top of every other app. It reads through their
    selectors and writes through their services, with the pages' scoping and audit."""

    name = "api"
    verbose_name = _("API")

    def ready(self):
        from api import schema  # noqa: F401  (describes the Bearer token in the schema)
