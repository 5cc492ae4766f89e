"""Survey definitions, anonymous responses, invitations and free-text coding.

Surveys are not office data: a survey belongs to an organiser, the whole installation
(``corporation`` empty) or one corporation. A ``SurveyCoordinator`` row on that organiser grants
its responses, invitations and coding (see ``surveys.access``).

Answers are stored one row per (response, question) so that every figure of the report is an
aggregate query: a likert value, the chosen choice of a single-choice question, one
``AnswerChoice`` row per selected choice of a multi-choice question, or the text. Codes of a
free-text answer are ``Coding`` rows, one per (answer, category, coder).

Responses never reference invitations: a token is checked and marked used in the same
transaction that stores the response, but nothing links the two afterwards.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core import calendar
from core.models import BackgroundJob

LIKERT_VALUES = tuple(range(1, 8))
TOP_BOX_VALUES = (5, 6, 7)
LIKERT_LABELS = {
    1: pgettext_lazy("likert", "Not a challenge at all"),
    2: pgettext_lazy("likert", "Not a challenge"),
    3: pgettext_lazy("likert", "Somewhat not a challenge"),
    4: pgettext_lazy("likert", "Neither"),
    5: pgettext_lazy("likert", "Somewhat a challenge"),
    6: pgettext_lazy("likert", "A challenge"),
    7: pgettext_lazy("likert", "A serious challenge"),
}


def _localised(ja, en):
    """The English wording when the page is in English and one exists; Japanese otherwise."""
    language = (get_language() or "ja").split("-")[0]
    return en if language == "en" and en else ja


class SurveyCoordinator(models.Model):
    """A user who runs the surveys of one organiser (a corporation, or the installation)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="survey_coordinations",
        verbose_name=_("user"),
    )
    corporation = models.ForeignKey(
        "offices.Corporation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_coordinators",
        verbose_name=_("corporation"),
        help_text=_("Empty: the surveys of the whole installation."),
    )

    class Meta:
        verbose_name = _("survey coordinator")
        verbose_name_plural = _("survey coordinators")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "corporation"], name="unique_coordinator_per_corporation"
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(corporation__isnull=True),
                name="unique_installation_coordinator",
            ),
        ]

    def __str__(self):
        return f"{self.user} @ {self.corporation or _('whole installation')}"


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("survey status", "Draft")
        OPEN = "open", pgettext_lazy("survey status", "Open")
        CLOSED = "closed", pgettext_lazy("survey status", "Closed")

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    template = models.CharField(_("template"), max_length=60, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    opens_on = models.DateField(_("opening date"), null=True, blank=True)
    closes_on = models.DateField(_("closing date"), null=True, blank=True)
    corporation = models.ForeignKey(
        "offices.Corporation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("organiser"),
        help_text=_("Empty: a survey of the whole installation."),
    )
    allow_open_link = models.BooleanField(
        _("accept answers through the open link"),
        default=True,
        help_text=_("Off: only invitation links are accepted."),
    )
    report_published = models.BooleanField(
        _("aggregate report published to office staff"), default=False
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Bumped whenever an input of the report changes (a response submitted, imported or voided,
    # a coding, a new category, an edit: surveys.services.report_inputs_changed, the one home):
    # figures cached from the answers (surveys.report.survey_report, national_method_mix) are
    # keyed by it.
    answers_version = models.PositiveIntegerField(_("answers version"), default=0, editable=False)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-year", "slug"]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def answers_changed(self):
        """Record that the answers changed: a new ``answers_version`` (cached figures expire)."""
        Survey.objects.filter(pk=self.pk).update(answers_version=models.F("answers_version") + 1)
        self.refresh_from_db(fields=["answers_version"])

    @property
    def organiser_name(self):
        return self.corporation.name if self.corporation_id else _("whole installation")

    def accepting_state(self, today=None):
        """ "open", "not_yet", "closed" or "draft": whether the public form takes answers."""
        today = today or calendar.today()
        if self.status == self.Status.DRAFT:
            return "draft"
        if self.status == self.Status.CLOSED:
            return "closed"
        if self.opens_on and today < self.opens_on:
            return "not_yet"
        if self.closes_on and today > self.closes_on:
            return "closed"
        return "open"


class Question(models.Model):
    class Type(models.TextChoices):
        LIKERT = "likert", pgettext_lazy("question type", "Likert scale 1–7")
        SINGLE = "single", pgettext_lazy("question type", "Single choice")
        MULTI = "multi", pgettext_lazy("question type", "Multiple choice")
        TEXT = "text", pgettext_lazy("question type", "Free text")

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey")
    )
    code = models.SlugField(_("code"), max_length=60)
    type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    text_ja = models.TextField(_("wording (Japanese)"))
    text_en = models.TextField(_("wording (English)"), blank=True)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    figure = models.CharField(
        _("figure or table"), max_length=60, blank=True, help_text=_("e.g. Fig.4 / Table1")
    )
    short_ja = models.CharField(_("short label (Japanese)"), max_length=100, blank=True)
    short_en = models.CharField(_("short label (English)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="unique_question_code"),
        ]

    def __str__(self):
        return f"{self.code}: {self.text_ja[:40]}"

    @property
    def text(self):
        return _localised(self.text_ja, self.text_en)

    @property
    def short(self):
        return _localised(self.short_ja, self.short_en) or self.text


class CodedOption(models.Model):
    """A coded, bilingual option of a question: a choice, or a codebook category."""

    code = models.SlugField(_("code"), max_length=60)
    label_ja = models.CharField(_("label (Japanese)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["question", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="unique_%(class)s_code"),
        ]

    def __str__(self):
        return f"{self.code}: {self.label_ja}"

    @property
    def label(self):
        return _localised(self.label_ja, self.label_en)


class Choice(CodedOption):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )

    class Meta(CodedOption.Meta):
        verbose_name = _("choice")
        verbose_name_plural = _("choices")


class Category(CodedOption):
    """One entry of a free-text question's codebook."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="categories", verbose_name=_("question")
    )

    class Meta(CodedOption.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")


def new_response_id():
    return secrets.token_hex(8)


class Response(models.Model):
    """One anonymous respondent's answers. Nothing here identifies the respondent: the address
    is kept only as a salted hash, to see bursts from one address."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey")
    )
    response_id = models.CharField(_("response ID"), max_length=64, default=new_response_id)
    submitted_at = models.DateTimeField(_("submitted at"))
    # The open link's protection (surveys/protection.py): a salted hash of the browser's address,
    # never the address; the one-time form token's nonce; voiding (left out of reports).
    address_hash = models.CharField(_("address hash"), max_length=32, blank=True, db_index=True)
    form_token = models.CharField(
        _("form token"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voided by"),
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["survey", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "response_id"], name="unique_response_id"),
        ]

    def __str__(self):
        return self.response_id


class Answer(models.Model):
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    likert = models.PositiveSmallIntegerField(
        _("likert value"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
    )
    choice = models.ForeignKey(
        Choice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="single_answers",
        verbose_name=_("choice"),
    )
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="unique_answer"),
            models.CheckConstraint(
                condition=models.Q(likert__isnull=True) | models.Q(likert__gte=1, likert__lte=7),
                name="likert_in_scale",
            ),
        ]

    def __str__(self):
        return f"{self.response_id}/{self.question.code}"


