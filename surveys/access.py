"""Who may do what with a survey.

A survey-coordinator role on the survey's organiser (a corporation, or the whole installation)
grants its definition, responses, invitations and coding. Office staff see only the aggregate
report of a published survey of their own corporation or of the installation. Respondents never
log in. Every coordinator view fetches its survey through ``get_coordinated_survey_or_404``.

Who is office staff, and of which corporations, is asked of ``offices.scoping`` (``is_member``,
``corporations_visible_to``); only the coordinator role is this module's own rule.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, Q
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


def sees_surveys(user):
    """Whether ``user`` has survey pages (the navigation's entry): a coordinator, or office staff
    with a published report (``is_coordinator`` or ``surveys_published_to``), in one query."""
    if not is_active_account(user):
        return False
    condition = Exists(SurveyCoordinator.objects.filter(user=user))
    if is_member(user):
        condition |= Exists(surveys_published_to(user))
    return get_user_model().objects.filter(pk=user.pk).filter(condition).exists()


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
