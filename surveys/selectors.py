"""What survey pages and exports read. Callers have fetched the survey through
``surveys.access`` (coordinated or reportable by the user); nothing here writes."""

from django.db.models import Count, Q

from core.numbers import progress_percent
from surveys import access, coding, invitations
from surveys import report as reports
from surveys.models import Invitation, Question, Response, Survey
from surveys.report import compare_years, crosstab


def public_survey(slug):
    """The survey answered at ``slug`` (not a draft), or None."""
    return Survey.objects.filter(slug=slug).exclude(status=Survey.Status.DRAFT).first()


def survey_of_token(token):
    """The survey an invitation token answers (not a draft), or None."""
    invitation = Invitation.objects.filter(token=token).select_related("survey").first()
    if invitation is None or invitation.survey.status == Survey.Status.DRAFT:
        return None
    return invitation.survey


def form_token_used(nonce):
    """Whether a stored response already consumed the open form's token ``nonce``."""
    return Response.objects.filter(form_token=nonce).exists()


def survey_list(*, user, query=""):
    """(coordinated, published): the surveys ``user`` coordinates (with ``n_responses``) and those
    published to them, both narrowed by ``query``: the page and its export read the same."""
    coordinated = access.surveys_coordinated_by(user).select_related("corporation")
    coordinated = coordinated.annotate(n_responses=Count("responses", distinct=True))
    published = access.surveys_published_to(user).exclude(pk__in=coordinated.values("pk"))
    if query:
        match = Q(title__icontains=query) | Q(slug__icontains=query)
        coordinated, published = coordinated.filter(match), published.filter(match)
    return coordinated.order_by("-year", "slug"), published.order_by("-year")


def survey_overview(*, survey):
    """What the survey's page shows beside its settings form."""
    return {
        "questions": survey.questions.annotate(n_answers=Count("answers")).order_by("order"),
        "rate": invitations.response_rate(survey),
        "reference": reports.national_reference_survey(),
        "may_be_reference": reports.reference_candidates().filter(pk=survey.pk).exists(),
        "min_reference_responses": reports.MIN_REFERENCE_RESPONSES,
    }


def invitation_list(*, survey, status="", query=""):
    """The invitations of ``survey`` by address, filtered by ``status`` (``pending``: not
    answered; ``unsent``) and an address search (the page and its export)."""
    rows = survey.invitations.order_by("email")
    if status == "pending":
        rows = rows.filter(responded=False)
    elif status == "unsent":
        rows = rows.filter(sent_at__isnull=True)
    if query:
        rows = rows.filter(email__icontains=query)
    return rows


def coding_overview(*, survey):
    """One row per free-text question: the question, its coded and total descriptions, and the
    percent coded."""
    rows = []
    for question in survey.questions.filter(type=Question.Type.TEXT).order_by("order"):
        coded, total = coding.progress(question)
        rows.append({"question": question, "coded": coded, "total": total,
                     "percent": coded_percent(coded, total)})  # fmt: skip
    return rows


def coded_percent(coded, total):
    """Percent of descriptions coded, rounded down (0 without descriptions)."""
    return progress_percent(coded, total)


def codings_of(*, answer, user):
    """(mine, others): the category ids ``user`` gave ``answer``, and the other coders'
    codings of it."""
    if answer is None:
        return set(), []
    codings = answer.codings.select_related("category", "coder")
    mine = {c.category_id for c in codings if c.coder_id == user.pk}
    return mine, [c for c in codings if c.coder_id != user.pk]


def likert_and_attributes(survey):
    """(likert items, attribute questions) of ``survey``, in order."""
    likert = survey.questions.filter(type=Question.Type.LIKERT).order_by("order")
    attributes = survey.questions.filter(
        type__in=[Question.Type.SINGLE, Question.Type.MULTI]
    ).order_by("order")
    return likert, attributes


def crosstab_of(*, survey, item_code="", by_code=""):
    """(likert, attributes, item code, by code, table) of a cross-tabulation request (the page
    and its export): the first item and attribute when none is chosen; no table when the survey
    has no such pair."""
    likert, attributes = likert_and_attributes(survey)
    item_code = item_code or (likert[0].code if likert else "")
    by_code = by_code or (attributes[0].code if attributes else "")
    table = None
    if likert.filter(code=item_code).exists() and attributes.filter(code=by_code).exists():
        table = crosstab(survey, item_code=item_code, by_code=by_code)
    return likert, attributes, item_code, by_code, table


def comparable(*, user, survey):
    """The other surveys of the same template that ``user`` may read, latest first."""
    if not survey.template:
        return Survey.objects.none()
    return (
        access.surveys_reportable_to(user)
        .filter(template=survey.template)
        .exclude(pk=survey.pk)
        .order_by("-year")
    )


def comparison_of(*, user, survey, other_slug=""):
    """(comparable surveys, the one chosen (``other_slug``, else the latest earlier year), the
    comparison's rows) (the page and its export)."""
    others = comparable(user=user, survey=survey)
    other = None
    if other_slug:
        other = others.filter(slug=other_slug).first()
    elif others:
        other = others.filter(year__lt=survey.year).first() or others.first()
    return others, other, compare_years(survey, other) if other else []
