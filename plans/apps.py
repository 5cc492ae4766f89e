from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Support plans")

    def ready(self):
        from billing import hooks as billing_hooks
        from clients import hooks as client_hooks
        from clients import timeline
        from contacts import hooks, reports
        from core import navigation
        from offices.scoping import is_member
        from plans import (
            importers,  # noqa: F401  (registers the support_plans and case_meetings kinds)
            rules,
            stats,
            worklist,
        )

        timeline.register_card("plans/_client_plan_card.html")
        timeline.register_card("plans/_client_handover_card.html")
        hooks.register_entry_panel("plans/_entry_goals.html")
        hooks.register_worklist_section(worklist.plan_section)
        hooks.register_worklist_section(worklist.handover_section)
        hooks.register_office_figures(worklist.plan_figures)
        reports.register_goals_provider(rules.report_goals)
        hooks.register_office_figures(worklist.handover_figures)
        hooks.register_stats_section(stats.handover_comparison_section)
        client_hooks.register_retention_panel(worklist.retention_handover_panel)
        billing_hooks.register_office_condition(
            billing_hooks.HANDOVER_SYSTEM_IN_PLACE, rules.handover_system_in_place
        )

        navigation.register(_("Support plans"), "plan_list", order=25, visible=is_member)
