from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from core import navigation
        from surveys import access

        navigation.register(
            _("Surveys"),
            "survey_list",
            order=70,
            visible=access.sees_surveys,
            group="figures",
        )
