from django import forms
from django.utils.translation import gettext_lazy as _

from billing import certificates
from billing.models import CapManagementResult
from core.params import SaneDateField


class CertificateForm(forms.Form):
    recipient_number = forms.CharField(label=_("Recipient number"), max_length=10)
    municipality_number = forms.CharField(label=_("Municipality number"), max_length=6)
    start = SaneDateField(
        label=_("Decision period start"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = SaneDateField(
        label=_("Decision period end"), widget=forms.DateInput(attrs={"type": "date"})
    )
    copay_cap = forms.IntegerField(
        label=_("Monthly co-payment cap (yen)"), required=False, min_value=0
    )
    cap_manager_office_number = forms.RegexField(
        label=_("Co-payment managed by office number"),
        regex=r"^[0-9A-Za-z]{10}$",
        required=False,
        help_text=_("Only when another office manages the person's co-payment (上限額管理)."),
    )
    cap_management_result = forms.ChoiceField(
        label=_("Co-payment management result"),
        choices=[("", "—"), *CapManagementResult.choices],
        required=False,
    )
    cap_management_amount = forms.IntegerField(
        label=_("Co-payment management result amount (yen)"), required=False, min_value=0
    )

    def clean(self):
        data = super().clean()
        if "recipient_number" in data and "municipality_number" in data:
            for field, message in certificates.number_problems(
                recipient_number=data["recipient_number"],
                municipality_number=data["municipality_number"],
            ):
                self.add_error(field, message)
        managed = [
            data.get(name) not in (None, "")
            for name in (
                "cap_manager_office_number",
                "cap_management_result",
                "cap_management_amount",
            )
        ]
        if any(managed) and not all(managed):
            self.add_error(
                "cap_manager_office_number",
                _("Give the managing office, its result and the result amount together."),
            )
        for _field, message in certificates.period_problems(
            start=data.get("start"), end=data.get("end")
        ):
            self.add_error("end", message)
        return data


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )


def _model_field(model, name):
    """The model field's form field: its translated label, help text and choices, one home."""
    return model._meta.get_field(name).formfield()


class OfficeBillingSettingsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        from billing.models import OfficeBillingSettings
        from offices.models import Office

        super().__init__(*args, **kwargs)
        self.fields["regional_grade"] = _model_field(Office, "regional_grade")
        self.fields["retention_record"] = _model_field(OfficeBillingSettings, "retention_record")
        self.fields["job_coach"] = _model_field(OfficeBillingSettings, "job_coach")
        self.fields["treatment_improvement"] = _model_field(
            OfficeBillingSettings, "treatment_improvement"
        )


class ClientBillingSettingsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        from billing.models import ClientBillingSettings

        super().__init__(*args, **kwargs)
        self.fields["initial_addition"] = _model_field(ClientBillingSettings, "initial_addition")
        self.fields["special_area"] = _model_field(ClientBillingSettings, "special_area")
