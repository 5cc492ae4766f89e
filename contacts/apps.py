from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = _("Contacts")

    def ready(self):
        from contacts import importers  # noqa: F401  (registers the CSV import kind)
        from contacts.models import ReportBatchJob
        from core import jobs, navigation
        from offices.scoping import is_manager, is_member

        jobs.register(ReportBatchJob)  # swept when it stops showing signs of life

        navigation.register(_("Today"), "contacts_today", order=10, visible=is_member)
        navigation.register(_("Worklist"), "worklist", order=12, visible=is_member)
        navigation.register(_("Contact history"), "contact_list", order=20, visible=is_member)
        navigation.register(_("Support reports"), "report_index", order=30, visible=is_member)
        navigation.register(
            _("Contact statistics"), "contact_stats_page", order=40, visible=is_manager
        )
        navigation.register(_("Notifications"), "notification_list", order=80, visible=is_member)
