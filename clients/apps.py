from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = _("Clients")

    def ready(self):
        from clients import importers  # noqa: F401  (registers the clients and employments kinds)
        from core import navigation
        from offices.scoping import offices_managed_by, offices_visible_to

        navigation.register(
            _("Clients"),
            "client_list",
            order=20,
            visible=lambda user: offices_visible_to(user).exists(),
        )
        navigation.register(
            _("Retention rate"),
            "retention_index",
            order=30,
            visible=lambda user: offices_managed_by(user).exists(),
        )
