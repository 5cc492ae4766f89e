from django import forms
from django.utils.translation import gettext_lazy as _

from voice.models import CheckInItem, Rhythm


class ChannelForm(forms.Form):
    """The secret and the token are never shown again: the fields always start empty."""

    channel_secret = forms.CharField(
        label=_("Channel secret"), max_length=200, widget=forms.PasswordInput(render_value=False)
    )
    access_token = forms.CharField(
        label=_("Channel access token"),
        max_length=1000,
        widget=forms.PasswordInput(render_value=False),
    )
    bot_id = forms.CharField(
        label=_("LINE ID of the account"),
        max_length=64,
        required=False,
        help_text=_("e.g. @123abcde: the QR code next to a link code then opens the chat."),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CheckInPlanForm(forms.Form):
    items = forms.MultipleChoiceField(
        label=_("Items"),
        choices=CheckInItem.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    own_words = forms.CharField(
        label=_("Items in the person's own words (one a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=400,
    )
    rhythm_days = forms.TypedChoiceField(
        label=_("How often"), choices=Rhythm.choices, coerce=int, initial=Rhythm.WEEKLY
    )
    ruby = forms.BooleanField(label=_("Show readings (furigana)"), required=False)

    def clean(self):
        cleaned = super().clean()
        own = [line.strip() for line in cleaned.get("own_words", "").splitlines() if line.strip()]
        cleaned["chosen"] = [*cleaned.get("items", []), *own]
        if not 3 <= len(cleaned["chosen"]) <= 5:
            raise forms.ValidationError(_("Choose 3 to 5 items, listed or in their own words."))
        return cleaned


class EmployerShareForm(forms.Form):
    employer_contact = forms.ModelChoiceField(label=_("Person at the employer"), queryset=None)
    items = forms.MultipleChoiceField(
        label=_("Items shared"), choices=(), widget=forms.CheckboxSelectMultiple
    )
    consented_on = forms.DateField(
        label=_("Consent given on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    consent_note = forms.CharField(
        label=_("How consent was given"),
        max_length=200,
        help_text=_("e.g. signed consent form, in an interview at the office"),
    )

    def __init__(self, *args, employer_contacts, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer_contact"].queryset = employer_contacts
        self.fields["items"].choices = items


RATING_CHOICES = [
    (4, _("Good")),
    (3, _("Fair")),
    (2, _("A bit hard")),
    (1, _("Hard")),
]


class CheckInForm(forms.Form):
    """The person's own form: one rating 1–4 per item (fields ``item_<key>``) and a comment."""

    comment = forms.CharField(
        label=_("Anything you want to tell us"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for key, label in items:
            self.fields[f"item_{key}"] = forms.TypedChoiceField(
                label=label,
                choices=RATING_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose one.")},
            )

    def ratings(self):
        return {key: self.cleaned_data[f"item_{key}"] for key, _label in self.items}

    def rows(self):
        return [(key, label, self[f"item_{key}"]) for key, label in self.items]
