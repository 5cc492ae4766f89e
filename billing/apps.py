from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self):
        from billing import importers  # noqa: F401  (registers the certificates import kind)
        from billing.models import MonthCloseJob
        from core import jobs, navigation
        from offices.scoping import is_manager

        jobs.register(MonthCloseJob)  # swept when it stops showing signs of life
        navigation.register(_("Monthly close"), "billing_month_index", order=60, visible=is_manager)
