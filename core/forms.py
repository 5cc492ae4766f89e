from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core import tabular


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to import"))
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 (with or without BOM) or Shift_JIS (CP932) as saved by Excel."),
    )
    dry_run = forms.BooleanField(
        label=_("Check only (write nothing)"), required=False, initial=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (name, kind.label) for name, kind in sorted(tabular.KINDS.items()) if kind.allowed(user)
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB. Split it and retry.")
                % {"size": round(upload.size / 1_048_576, 1), "limit": round(limit / 1_048_576, 1)}
            )
        name = upload.name.lower()
        if not name.endswith((".csv", ".txt")):
            raise forms.ValidationError(
                _("Only CSV files (.csv) can be imported. Save the sheet as CSV and retry.")
            )
        content = upload.read()
        try:
            tabular.decode(content)
        except tabular.FileRefused as exc:
            raise forms.ValidationError(str(exc)) from exc
        self.content = content
        return upload


class PreferenceForm(forms.ModelForm):
    class Meta:
        from core.models import UserPreference

        model = UserPreference
        fields = ["date_style"]
        widgets = {"date_style": forms.RadioSelect}
