from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Support plans")

    def ready(self):
        # What plans adds to the pages below it (the client page, quick entry, the worklist, the
        # manager's home, the statistics, support reports, the retention page) is listed in the
        # extension-point settings (config/settings.py), not registered here.
        from core import navigation
        from offices.scoping import is_member
        from plans import importers  # noqa: F401  (registers the support_plans and case_meetings kinds)

        navigation.register(
            _("Support plans"), "plan_list", order=25, visible=is_member, group="records"
        )
        navigation.register(
            _("Hand-overs"), "handover_list", order=26, visible=is_member, group="records"
        )
