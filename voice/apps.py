from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    """The person's own voice: LINE, the self check-in, the early warning (DESIGN 5.6). The top
    layer: it calls the services and selectors of the apps below and adds to their pages only
    through their extension points (``CLIENT_PAGE_CARD_TEMPLATES`` and ``WORKLIST_SECTIONS`` in
    config/settings.py)."""

    name = "voice"
    verbose_name = _("The person's own voice")

    def ready(self):
        from core import navigation
        from offices.scoping import is_manager

        navigation.register(
            _("LINE"), "line_channel_index", order=70, visible=is_manager, group="management"
        )
