from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clients import retention, selectors, validation
from clients.models import Client, Employer, EmployerContact, Employment
from core import calendar
from core.names import staff_display_name
from core.params import SaneDateField, sane_formfield
from offices.models import Office


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _office_label(office):
    return f"{office.name} ({office.office_number})"


class OfficeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _office_label(obj)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return staff_display_name(obj)


class ClientForm(forms.ModelForm):
    """Create and edit a client. Every error names its field and says what to do, in Japanese."""

    office = OfficeChoiceField(queryset=Office.objects.none(), label=_("office"))
    staff_in_charge = StaffChoiceField(
        queryset=get_user_model().objects.none(), required=False, label=_("staff in charge")
    )
    referral_office = OfficeChoiceField(
        queryset=Office.objects.none(),
        required=False,
        label=_("referral office"),
        help_text=_(
            "The office the person moved to employment from. Own or other organisation is "
            "derived from it."
        ),
    )
    consultation_office = OfficeChoiceField(
        queryset=Office.objects.none(), required=False, label=_("consultation support office")
    )
    first_employer_name = forms.CharField(
        label=_("first employer"),
        required=False,
        max_length=200,
        help_text=_(
            "The employer the person was hired by (optional; more jobs on the client page)."
        ),
    )
    hire_date = SaneDateField(label=_("hire date"), required=False, widget=DateInput())
    first_job_title = forms.CharField(label=_("job"), required=False, max_length=100)
    early_start_confirmed = forms.BooleanField(
        label=_("I confirm the early start as a manager"), required=False
    )
    early_start_reason = forms.CharField(
        label=_("reason for the early start"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: a return from leave at the same employer."),
    )

    class Meta:
        model = Client
        fields = [
            "office", "client_code", "family_name", "given_name", "family_name_kana",
            "given_name_kana", "birth_date", "disability_types", "staff_in_charge",
            "referral_office", "plan_type", "consultation_office", "consultation_specialist",
            "service_start", "service_end", "service_end_reason",
        ]  # fmt: skip
        widgets = {
            "birth_date": DateInput(),
            "service_start": DateInput(),
            "service_end": DateInput(),
        }
        formfield_callback = sane_formfield

    def __init__(self, *args, offices, staff, can_confirm, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.can_confirm = can_confirm
        self.early_start_warning = None
        self.fields["office"].queryset = offices
        if self.instance.pk:
            # A client stays in its office; moving between offices is an administrator's job.
            self.fields["office"].disabled = True
            for name in ("first_employer_name", "hire_date", "first_job_title"):
                del self.fields[name]
        elif offices.count() == 1:
            self.fields["office"].initial = offices.first()
        self.fields["staff_in_charge"].queryset = staff
        every_office = Office.objects.select_related("corporation").order_by("office_number")
        self.fields["referral_office"].queryset = every_office
        self.fields["consultation_office"].queryset = every_office
        self.fields["plan_type"].required = False
        self.fields["service_start"].help_text = _("From 6 months after hire.")
        self.fields["service_end"].help_text = _(
            "At most 3 years after the start; blank while in service."
        )
        if not can_confirm:
            self.fields["early_start_confirmed"].disabled = True
        if self.instance.early_start_reason:
            self.fields["early_start_reason"].initial = self.instance.early_start_reason

    def validate_unique(self):
        # clean() checks the client code with a message that names the field in Japanese.
        pass

    def _employments(self):
        """The person's employments as the rule's rows: on creation, the hire given here."""
        if "hire_date" in self.fields:
            hire = self.cleaned_data.get("hire_date")
            return [retention.EmploymentSpan(hire)] if hire else []
        return selectors.employment_spans_of(self.instance)

    def clean_client_code(self):
        value = self.cleaned_data.get("client_code", "").strip()
        self._raise_problems(validation.client_code_problems(client_code=value))
        return value

    def clean_family_name_kana(self):
        return self._clean_kana("family_name_kana")

    def clean_given_name_kana(self):
        return self._clean_kana("given_name_kana")

    def _clean_kana(self, name):
        value = self.cleaned_data.get(name, "").strip()
        self._raise_problems(validation.kana_problems(**{name: value}))
        return value

    def clean_birth_date(self):
        value = self.cleaned_data.get("birth_date")
        self._raise_problems(validation.birth_date_problems(birth_date=value, today=self.today))
        return value

    @staticmethod
    def _raise_problems(problems):
        if problems:
            raise forms.ValidationError([message for _field, message in problems])

    def _add_problems(self, problems):
        for field, message in problems:
            self.add_error(field, message)

    def clean(self):
        cleaned = super().clean()
        office = self.instance.office if self.instance.pk else cleaned.get("office")
        code = cleaned.get("client_code")
        if office and code:
            clash = Client.objects.filter(office=office, client_code=code)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("client_code", _("This client code is already used in this office."))
        start = cleaned.get("service_start")
        self._add_problems(
            validation.service_period_problems(
                service_start=start,
                service_end=cleaned.get("service_end"),
                service_end_reason=cleaned.get("service_end_reason"),
            )
        )
        self._add_problems(
            validation.plan_problems(
                plan_type=cleaned.get("plan_type"),
                consultation_office=cleaned.get("consultation_office"),
                consultation_specialist=cleaned.get("consultation_specialist"),
            )
        )
        if "hire_date" in self.fields:
            hire, employer = cleaned.get("hire_date"), cleaned.get("first_employer_name")
            if hire and not employer:
                self.add_error("first_employer_name", _("Give the employer for this hire date."))
            if employer and not hire:
                self.add_error("hire_date", _("Give the hire date for this employer."))
        self._check_early_start(start)
        return cleaned

    def _check_early_start(self, start):
        employments = self._employments()
        hire = retention.start_counted_from(employments, start) if start else None
        if not start or not retention.starts_too_early(service_start=start, hire_date=hire):
            return
        earliest = retention.earliest_service_start(hire)
        self.early_start_warning = _(
            "The service starts on %(start)s, earlier than 6 months after the hire (or the "
            "return from leave) on %(hire)s (%(earliest)s)."
        ) % {
            "start": calendar.display_date(start),
            "hire": calendar.display_date(hire),
            "earliest": calendar.display_date(earliest),
        }
        self._add_problems(
            validation.early_start_problems(
                service_start=start,
                employments=employments,
                already_confirmed=bool(self.instance.pk)
                and validation.early_start_confirmation_stands(
                    stored_service_start=self.instance.service_start,
                    stored_reason=self.instance.early_start_reason,
                    confirmed_by_id=self.instance.early_start_confirmed_by_id,
                    service_start=start,
                ),
                can_confirm=self.can_confirm,
                confirmed=self.cleaned_data.get("early_start_confirmed"),
                reason=self.cleaned_data.get("early_start_reason", ""),
            )
        )

    def early_start_reason_to_save(self):
        if self.early_start_warning and self.cleaned_data.get("early_start_confirmed"):
            return self.cleaned_data.get("early_start_reason", "").strip()
        return ""


class EmployerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class EmploymentForm(forms.ModelForm):
    employer = EmployerChoiceField(
        queryset=Employer.objects.none(), required=False, label=_("employer")
    )
    new_employer_name = forms.CharField(
        label=_("or a new employer"),
        required=False,
        max_length=200,
        help_text=_("Type the name when the employer is not in the list yet."),
    )

    class Meta:
        model = Employment
        fields = [
            "employer", "start_date", "end_date", "separation_reason", "supported_job_change",
            "returned_from_leave_on", "weekly_hours", "job_title",
        ]  # fmt: skip
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "returned_from_leave_on": DateInput(),
        }
        formfield_callback = sane_formfield

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.fields["employer"].queryset = Employer.objects.filter(office=client.office)

    def clean_weekly_hours(self):
        hours = self.cleaned_data.get("weekly_hours")
        if hours is not None and not (0 < hours <= 60):
            raise forms.ValidationError(_("Weekly hours must be more than 0 and at most 60."))
        return hours

    def clean(self):
        cleaned = super().clean()
        employer, new_name = cleaned.get("employer"), cleaned.get("new_employer_name", "").strip()
        if employer and new_name:
            self.add_error(
                "new_employer_name",
                _("Choose an employer from the list or type a new one, not both."),
            )
        elif not employer and not new_name:
            self.add_error("employer", _("Choose the employer or type a new employer's name."))
        start = cleaned.get("start_date")
        self._add_problems(
            validation.employment_period_problems(
                start_date=start,
                end_date=cleaned.get("end_date"),
                separation_reason=cleaned.get("separation_reason"),
                supported_job_change=cleaned.get("supported_job_change"),
                returned_from_leave_on=cleaned.get("returned_from_leave_on"),
            )
        )
        if start:
            clash = Employment.objects.filter(client=self.client, start_date=start)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "start_date", _("This person already has an employment starting on this date.")
                )
        return cleaned

    def _add_problems(self, problems):
        for field, message in problems:
            self.add_error(field, message)


class EmployerForm(forms.ModelForm):
    class Meta:
        model = Employer
        fields = ["name", "industry", "contact_people"]
        widgets = {"contact_people": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Employer.objects.filter(office=self.office, name=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This employer is already registered for the office."))
        return name


class WhatIfForm(forms.Form):
    client = forms.ChoiceField(label=pgettext_lazy("retention", "User"))
    separation_date = SaneDateField(label=_("separation date"), widget=DateInput())

    def __init__(self, *args, clients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].choices = [
            (c.client_code, f"{c.full_name} ({c.client_code})") for c in clients
        ]


class EmployerContactForm(forms.ModelForm):
    class Meta:
        model = EmployerContact
        fields = ["family_name", "given_name", "role", "department", "phone", "email"]
