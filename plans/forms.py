from django import forms
from django.utils.translation import gettext_lazy as _

from core import calendar
from core.params import SaneDateField
from plans import rules
from plans.models import (
    ConsentMethod,
    LifeDomain,
    Presenter,
    Successor,
    Supporter,
    VersionReason,
)

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"})
TEXT = forms.Textarea(attrs={"rows": 3, "class": "form-control"})


class PlanForm(forms.Form):
    """A new plan version: assessment, goals, support and the role map (one field per domain)."""

    reason = forms.ChoiceField(
        label=_("reason"),
        choices=VersionReason.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    plan_date = SaneDateField(label=_("plan date"), widget=DATE)
    next_review_by = SaneDateField(
        label=_("review by"),
        required=False,
        widget=DATE,
        help_text=_("Leave blank: the plan date plus the office's review interval."),
    )
    assessment_work = forms.CharField(label=_("assessment: work side"), required=False, widget=TEXT)
    long_term_goal = forms.CharField(label=_("long-term goal"), required=False, widget=TEXT)
    short_term_goals = forms.CharField(
        label=_("short-term goals"),
        required=False,
        widget=TEXT,
        help_text=_("One goal a line."),
    )
    support_content = forms.CharField(label=_("support to give"), required=False, widget=TEXT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in LifeDomain.choices:
            self.fields[f"life_{code}"] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"roles_{code}"] = forms.MultipleChoiceField(
                label=label,
                required=False,
                choices=Supporter.choices,
                widget=forms.CheckboxSelectMultiple,
            )

    def domain_rows(self):
        """(label, assessment field, role-map field) for each life domain, for the template."""
        return [
            (label, self[f"life_{code}"], self[f"roles_{code}"])
            for code, label in LifeDomain.choices
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("plan_date"):
            for name, message in rules.date_problems(
                plan_date=cleaned["plan_date"], next_review_by=cleaned.get("next_review_by")
            ):
                self.add_error(name, message)
        return cleaned

    def plan_values(self):
        data = self.cleaned_data
        return {
            "reason": data["reason"],
            "plan_date": data["plan_date"],
            "next_review_by": data.get("next_review_by"),
            "assessment_work": data["assessment_work"],
            "long_term_goal": data["long_term_goal"],
            "short_term_goals": data["short_term_goals"],
            "support_content": data["support_content"],
            "assessment_life": {
                code: data[f"life_{code}"] for code in LifeDomain.values if data[f"life_{code}"]
            },
            "role_map": {code: list(data[f"roles_{code}"]) for code in LifeDomain.values},
        }

    @staticmethod
    def initial_from(plan):
        """A new version starts from the previous one's content."""
        if plan is None:
            return {"reason": VersionReason.INITIAL, "plan_date": calendar.today()}
        initial = {
            "reason": VersionReason.REVIEW,
            "plan_date": calendar.today(),
            "assessment_work": plan.assessment_work,
            "long_term_goal": plan.long_term_goal,
            "short_term_goals": plan.short_term_goals,
            "support_content": plan.support_content,
        }
        for code in LifeDomain.values:
            initial[f"life_{code}"] = (plan.assessment_life or {}).get(code, "")
            initial[f"roles_{code}"] = (plan.role_map or {}).get(code, [])
        return initial


class ApproveForm(forms.Form):
    approved_on = SaneDateField(label=_("approved on"), widget=DATE)

    def __init__(self, *args, plan, **kwargs):
        self.plan = plan
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("approved_on"):
            for name, message in rules.date_problems(
                plan_date=self.plan.plan_date, approved_on=cleaned["approved_on"]
            ):
                self.add_error(name, message)
        return cleaned


class ConsentForm(forms.Form):
    consented_on = SaneDateField(label=_("agreed with the person on"), widget=DATE)
    consent_method = forms.ChoiceField(
        label=_("how agreed"),
        choices=ConsentMethod.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, plan, **kwargs):
        self.plan = plan
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("consented_on"):
            for name, message in rules.date_problems(
                plan_date=self.plan.plan_date,
                approved_on=self.plan.approved_on,
                consented_on=cleaned["consented_on"],
            ):
                self.add_error("consented_on" if name != "approved_on" else None, message)
        return cleaned


class MonitoringForm(forms.Form):
    noted_on = SaneDateField(label=_("date"), widget=DATE)
    note = forms.CharField(label=_("monitoring note"), widget=TEXT)


def split_agencies(text):
    """Agency names, one a line or ``;``/``、``-separated, blanks dropped."""
    for separator in ("\n", "、"):
        text = text.replace(separator, ";")
    return [name.strip() for name in text.split(";") if name.strip()]


class MeetingForm(forms.Form):
    held_on = SaneDateField(label=_("held on"), widget=DATE)
    presenter = forms.ChoiceField(
        label=_("presenter"),
        choices=Presenter.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    agencies = forms.CharField(
        label=_("agencies present"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("One agency a line."),
    )
    reported_back_on = SaneDateField(
        label=_("reported back to the service manager on"),
        required=False,
        widget=DATE,
        help_text=_("When other staff presented."),
    )
    plan_changes = forms.CharField(label=_("plan changes agreed"), required=False, widget=TEXT)
    notes = forms.CharField(label=_("notes"), required=False, widget=TEXT)
    # Set once the warning about the caps has been shown: the meeting is recorded anyway.
    confirm_over_cap = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        held_on, back = cleaned.get("held_on"), cleaned.get("reported_back_on")
        for field, message in rules.meeting_date_problems(held_on=held_on, reported_back_on=back):
            self.add_error(field, message)
        if held_on and held_on > calendar.today():
            self.add_error("held_on", _("Record a meeting once it has been held."))
        return cleaned

    def meeting_values(self):
        data = self.cleaned_data
        return {
            "held_on": data["held_on"],
            "presenter": data["presenter"],
            "agencies": split_agencies(data["agencies"]),
            "reported_back_on": (
                data["reported_back_on"] if data["presenter"] == Presenter.OTHER_STAFF else None
            ),
            "plan_changes": data["plan_changes"],
            "notes": data["notes"],
        }


class ReportBackForm(forms.Form):
    reported_back_on = SaneDateField(
        label=_("reported back to the service manager on"), widget=DATE
    )


# ---------------------------------------------------------------------------------------------
# Hand-overs

SELECT = forms.Select(attrs={"class": "form-select"})


class ReferralHandoverForm(forms.Form):
    """The hand-over's contents and the person's consent. The referring office names the one
    receiving office; the receiving office of a person from a non-system office uploads the
    document it received (``with_document``)."""

    receiving_office = forms.ModelChoiceField(
        label=_("receiving office"), queryset=None, widget=SELECT
    )
    disability_traits = forms.CharField(
        label=_("disability traits and accommodations"), required=False, widget=TEXT
    )
    what_worked = forms.CharField(label=_("what worked in training"), required=False, widget=TEXT)
    job_search = forms.CharField(label=_("how the job was found"), required=False, widget=TEXT)
    employer_contacts = forms.CharField(
        label=_("employer contacts and agreed accommodations"), required=False, widget=TEXT
    )
    medical_contacts = forms.CharField(label=_("medical contacts"), required=False, widget=TEXT)
    life_support_contacts = forms.CharField(
        label=_("life-support contacts"), required=False, widget=TEXT
    )
    own_words = forms.CharField(label=_("the person's own words"), required=False, widget=TEXT)
    consented_on = SaneDateField(label=_("consent given on"), widget=DATE)
    consent_method = forms.ChoiceField(
        label=_("how consent was given"), choices=ConsentMethod.choices, widget=SELECT
    )
    document = forms.FileField(
        label=_("document received (PDF or image)"),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": "application/pdf,image/png,image/jpeg"}
        ),
    )

    def __init__(self, *args, receiving_offices=None, with_document=False, **kwargs):
        super().__init__(*args, **kwargs)
        if receiving_offices is None:
            del self.fields["receiving_office"]
        else:
            self.fields["receiving_office"].queryset = receiving_offices
        if not with_document:
            del self.fields["document"]
        self.document_type = ""

    def clean_consented_on(self):
        day = self.cleaned_data["consented_on"]
        if day > calendar.today():
            raise forms.ValidationError(_("Consent cannot be recorded for a future day."))
        return day

    def clean_document(self):
        from plans import documents

        upload = self.cleaned_data["document"]
        self.document_type, problem = documents.check_upload(upload)
        if problem:
            raise forms.ValidationError(problem)
        return upload

    def handover_values(self):
        values = dict(self.cleaned_data)
        values.pop("receiving_office", None)
        values["document_type"] = self.document_type
        if "document" not in values:
            values["document"] = None
        return values


class WithdrawForm(forms.Form):
    withdrawn_on = SaneDateField(label=_("consent withdrawn on"), widget=DATE)


class EndHandoverForm(forms.Form):
    successor = forms.ChoiceField(
        label=_("who takes over"), choices=Successor.choices, widget=SELECT
    )
    successor_name = forms.CharField(
        label=_("name of the successor"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    shared_on = SaneDateField(label=_("shared on"), widget=DATE)
    shared_what = forms.CharField(label=_("what was shared"), widget=TEXT)
    consented_on = SaneDateField(label=_("consent given on"), widget=DATE)
    consent_method = forms.ChoiceField(
        label=_("how consent was given"), choices=ConsentMethod.choices, widget=SELECT
    )
    notes = forms.CharField(label=_("notes"), required=False, widget=TEXT)

    def clean(self):
        cleaned = super().clean()
        consented, shared = cleaned.get("consented_on"), cleaned.get("shared_on")
        if consented and shared and consented > shared:
            self.add_error(
                "consented_on", _("Information is shared only after the person consents.")
            )
        return cleaned
