from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = _("Clients")

    def ready(self):
        from clients import importers  # noqa: F401  (registers the clients and employments kinds)
        from core import navigation
        from offices.scoping import is_manager, is_member

        navigation.register(
            _("Clients"),
            "client_list",
            order=20,
            visible=is_member,
        )
        navigation.register(
            _("Retention rate"),
            "retention_index",
            order=30,
            visible=is_manager,
            group="figures",
        )
