from django import forms
from django.utils.translation import gettext_lazy as _

from core.params import sane_formfield
from surveys import form_files
from surveys.definitions import slug_taken
from surveys.models import LIKERT_LABELS, LIKERT_VALUES, Question, Survey

REQUIRED_MESSAGE = _("Please answer this question.")


class ResponseForm(forms.Form):
    """The public answer form, one field per question, named by the question code."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, q in enumerate(questions, start=1):
            common = {
                "label": q.text,
                "required": q.required,
                "error_messages": {"required": REQUIRED_MESSAGE},
            }
            if q.type == Question.Type.LIKERT:
                field = forms.TypedChoiceField(
                    choices=[(v, f"{v}: {LIKERT_LABELS[v]}") for v in LIKERT_VALUES],
                    coerce=int,
                    widget=forms.RadioSelect,
                    **common,
                )
            elif q.type == Question.Type.SINGLE:
                field = forms.ChoiceField(
                    choices=[(c.code, c.label) for c in q.choices.all()],
                    widget=forms.RadioSelect,
                    **common,
                )
            elif q.type == Question.Type.MULTI:
                field = forms.MultipleChoiceField(
                    choices=[(c.code, c.label) for c in q.choices.all()],
                    widget=forms.CheckboxSelectMultiple,
                    **common,
                )
            else:
                field = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 4}), max_length=4000, **common
                )
            field.question = q
            field.number = number
            self.fields[q.code] = field

    def question_fields(self):
        for name in self.fields:
            yield self[name]


class InvitationUploadForm(forms.Form):
    addresses = forms.CharField(
        label=_("E-mail addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "taro@example.jp"}),
        help_text=_("One address per line (commas also work)."),
    )
    file = forms.FileField(
        label=_("or a CSV/text file of addresses"),
        required=False,
        help_text=_("UTF-8 or Shift_JIS; one address per line or an “email” column."),
    )

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("addresses") or ""
        upload = cleaned.get("file")
        if upload:
            from core.tabular import FileRefused, decode

            try:
                text += "\n" + decode(upload.read())
            except FileRefused as exc:
                raise forms.ValidationError({"file": str(exc)}) from exc
        if not text.strip():
            raise forms.ValidationError(_("Enter addresses or choose a file."))
        cleaned["text"] = text
        return cleaned


class SurveyCopyForm(forms.Form):
    slug = forms.SlugField(label=_("slug of the new survey"), max_length=60)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("title"), max_length=200, required=False)

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug_taken(slug):
            raise forms.ValidationError(_("This slug is already taken."))
        return slug


class SurveySettingsForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "description", "opens_on", "closes_on", "allow_open_link"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        formfield_callback = sane_formfield

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The closing date is before the opening date."))
        return cleaned


class CategoryForm(forms.Form):
    code = forms.SlugField(label=_("code"), max_length=60)
    label_ja = forms.CharField(label=_("label (Japanese)"), max_length=200)
    label_en = forms.CharField(label=_("label (English)"), max_length=200, required=False)


class ResponseFileForm(forms.Form):
    file = forms.FileField(
        label=_("Response file"),
        help_text=_(
            "A file downloaded from Google Forms or Microsoft Forms (CSV or Excel), or this "
            "system's responses CSV."
        ),
    )

    def clean_file(self):
        from django.conf import settings

        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB. Split it and retry.")
                % {"size": round(upload.size / 1_048_576, 1), "limit": round(limit / 1_048_576, 1)}
            )
        return upload


# ---------------------------------------------------------------------------------------------
# The mapping step of a form tool's file: the coordinator's choices, posted as ``col-<i>``
# (the question code a column answers, ``form_files.TIME`` or nothing) and ``label-<code>-<j>``
# (the choice a label of the file is).


def mapping_from_post(post, *, survey, form_file, suggested, questions):
    """The ``form_files.Mapping`` the coordinator confirmed: columns as posted (unknown codes
    skipped), the time column (else the suggested one), and the labels suggested for the
    questions still mapped, with the choices posted for them."""
    codes = {q.code for q in questions}
    mapping = form_files.Mapping()
    for i, heading in enumerate(form_file.headings):
        value = post.get(f"col-{i}", "")
        if value == form_files.TIME:
            mapping.time_column = mapping.time_column or heading
            value = form_files.SKIP
        mapping.columns[heading] = value if value in codes else form_files.SKIP
    if not mapping.time_column:
        mapping.time_column = suggested.time_column
        mapping.columns.pop(mapping.time_column, None)
    # Labels: those suggested for a question still mapped, with the coordinator's choices.
    fresh = form_files.suggest_labels(survey, form_file, mapping.columns)
    for code, found in fresh.items():
        old = list(suggested.labels.get(code, {}))
        for label in found:
            j = old.index(label) if label in old else None
            chosen = post.get(f"label-{code}-{j}") if j is not None else None
            if chosen is not None:
                found[label] = chosen
    mapping.labels = fresh
    return mapping


def mapping_fields(*, form_file, mapping, questions):
    """(columns, labels): the rows of the mapping page, numbered as ``mapping_from_post``
    reads them back."""
    by_code = {q.code: q for q in questions}
    columns = [
        {"index": i, "heading": h, "selected": mapping.columns.get(h, ""),
         "time": h == mapping.time_column,
         "sample": next((row.get(h) for _n, row in form_file.rows if row.get(h)), "")}
        for i, h in enumerate(form_file.headings)
    ]  # fmt: skip
    labels = [
        {"question": by_code[code], "rows": [
            {"index": j, "label": label, "selected": choice,
             "options": _options_of(by_code[code])}
            for j, (label, choice) in enumerate(found.items())]}
        for code, found in mapping.labels.items()
        if code in by_code and found
    ]  # fmt: skip
    return columns, labels


def _options_of(question):
    if question.type == Question.Type.LIKERT:
        return [(str(v), f"{v} {LIKERT_LABELS[v]}") for v in LIKERT_VALUES]
    return [(c.code, c.label) for c in question.choices.all()]
