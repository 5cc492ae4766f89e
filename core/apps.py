from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Common")

    def ready(self):
        import core.params  # noqa: F401 - registers the <id:…>, <year:…>, <month:…> converters
        from core import jobs, navigation, tabular
        from core.models import ImportJob

        jobs.register(ImportJob)

        navigation.register(
            _("Import CSV"),
            "import_upload",
            order=90,
            # Newest kinds first: those ask the scoping facts the bar has already read, so staff
            # and managers stop there; the offices kind (first registered) asks for a Django
            # permission, two queries, only for the accounts no other kind lets in.
            visible=lambda user: any(
                kind.allowed(user) for kind in reversed(tabular.KINDS.values())
            ),
            group="management",
        )
