import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clients.models import EmployerContact
from contacts import validation
from contacts.models import (
    ConfirmationMethod,
    LifeTopic,
    ReportRecipient,
    SharingMethod,
    SupportReport,
    WorkTopic,
)
from core import calendar
from core.calendar import JST
from core.names import staff_display_name
from core.params import SaneDateField, date_problem, sane_formfield, validate_sane_datetime
from core.vocab import ContactMethod, Counterpart


class JSTDateTimeField(forms.DateTimeField):
    """A date and time typed in Japan time, whatever the server's time zone."""

    widget = forms.DateTimeInput(
        attrs={"type": "datetime-local", "class": "form-control form-control-lg"},
        format="%Y-%m-%dT%H:%M",
    )
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
    default_validators = [validate_sane_datetime]

    def prepare_value(self, value):
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            return value.astimezone(JST).replace(tzinfo=None)
        return value

    def to_python(self, value):
        result = super().to_python(value)
        if result is None:
            return None
        # The parent made the typed wall-clock time aware in the current time zone; keep the
        # wall-clock time and read it as Japan time instead.
        try:
            return timezone.make_naive(result).replace(tzinfo=JST)
        except OverflowError as exc:
            raise forms.ValidationError(date_problem(dt.date.min)) from exc


def _raise_problems(problems):
    if problems:
        raise forms.ValidationError([message for _field, message in problems])


class FaceToFace:
    AUTO = ""
    YES = "yes"
    NO = "no"
    CHOICES = [
        (AUTO, _("As the method says")),
        (YES, _("Face-to-face")),
        (NO, _("Not face-to-face")),
    ]


class ContactForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Method"), choices=ContactMethod.choices, widget=forms.RadioSelect
    )
    counterpart = forms.ChoiceField(
        label=_("Counterpart"),
        choices=Counterpart.choices,
        widget=forms.RadioSelect,
        initial=Counterpart.CLIENT,
    )
    employer_contact = forms.ModelChoiceField(
        label=_("Person at the employer"),
        queryset=EmployerContact.objects.none(),
        required=False,
        help_text=_("When the counterpart is the employer: whom you spoke with."),
    )
    contacted_at = JSTDateTimeField(label=_("Time of contact"))
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    face_to_face = forms.ChoiceField(
        label=pgettext_lazy("form field", "Face-to-face"),
        choices=FaceToFace.CHOICES,
        required=False,
        help_text=_("Face-to-face with the person counts for the monthly billing requirement."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        required=False,
        # The range is checked by contacts.validation, with the importer's message.
        widget=forms.NumberInput(attrs={"min": 0, "max": validation.MAX_DURATION_MINUTES}),
    )
    work_topics = forms.MultipleChoiceField(
        label=_("Work-side topics"),
        choices=WorkTopic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    life_topics = forms.MultipleChoiceField(
        label=_("Life-side topics"),
        choices=LifeTopic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    next_follow_up = SaneDateField(
        label=_("Next follow-up"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, employer_contacts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if employer_contacts is None:
            del self.fields["employer_contact"]
        else:
            self.fields["employer_contact"].queryset = employer_contacts

    def clean(self):
        data = super().clean()
        if data.get("employer_contact") and data.get("counterpart") != Counterpart.EMPLOYER:
            self.add_error(
                "employer_contact",
                _("A person at the employer can only be named for the employer."),
            )
        return data

    def clean_contacted_at(self):
        value = self.cleaned_data["contacted_at"]
        _raise_problems(validation.contacted_at_problems(contacted_at=value, now=calendar.now()))
        return value

    def clean_duration_minutes(self):
        value = self.cleaned_data["duration_minutes"]
        _raise_problems(validation.duration_problems(duration_minutes=value))
        return value

    def face_to_face_value(self):
        """True/False when chosen, None to follow the method (and the office setting)."""
        choice = self.cleaned_data.get("face_to_face")
        if choice == FaceToFace.YES:
            return True
        if choice == FaceToFace.NO:
            return False
        return None

    def contact_values(self):
        data = self.cleaned_data
        return {
            "contacted_at": data["contacted_at"],
            "method": data["method"],
            "counterpart": data["counterpart"],
            "summary": data["summary"],
            "duration_minutes": data["duration_minutes"],
            "work_topics": sorted(data["work_topics"]),
            "life_topics": sorted(data["life_topics"]),
            "next_follow_up": data["next_follow_up"],
            "employer_contact": data.get("employer_contact"),
        }


class QuickEntryForm(ContactForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacted_at"].initial = calendar.now().replace(
            second=0, microsecond=0, tzinfo=None
        )


class ContactEditForm(ContactForm):
    staff = forms.ModelChoiceField(
        label=_("Staff member"), queryset=get_user_model().objects.none(), required=False
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with the previous version of the record."),
    )

    def __init__(self, *args, staff_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_choices
        self.fields["staff"].label_from_instance = staff_display_name


class ContactDeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for deletion"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The record is kept, marked as deleted, with this reason."),
    )


def _date_widget():
    return forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class SupportReportForm(forms.ModelForm):
    """The content of a report version (frozen once shared with the person)."""

    class Meta:
        model = SupportReport
        fields = list(SupportReport.CONTENT_FIELDS)
        widgets = {
            "plan_goals": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "work_side": forms.Textarea(attrs={"rows": 6}),
            "life_side": forms.Textarea(attrs={"rows": 6}),
            "next_goals": forms.Textarea(attrs={"rows": 3}),
        }
        formfield_callback = sane_formfield

    def __init__(self, *args, staff_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_choices
        self.fields["staff"].label_from_instance = staff_display_name

    def content(self):
        return {name: self.cleaned_data[name] for name in SupportReport.CONTENT_FIELDS}


class ReportSharingForm(forms.Form):
    recipient = forms.ChoiceField(label=_("Recipient"), choices=ReportRecipient.choices)
    shared_on = SaneDateField(label=_("Shared on"), widget=_date_widget())
    method = forms.ChoiceField(label=_("How it was shared"), choices=SharingMethod.choices)
    employer_contact = forms.ModelChoiceField(
        label=_("Person at the employer"),
        queryset=EmployerContact.objects.none(),
        required=False,
        help_text=_("For the employer: whom the report was given to."),
    )
    recipient_name = forms.CharField(label=_("Recipient's name"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, employer_contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer_contact"].queryset = employer_contacts

    def clean(self):
        data = super().clean()
        if data.get("employer_contact") and data.get("recipient") != ReportRecipient.EMPLOYER:
            self.add_error(
                "employer_contact",
                _("A person at the employer can only be named for the employer."),
            )
        return data


class ReportConfirmationForm(forms.Form):
    confirmed_on = SaneDateField(label=_("Confirmed on"), widget=_date_widget())
    method = forms.ChoiceField(
        label=_("How the person confirmed"), choices=ConfirmationMethod.choices
    )


class ReportCorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The shared version is kept as it is; the correction becomes a new version."),
    )


class PeriodForm(forms.Form):
    date_from = SaneDateField(label=_("From"), required=False, widget=_date_widget())
    date_to = SaneDateField(label=_("To"), required=False, widget=_date_widget())

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data


class StatsPeriodForm(PeriodForm):
    """The statistics count month by month in the database: at most 5 years at once."""

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and (end.year - start.year) * 12 + end.month - start.month >= 60:
            self.add_error("date_to", _("Choose a period of at most 5 years."))
        return data


class ContactFilterForm(PeriodForm):
    q = forms.CharField(label=_("Person (name, kana or code)"), required=False)
    method = forms.ChoiceField(
        label=_("Method"), required=False, choices=[("", _("All")), *ContactMethod.choices]
    )
    counterpart = forms.ChoiceField(
        label=_("Counterpart"), required=False, choices=[("", _("All")), *Counterpart.choices]
    )
    staff = forms.ModelChoiceField(
        label=_("Staff member"),
        required=False,
        queryset=get_user_model().objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    deleted = forms.BooleanField(label=_("Show deleted records"), required=False)

    def __init__(self, *args, staff_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_choices
        self.fields["staff"].empty_label = _("All")
        self.fields["staff"].label_from_instance = staff_display_name
