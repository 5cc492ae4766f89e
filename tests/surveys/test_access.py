"""Who may coordinate a survey and who may read its published report (``surveys/access.py``)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from offices.backends import SessionUserBackend
from surveys import access
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def surveys(cast):
    """An installation survey and one internal survey per corporation, all published."""
    return {
        "installation": factories.SurveyFactory(slug="national", report_published=True),
        "a": factories.SurveyFactory(
            slug="aoba", corporation=cast.corporation_a, report_published=True
        ),
        "b": factories.SurveyFactory(
            slug="midori", corporation=cast.corporation_b, report_published=True
        ),
    }


def _slugs(queryset):
    return set(queryset.values_list("slug", flat=True))


def test_staff_read_the_installation_report_and_their_own_corporations(cast, surveys):
    assert _slugs(access.surveys_published_to(cast.alice)) == {"national", "aoba"}
    assert _slugs(access.surveys_published_to(cast.charlie)) == {"national", "midori"}


def test_a_corporation_manager_reads_the_reports_of_their_corporation(cast, surveys):
    assert _slugs(access.surveys_published_to(cast.diana)) == {"national", "aoba"}


def test_an_unpublished_report_is_not_read_by_staff(cast, surveys):
    surveys["a"].report_published = False
    surveys["a"].save()
    assert _slugs(access.surveys_published_to(cast.alice)) == {"national"}


def test_referral_office_not_using_the_system_gives_no_staff_access(cast, surveys):
    referral = factories.OfficeFactory(corporation=cast.corporation_b, uses_system=False)
    helper = factories.UserFactory(username="referral-helper")
    factories.MembershipFactory(user=helper, office=referral)
    assert not access.surveys_published_to(helper).exists()
    with pytest.raises(Http404):
        access.get_reportable_survey_or_404(helper, "national")


def test_inactive_corporation_manager_reads_no_report(cast, surveys):
    cast.diana.is_active = False
    cast.diana.save()
    assert not access.surveys_published_to(cast.diana).exists()


def test_a_user_without_an_office_reads_no_report(surveys):
    nobody = factories.UserFactory(username="nobody")
    assert not access.surveys_published_to(nobody).exists()
    assert not access.surveys_published_to(AnonymousUser()).exists()


def test_a_corporation_coordinator_coordinates_only_that_corporations_surveys(cast, surveys):
    coordinator = factories.UserFactory(username="coordinator")
    factories.SurveyCoordinatorFactory(user=coordinator, corporation=cast.corporation_a)
    assert access.is_coordinator(coordinator)
    assert access.organisers_coordinated_by(coordinator)[0] is False
    assert list(access.organisers_coordinated_by(coordinator)[1]) == [cast.corporation_a]
    assert _slugs(access.surveys_coordinated_by(coordinator)) == {"aoba"}
    with pytest.raises(Http404):
        access.get_coordinated_survey_or_404(coordinator, "midori")


def test_an_installation_coordinator_coordinates_only_installation_surveys(cast, surveys):
    coordinator = factories.UserFactory(username="coordinator")
    factories.SurveyCoordinatorFactory(user=coordinator, corporation=None)
    assert access.organisers_coordinated_by(coordinator)[0] is True
    assert _slugs(access.surveys_coordinated_by(coordinator)) == {"national"}


def test_a_coordinator_of_two_organisers_sees_each_survey_once(cast, surveys):
    coordinator = factories.UserFactory(username="coordinator")
    factories.SurveyCoordinatorFactory(user=coordinator, corporation=None)
    factories.SurveyCoordinatorFactory(user=coordinator, corporation=cast.corporation_a)
    coordinated = access.surveys_coordinated_by(coordinator)
    assert sorted(coordinated.values_list("slug", flat=True)) == ["aoba", "national"]


def test_an_inactive_coordinator_is_refused(cast, surveys):
    coordinator = factories.UserFactory(username="coordinator", is_active=False)
    factories.SurveyCoordinatorFactory(user=coordinator, corporation=None)
    assert not access.is_coordinator(coordinator)
    assert not access.surveys_coordinated_by(coordinator).exists()


def _seen_with_the_session(user):
    """``sees_surveys`` as the session's user carries it (read with the user: no query)."""
    loaded = SessionUserBackend().get_user(user.pk)
    return getattr(loaded, access.SEES_SURVEYS)


def test_the_session_user_carries_the_survey_entry_as_the_rule_decides(
    cast, django_assert_num_queries
):
    """The navigation's survey entry, read with the session's user, for each situation: only
    corporation B's report published (its staff only); the installation's (every member, not
    a helper of an office that does not use the system); none (a coordinator still has it)."""
    referral = factories.OfficeFactory(corporation=cast.corporation_b, uses_system=False)
    helper = factories.UserFactory(username="referral-helper")
    factories.MembershipFactory(user=helper, office=referral)
    nobody = factories.UserFactory(username="nobody")
    coordinator = factories.UserFactory(username="coordinator")
    factories.SurveyCoordinatorFactory(user=coordinator, corporation=None)
    people = {
        "alice": cast.alice, "bob": cast.bob, "charlie": cast.charlie, "diana": cast.diana,
        "helper": helper, "nobody": nobody, "coordinator": coordinator,
    }  # fmt: skip
    corporation_b = factories.SurveyFactory(corporation=cast.corporation_b, report_published=True)
    installation = factories.SurveyFactory(report_published=False)

    def seen():
        found = {name: _seen_with_the_session(user) for name, user in people.items()}
        # The same answers as the rule's own query, asked of users loaded plainly.
        plain = type(cast.alice).objects
        assert found == {
            name: access.sees_surveys(plain.get(pk=u.pk)) for name, u in people.items()
        }
        return {name for name, sees in found.items() if sees}

    assert seen() == {"charlie", "coordinator"}
    corporation_b.report_published = False
    corporation_b.save()
    installation.report_published = True
    installation.save()
    assert seen() == {"alice", "bob", "charlie", "diana", "coordinator"}
    installation.report_published = False
    installation.save()
    assert seen() == {"coordinator"}
    # Read with the session's user, the navigation asks no query for it.
    loaded = SessionUserBackend().get_user(cast.alice.pk)
    with django_assert_num_queries(0):
        assert access.sees_surveys(loaded) is False