class AnswerChoice(models.Model):
    """One selected choice of a multi-choice answer."""

    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="selected", verbose_name=_("answer")
    )
    choice = models.ForeignKey(
        Choice, on_delete=models.PROTECT, related_name="selections", verbose_name=_("choice")
    )

    class Meta:
        verbose_name = _("selected choice")
        verbose_name_plural = _("selected choices")
        constraints = [
            models.UniqueConstraint(fields=["answer", "choice"], name="unique_answer_choice"),
        ]

    def __str__(self):
        return f"{self.answer_id}: {self.choice_id}"


class Coding(models.Model):
    """A coder's assignment of one category to one free-text answer."""

    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="codings", verbose_name=_("answer")
    )
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="codings", verbose_name=_("category")
    )
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("coder"),
        help_text=_("Empty: imported from a file."),
    )
    verified = models.BooleanField(_("verified"), default=False)
    coded_at = models.DateTimeField(_("coded at"), auto_now=True)

    class Meta:
        verbose_name = _("coding")
        verbose_name_plural = _("codings")
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "category", "coder"], name="unique_coding_per_coder"
            ),
            models.UniqueConstraint(
                fields=["answer", "category"],
                condition=models.Q(coder__isnull=True),
                name="unique_imported_coding",
            ),
        ]

    def __str__(self):
        return f"{self.answer_id}: {self.category_id}"


