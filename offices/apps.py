from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficesConfig(AppConfig):
    name = "offices"
    verbose_name = _("Offices and staff")

    def ready(self):
        from core import navigation
        from offices import importers  # noqa: F401  (registers the offices import kind)
        from offices.scoping import is_manager, is_member

        navigation.register(
            _("Offices"),
            "office_list",
            order=80,
            visible=is_member,
            group="management",
        )
        navigation.register(
            _("Audit trail"), "audit_trail", order=95, visible=is_manager, group="management"
        )
