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
            visible=lambda user: any(kind.allowed(user) for kind in tabular.KINDS.values()),
        )
