"""Who may do what with a survey.

A survey-coordinator role on the survey's organiser (a corporation, or the whole installation)
grants its definition, responses, invitations and coding. Office staff see only the aggregate
report of a published survey of their own corporation or of the installation. Respondents never
log in. Every coordinator view fetches its survey through ``get_coordinated_survey_or_404``.

Who is office staff, and of which corporations, is asked of ``offices.scoping`` (``is_member``,
``corporations_visible_to``); only the coordinator role is this module's own rule.
"""

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.http import Http404

from offices.models import Corporation
from offices.scoping import corporations_visible_to, is_active_account, is_member
from surveys.models import Survey, SurveyCoordinator


def organisers_coordinated_by(user):
    """(includes_installation, corporations) the user coordinates surveys for."""
    if not is_active_account(user):
        return False, Corporation.objects.none()
    roles = SurveyCoordinator.objects.filter(user=user)
    installation = roles.filter(corporation__isnull=True).exists()
    corporations = Corporation.objects.filter(pk__in=roles.values("corporation_id"))
    return installation, corporations


def is_coordinator(user):
    return is_active_account(user) and SurveyCoordinator.objects.filter(user=user).exists()


def surveys_coordinated_by(user):
    if not is_active_account(user):
        return Survey.objects.none()
    installation, corporations = organisers_coordinated_by(user)
    condition = Q(corporation__in=corporations)
    if installation:
        condition |= Q(corporation__isnull=True)
    return Survey.objects.filter(condition)


def surveys_published_to(user):
    """Published surveys whose aggregate report ``user`` may read as office staff."""
    if not is_member(user):
        return Survey.objects.none()
    return Survey.objects.filter(
        Q(corporation__isnull=True) | Q(corporation__in=corporations_visible_to(user)),
        report_published=True,
    )


# The attribute the session's user carries ``sees_surveys`` in (``session_user_facts``).
SEES_SURVEYS = "sees_surveys"


def sees_surveys(user):
    """Whether ``user`` has survey pages (the navigation's entry): a coordinator, or office staff
    with a published report (``is_coordinator`` or ``surveys_published_to``), in one query; none
    for the session's user, who is read with it (``session_user_facts``)."""
    if not is_active_account(user):
        return False
    loaded = getattr(user, SEES_SURVEYS, None)
    if loaded is not None:
        return loaded
    condition = Exists(SurveyCoordinator.objects.filter(user=user))
    if is_member(user):
        condition |= Exists(surveys_published_to(user))
    return get_user_model().objects.filter(pk=user.pk).filter(condition).exists()


def session_user_facts():
    """{attribute: expression} of ``sees_surveys`` as an annotation of a user query
    (``OuterRef("pk")``), listed in the extension point ``SESSION_USER_FACTS``:
    ``offices.backends`` reads it with the session's user. The same rule: a coordinator, or a
    member (``offices.scoping``) with a published survey of the installation or of a
    corporation running an office the user may read."""
    from offices.scoping import offices_visible_to_ref
    from offices.scoping import session_user_facts as scope_facts

    # From inside the offices' membership subqueries: offices → surveys → the user row.
    user = OuterRef(OuterRef(OuterRef("pk")))
    visible_corporations = offices_visible_to_ref(user).values("corporation_id")
    published = Survey.objects.filter(
        Q(corporation__isnull=True) | Q(corporation__in=visible_corporations),
        report_published=True,
    )
    coordinator = Exists(SurveyCoordinator.objects.filter(user=OuterRef("pk")))
    member = scope_facts()["scope_member"]
    return {
        SEES_SURVEYS: ExpressionWrapper(
            coordinator | (member & Exists(published)), output_field=BooleanField()
        )
    }


def surveys_reportable_to(user):
    return Survey.objects.filter(
        Q(pk__in=surveys_coordinated_by(user).values("pk"))
        | Q(pk__in=surveys_published_to(user).values("pk"))
    )


def get_coordinated_survey_or_404(user, slug):
    try:
        return surveys_coordinated_by(user).get(slug=slug)
    except Survey.DoesNotExist as exc:
        raise Http404 from exc


def get_reportable_survey_or_404(user, slug):
    try:
        return surveys_reportable_to(user).get(slug=slug)
    except Survey.DoesNotExist as exc:
        raise Http404 from exc


def may_coordinate(user, survey):
    return surveys_coordinated_by(user).filter(pk=survey.pk).exists()
