from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import AuditAction
from core.names import staff_display_name
from core.params import SaneDateField


class AuditTrailFilterForm(forms.Form):
    """Filters of an office's audit trail (``core.audit.office_trail``), for its managers."""

    date_from = SaneDateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = SaneDateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    staff = forms.ModelChoiceField(label=_("Staff member"), queryset=None, required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    client_code = forms.CharField(label=_("Client code"), required=False, max_length=64)

    def __init__(self, *args, staff_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_choices
        self.fields["staff"].widget.attrs["class"] = "form-select"
        self.fields["staff"].empty_label = _("Everyone")
        self.fields["staff"].label_from_instance = staff_display_name
        self.fields["action"].choices = [("", _("Every action")), *AuditAction.choices]
        for name in ("date_from", "date_to", "client_code"):
            self.fields[name].widget.attrs["class"] = "form-control"
        self.fields["action"].widget.attrs["class"] = "form-select"


def _code_field():
    return forms.CharField(
        label=_("6-digit code"),
        max_length=16,
        help_text=_("The code your authenticator app shows now."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class TwoFactorCodeForm(forms.Form):
    """The code of the second login step, or of an enrolment's confirmation."""

    code = _code_field()


class TwoFactorDisableForm(forms.Form):
    """Turning two-factor login off takes both the password and a current code."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = _code_field()
