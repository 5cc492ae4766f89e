"""Who may do what with a survey.

A survey-coordinator role on the survey's organiser (a corporation, or the whole installation)
grants its definition, responses, invitations and coding. Office staff see only the aggregate
report of a published survey of their own corporation or of the installation. Respondents never
log in. Every coordinator view fetches its survey through ``get_coordinated_survey_or_404``.
"""

from django.db.models import Q
from django.http import Http404

from offices.models import Corporation
from surveys.models import Survey, SurveyCoordinator


def _active(user):
    return user is not None and user.is_authenticated and user.is_active


def organisers_coordinated_by(user):
    """(includes_installation, corporations) the user coordinates surveys for."""
    if not _active(user):
        return False, Corporation.objects.none()
    roles = SurveyCoordinator.objects.filter(user=user)
    installation = roles.filter(corporation__isnull=True).exists()
    corporations = Corporation.objects.filter(survey_coordinators__user=user).distinct()
    return installation, corporations


def is_coordinator(user):
    return _active(user) and SurveyCoordinator.objects.filter(user=user).exists()


def surveys_coordinated_by(user):
    if not _active(user):
        return Survey.objects.none()
    installation, _corporations = organisers_coordinated_by(user)
    condition = Q(corporation__survey_coordinators__user=user)
    if installation:
        condition |= Q(corporation__isnull=True)
    return Survey.objects.filter(condition).distinct()


def corporations_of_staff(user):
    if not _active(user):
        return Corporation.objects.none()
    return Corporation.objects.filter(
        Q(offices__memberships__user=user) | Q(managers__user=user)
    ).distinct()


def surveys_published_to(user):
    """Published surveys whose aggregate report ``user`` may read as office staff."""
    if not _active(user):
        return Survey.objects.none()
    is_staff = user.memberships.exists() or user.corporation_roles.exists()
    if not is_staff:
        return Survey.objects.none()
    return Survey.objects.filter(
        Q(corporation__isnull=True) | Q(corporation__in=corporations_of_staff(user)),
        report_published=True,
    )


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
