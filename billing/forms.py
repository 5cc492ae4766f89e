from django import forms
from django.utils.translation import gettext_lazy as _

from billing import certificates
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

    def clean(self):
        data = super().clean()
        if "recipient_number" in data and "municipality_number" in data:
            for field, message in certificates.number_problems(
                recipient_number=data["recipient_number"],
                municipality_number=data["municipality_number"],
            ):
                self.add_error(field, message)
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


class ClientBillingSettingsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        from billing.models import ClientBillingSettings

        super().__init__(*args, **kwargs)
        self.fields["initial_addition"] = _model_field(ClientBillingSettings, "initial_addition")
        self.fields["special_area"] = _model_field(ClientBillingSettings, "special_area")
