from django import forms
from django.utils.translation import gettext_lazy as _

from billing import certificates


class CertificateForm(forms.Form):
    recipient_number = forms.CharField(label=_("Recipient number"), max_length=10)
    municipality_number = forms.CharField(label=_("Municipality number"), max_length=6)
    start = forms.DateField(
        label=_("Decision period start"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
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
