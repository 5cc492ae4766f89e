from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from core import jobs, navigation
        from surveys import access
        from surveys.models import ResponseFileUpload

        jobs.register(ResponseFileUpload)  # swept when it stops showing signs of life

        navigation.register(
            _("Surveys"),
            "survey_list",
            order=70,
            visible=access.sees_surveys,
            group="figures",
        )
