import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from clients.models import Client, Employment
from offices.models import Office
from offices.scoping import (
    NotOfficeScoped,
    get_office_or_404,
    get_scoped_or_404,
    offices_managed_by,
    offices_visible_to,
    scoped,
)
from tests import factories


@pytest.mark.django_db
class TestOfficesVisible:
    def test_staff_see_only_their_own_office(self, cast):
        assert list(offices_visible_to(cast.alice)) == [cast.office_a]
        assert list(offices_visible_to(cast.charlie)) == [cast.office_b]

    def test_a_corporation_manager_sees_every_office_of_the_corporation(self, cast):
        assert set(offices_visible_to(cast.diana)) == {cast.office_a, cast.office_a2}

    def test_support_staff_manage_nothing_and_managers_their_office(self, cast):
        assert not offices_managed_by(cast.alice).exists()
        assert list(offices_managed_by(cast.bob)) == [cast.office_a]
        assert set(offices_managed_by(cast.diana)) == {cast.office_a, cast.office_a2}

    def test_anonymous_and_inactive_users_see_nothing(self, cast):
        assert not offices_visible_to(AnonymousUser()).exists()
        cast.alice.is_active = False
        cast.alice.save()
        assert not offices_visible_to(cast.alice).exists()

    def test_a_superuser_without_membership_sees_no_office_data(self, cast):
        admin = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
        assert not offices_visible_to(admin).exists()

    def test_referral_only_offices_are_never_workspaces(self, cast):
        cast.office_a.uses_system = False
        cast.office_a.save()
        assert not offices_visible_to(cast.alice).exists()


@pytest.mark.django_db
class TestScopedRows:
    def test_staff_of_another_office_gets_404(self, cast):
        client = factories.ClientFactory(office=cast.office_a)
        assert get_scoped_or_404(Client, cast.alice, pk=client.pk) == client
        with pytest.raises(Http404):
            get_scoped_or_404(Client, cast.charlie, pk=client.pk)

    def test_rows_reached_through_a_relation_are_scoped_too(self, cast):
        employment = factories.EmploymentFactory(client__office=cast.office_a)
        assert list(scoped(Employment, cast.diana)) == [employment]
        assert not scoped(Employment, cast.charlie).exists()

    def test_a_model_that_is_not_office_scoped_is_refused(self, cast):
        with pytest.raises(NotOfficeScoped):
            scoped(Office, cast.alice)

    def test_a_malformed_key_is_a_404_not_a_crash(self, cast):
        with pytest.raises(Http404):
            get_scoped_or_404(Client, cast.alice, pk="not-a-number")

    def test_get_office_for_management_needs_a_manager_role(self, cast):
        assert get_office_or_404(cast.alice, cast.office_a.office_number) == cast.office_a
        with pytest.raises(Http404):
            get_office_or_404(cast.alice, cast.office_a.office_number, manage=True)
        with pytest.raises(Http404):
            get_office_or_404(cast.charlie, cast.office_a.office_number)