def new_token():
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """An e-mail address invited to a survey, with its single-use token.

    Whether the token was used is kept as a flag only (no time, no response): a stored response
    cannot be traced back to the address.
    """

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("survey")
    )
    email = models.EmailField(_("e-mail address"))
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    sent_at = models.DateTimeField(_("invitation sent at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder sent at"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    responded = models.BooleanField(_("responded"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["survey", "email"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "email"], name="unique_invitation"),
        ]

    def __str__(self):
        return f"{self.email} ({self.survey.slug})"


# The fewest responses a survey needs to serve as the national reference of the contact
# statistics: below that, a share moves by several points with each answer.
MIN_REFERENCE_RESPONSES = 30


class NationalReference(models.Model):
    """The survey whose contact-method mix the contact statistics compare offices with.

    One row at most. It is chosen by an installation-wide coordinator and changes only when a
    coordinator chooses again: closing or publishing another survey never moves it.
    """

    survey = models.ForeignKey(
        Survey, on_delete=models.PROTECT, related_name="+", verbose_name=_("survey")
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen by"),
    )
    chosen_at = models.DateTimeField(_("chosen at"), auto_now=True)

    class Meta:
        verbose_name = _("national reference survey")
        verbose_name_plural = _("national reference survey")

    def __str__(self):
        return str(self.survey)


class ResponseMapping(models.Model):
    """How a response file exported from a form tool maps onto a survey, kept for next year.

    ``key`` is the survey's template (or its slug when it has none); with the organiser it names
    the mapping, so next year's copy of a survey finds this year's confirmed mapping.
    ``columns`` maps a normalised column heading to a question code ("" for a column to skip);
    ``labels`` maps, per question code, a normalised answer label to a choice code.
    """

    key = models.CharField(_("survey template"), max_length=60)
    corporation = models.ForeignKey(
        "offices.Corporation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organiser"),
    )
    columns = models.JSONField(_("columns"), default=dict)
    labels = models.JSONField(_("answer labels"), default=dict)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("response file mapping")
        verbose_name_plural = _("response file mappings")
        constraints = [
            models.UniqueConstraint(fields=["key", "corporation"], name="unique_response_mapping"),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(corporation__isnull=True),
                name="unique_installation_response_mapping",
            ),
        ]

    def __str__(self):
        return self.key


class ResponseFileUpload(BackgroundJob):
    """A coordinator's response file (Google Forms, Microsoft Forms, or this system's CSV),
    read by a background job (``surveys.services.response_file_read``), never in the page's
    request: an XLSX is checked for its expanded size first (``core.tabular.xlsx_archive_problem``).

    The uploaded bytes are kept here (the database: private, never served, never in the session)
    only until the job has read them; the read table stays for the mapping step, which shows it
    without reading the file again, and is emptied once imported. A later upload by the same
    coordinator for the same survey replaces it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("response file", "Waiting")
        RUNNING = "running", pgettext_lazy("response file", "Reading")
        READ = "read", pgettext_lazy("response file", "Read")
        REFUSED = "refused", pgettext_lazy("response file", "Refused")
        FAILED = "failed", pgettext_lazy("response file", "Failed")
        CANCELLED = "cancelled", pgettext_lazy("response file", "Cancelled")

    ENDED_STATUSES = frozenset({Status.READ, Status.REFUSED, Status.FAILED, Status.CANCELLED})
    payload_fields = {"content": b""}  # the uploaded file: emptied once read, however it ended

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="+", verbose_name=_("survey")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    own_format = models.BooleanField(_("this system's format"), default=False)
    headings = models.JSONField(_("headings"), default=list, blank=True)
    rows = models.JSONField(_("rows"), default=list, blank=True)  # [[row number, {heading: cell}]]

    class Meta:
        verbose_name = _("response file")
        verbose_name_plural = _("response files")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"
