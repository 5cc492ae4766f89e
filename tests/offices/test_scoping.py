import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from clients.models import Client, Employment
from offices.models import Office, Role
from offices.scoping import (
    NotOfficeScoped,
    corporations_managed_by,
    corporations_visible_to,
    get_managed_corporation_or_404,
    get_office_or_404,
    get_scoped_or_404,
    is_active_account,
    is_corporation_manager,
    is_manager,
    is_member,
    offices_in_use,
    offices_managed_by,
    offices_visible_to,
    scoped,
    staff_of,
)
from tests import factories


def _deactivate(user):
    user.is_active = False
    user.save(update_fields=["is_active"])


def _referral_office_of(corporation):
    return factories.OfficeFactory(corporation=corporation, uses_system=False)


@pytest.mark.django_db
class TestAccounts:
    def test_a_signed_in_active_account_counts(self, cast):
        assert is_active_account(cast.alice)

    def test_anonymous_visitors_and_missing_users_do_not(self):
        assert not is_active_account(AnonymousUser())
        assert not is_active_account(None)

    def test_a_deactivated_account_does_not(self, cast):
        _deactivate(cast.alice)
        assert not is_active_account(cast.alice)


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

    def test_a_member_who_also_manages_the_corporation_sees_each_office_once(self, cast):
        factories.MembershipFactory(user=cast.diana, office=cast.office_a, role=Role.OFFICE_MANAGER)
        assert sorted(o.pk for o in offices_visible_to(cast.diana)) == sorted(
            [cast.office_a.pk, cast.office_a2.pk]
        )
        assert offices_managed_by(cast.diana).count() == 2

    def test_anonymous_and_inactive_users_see_nothing(self, cast):
        assert not offices_visible_to(AnonymousUser()).exists()
        _deactivate(cast.alice)
        assert not offices_visible_to(cast.alice).exists()

    def test_inactive_corporation_manager_sees_no_office(self, cast):
        _deactivate(cast.diana)
        assert not offices_visible_to(cast.diana).exists()
        assert not offices_managed_by(cast.diana).exists()

    def test_a_superuser_without_membership_sees_no_office_data(self, cast):
        admin = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
        assert not offices_visible_to(admin).exists()

    def test_referral_only_offices_are_never_workspaces(self, cast):
        cast.office_a.uses_system = False
        cast.office_a.save()
        assert not offices_visible_to(cast.alice).exists()

    def test_a_corporation_manager_does_not_see_its_referral_office(self, cast):
        referral = _referral_office_of(cast.corporation_a)
        assert referral not in offices_visible_to(cast.diana)
        assert referral not in offices_managed_by(cast.diana)

    def test_the_command_line_reaches_every_office_in_use_but_no_referral_office(self, cast):
        referral = _referral_office_of(cast.corporation_b)
        assert set(offices_in_use()) == {cast.office_a, cast.office_a2, cast.office_b}
        assert referral not in offices_in_use()


@pytest.mark.django_db
class TestCorporations:
    def test_a_corporation_manager_manages_only_their_corporation(self, cast):
        assert list(corporations_managed_by(cast.diana)) == [cast.corporation_a]

    def test_an_office_manager_manages_no_corporation(self, cast):
        assert not corporations_managed_by(cast.bob).exists()
        assert not is_corporation_manager(cast.bob)

    def test_inactive_corporation_manager_is_refused(self, cast):
        assert is_corporation_manager(cast.diana)
        _deactivate(cast.diana)
        assert not is_corporation_manager(cast.diana)
        assert not corporations_managed_by(cast.diana).exists()
        with pytest.raises(Http404):
            get_managed_corporation_or_404(cast.diana, cast.corporation_a.pk)

    def test_anonymous_visitors_manage_no_corporation(self):
        assert not is_corporation_manager(AnonymousUser())

    def test_staff_belong_to_the_corporation_of_their_office(self, cast):
        assert list(corporations_visible_to(cast.alice)) == [cast.corporation_a]
        assert list(corporations_visible_to(cast.charlie)) == [cast.corporation_b]
        assert list(corporations_visible_to(cast.diana)) == [cast.corporation_a]

    def test_referral_office_not_using_the_system_gives_no_corporation(self, cast):
        referral = _referral_office_of(factories.CorporationFactory())
        helper = factories.UserFactory(username="referral-helper")
        factories.MembershipFactory(user=helper, office=referral)
        assert not corporations_visible_to(helper).exists()

    def test_the_corporation_dashboard_is_found_only_by_its_manager(self, cast):
        assert get_managed_corporation_or_404(cast.diana, cast.corporation_a.pk) == (
            cast.corporation_a
        )
        for user, pk in (
            (cast.diana, cast.corporation_b.pk),
            (cast.bob, cast.corporation_a.pk),
            (cast.diana, "not-a-number"),
        ):
            with pytest.raises(Http404):
                get_managed_corporation_or_404(user, pk)


@pytest.mark.django_db
class TestStaff:
    def test_the_staff_of_an_office_are_its_active_members(self, cast):
        assert set(staff_of([cast.office_a])) == {cast.alice, cast.bob}
        assert set(staff_of(Office.objects.all())) == {cast.alice, cast.bob, cast.charlie}

    def test_a_corporation_manager_is_not_staff_of_its_offices(self, cast):
        assert cast.diana not in staff_of([cast.office_a, cast.office_a2])

    def test_former_staff_are_named_only_when_asked(self, cast):
        _deactivate(cast.alice)
        assert list(staff_of([cast.office_a])) == [cast.bob]
        assert set(staff_of([cast.office_a], including_inactive=True)) == {cast.alice, cast.bob}

    def test_staff_of_two_offices_are_listed_once(self, cast):
        factories.MembershipFactory(user=cast.alice, office=cast.office_a2)
        assert list(staff_of([cast.office_a, cast.office_a2]).filter(pk=cast.alice.pk)) == [
            cast.alice
        ]


@pytest.mark.django_db
class TestMemberAndManager:
    def test_staff_and_corporation_managers_are_members(self, cast):
        assert is_member(cast.alice)
        assert is_member(cast.diana)
        assert not is_manager(cast.alice)
        assert is_manager(cast.bob)
        assert is_manager(cast.diana)

    def test_referral_office_not_using_the_system_gives_no_staff_access(self, cast):
        referral = _referral_office_of(cast.corporation_b)
        helper = factories.UserFactory(username="referral-helper")
        factories.MembershipFactory(user=helper, office=referral, role=Role.OFFICE_MANAGER)
        assert not is_member(helper)
        assert not is_manager(helper)

    def test_a_deactivated_account_is_neither(self, cast):
        _deactivate(cast.bob)
        assert not is_member(cast.bob)
        assert not is_manager(cast.bob)

    def test_anonymous_visitors_are_neither(self):
        assert not is_member(AnonymousUser())
        assert not is_manager(AnonymousUser())


@pytest.mark.django_db
def test_the_session_user_carries_its_scope_facts_as_the_rules_decide(
    cast, django_assert_num_queries
):
    """Read with the session's user (``offices.backends``): member, manager and corporation
    manager as the queries of each rule answer them, and no query asked again."""
    from offices.backends import SessionUserBackend

    referral_helper = factories.UserFactory(username="referral-helper")
    factories.MembershipFactory(
        user=referral_helper,
        office=_referral_office_of(cast.corporation_b),
        role=Role.OFFICE_MANAGER,
    )
    people = [cast.alice, cast.bob, cast.charlie, cast.diana, referral_helper]
    expected = {
        user.username: (
            offices_visible_to(user).exists(),
            offices_managed_by(user).exists(),
            corporations_managed_by(user).exists(),
        )
        for user in people
    }
    assert expected["diana"] == (True, True, True)
    assert expected["bob"] == (True, True, False)
    assert expected["referral-helper"] == (False, False, False)
    for user in people:
        loaded = SessionUserBackend().get_user(user.pk)
        with django_assert_num_queries(0):
            found = (is_member(loaded), is_manager(loaded), is_corporation_manager(loaded))
        assert found == expected[user.username], user.username


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

    def test_a_member_who_also_manages_the_corporation_sees_each_client_once(self, cast):
        client = factories.ClientFactory(office=cast.office_a)
        factories.MembershipFactory(user=cast.diana, office=cast.office_a, role=Role.OFFICE_MANAGER)
        assert list(scoped(Client, cast.diana)) == [client]
        assert scoped(Client, cast.diana).count() == 1

    def test_inactive_corporation_manager_reaches_no_client(self, cast):
        factories.ClientFactory(office=cast.office_a2)
        assert scoped(Client, cast.diana).exists()
        _deactivate(cast.diana)
        assert not scoped(Client, cast.diana).exists()

    def test_clients_of_a_referral_office_are_out_of_reach(self, cast):
        referral = _referral_office_of(cast.corporation_a)
        factories.ClientFactory(office=referral)
        assert not scoped(Client, cast.diana).exists()

    def test_managed_rows_need_a_manager_role_or_the_corporation(self, cast):
        in_a = factories.ClientFactory(office=cast.office_a)
        in_a2 = factories.ClientFactory(office=cast.office_a2)
        assert not Client.objects.managed_by(cast.alice).exists()
        assert list(Client.objects.managed_by(cast.bob)) == [in_a]
        assert set(Client.objects.managed_by(cast.diana)) == {in_a, in_a2}
        assert not Client.objects.managed_by(cast.charlie).exists()

    def test_the_scoped_query_asks_two_id_subqueries_without_distinct(self, cast):
        sql = str(scoped(Client, cast.alice).query).upper()
        assert "DISTINCT" not in sql
        assert "OUTER JOIN" not in sql
        assert 'JOIN "OFFICES_MEMBERSHIP"' not in sql
        assert 'JOIN "OFFICES_CORPORATIONMANAGER"' not in sql
        assert 'FROM "OFFICES_MEMBERSHIP"' in sql
        assert 'FROM "OFFICES_CORPORATIONMANAGER"' in sql

    def test_the_office_query_has_no_distinct_either(self, cast):
        for offices in (offices_visible_to(cast.diana), offices_managed_by(cast.bob)):
            sql = str(offices.query).upper()
            assert "DISTINCT" not in sql
            assert "JOIN" not in sql

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


@pytest.mark.django_db
def test_the_session_user_is_read_in_one_query_with_its_facts_as_booleans(
    cast, django_assert_num_queries
):
    """The compiled session-user query (offices.backends): the user and every fact in one query,
    the facts as the ORM gives them (booleans on SQLite too); nobody for a deactivated account,
    an unknown id or an id that is no number."""
    from offices.backends import SessionUserBackend

    backend = SessionUserBackend()
    with django_assert_num_queries(1):
        bob = backend.get_user(str(cast.bob.pk))  # the session keeps the id as text
    assert bob == cast.bob and bob.username == "bob"
    assert (bob.scope_member, bob.scope_manager, bob.scope_corporation_manager) == (
        True,
        True,
        False,
    )
    assert all(
        isinstance(getattr(bob, name), bool)
        for name in ("scope_member", "scope_manager", "two_factor_enrolled", "sees_surveys")
    )
    _deactivate(cast.bob)
    assert backend.get_user(cast.bob.pk) is None
    assert backend.get_user(10**9) is None
    assert backend.get_user("not a number") is None
