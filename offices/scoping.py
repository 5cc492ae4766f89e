"""Office scoping: the one home of "which offices, corporations and staff may this user reach".

Every model that holds office data uses ``OfficeScopedQuerySet`` (as its manager) and names the
path from itself to its office in ``office_path``. Views, exports, reports and tasks reach such
data only through ``scoped(...)`` or ``get_scoped_or_404(...)``; there is no other sanctioned
way, and ``tests/test_scoping_walk.py`` walks every URL to prove no view leaks.

Scoping is by membership only. A superuser without memberships sees no office data in the app;
administrators use the Django admin, which is audited separately.

The rule, written once in ``_within_reach``: a row is reachable when its office uses the system
and either the office is one the user is a member of, or its corporation is one the user manages.
Both halves are subqueries on ids (no joins over the membership tables, hence no DISTINCT).
An inactive or anonymous account reaches nothing.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from core.lookups import InArray
from core.names import display_name, fold_for_search
from offices.models import MANAGER_ROLES, Corporation, CorporationManager, Membership, Office


def is_active_account(user):
    """A signed-in account that has not been deactivated: the precondition of every answer."""
    return user is not None and user.is_authenticated and user.is_active


def _member_office_ids(user, *, managing=False):
    memberships = Membership.objects.filter(user=user)
    if managing:
        memberships = memberships.filter(role__in=MANAGER_ROLES)
    return memberships.values("office_id")


def _managed_corporation_ids(user):
    return CorporationManager.objects.filter(user=user).values("corporation_id")


def _within_reach(user, path, *, managing=False):
    """``pk IN (member offices) OR corporation IN (managed corporations)``, on offices that use
    the system; ``path`` leads from the filtered model to its office ("" for Office).

    Other models are restricted by their office id (``core.lookups.InArray``: the reachable
    offices first, then the office index): an ``OR`` across the joined office row made
    PostgreSQL read every row of the country (the client list's count read every active client
    for one office)."""
    offices = (
        Q(pk__in=_member_office_ids(user, managing=managing))
        | Q(corporation__in=_managed_corporation_ids(user))
    ) & Q(uses_system=True)
    if not path:
        return offices
    return InArray(f"{path}_id", Office.objects.filter(offices).order_by().values("pk"))


def offices_in_use():
    """Offices that work in this system (a referral office known only by name does not): the
    whole reach of the command line."""
    return Office.objects.filter(uses_system=True)


def offices_visible_to(user):
    """Offices whose data ``user`` may read: memberships plus the corporations they manage."""
    if not is_active_account(user):
        return Office.objects.none()
    return Office.objects.filter(_within_reach(user, ""))


def offices_visible_to_ref(user):
    """``offices_visible_to`` for ``user`` given as an ``OuterRef`` to a user row (the subqueries
    of ``session_user_facts`` and the like); the outer query answers only for an active
    account."""
    return Office.objects.filter(_within_reach(user, ""))


def offices_managed_by(user):
    """Offices where ``user`` is a service or office manager, or manages the corporation."""
    if not is_active_account(user):
        return Office.objects.none()
    return Office.objects.filter(_within_reach(user, "", managing=True))


def corporations_managed_by(user):
    """Corporations ``user`` manages from head office."""
    if not is_active_account(user):
        return Corporation.objects.none()
    return Corporation.objects.filter(pk__in=_managed_corporation_ids(user))


def corporations_visible_to(user):
    """Corporations running at least one office whose data ``user`` may read."""
    return Corporation.objects.filter(pk__in=offices_visible_to(user).values("corporation_id"))


def staff_of(offices, *, including_inactive=False):
    """Accounts that are members of any of ``offices``; deactivated ones only when asked (the
    contact history still names who wrote a contact)."""
    staff = get_user_model().objects.filter(
        pk__in=Membership.objects.filter(office__in=offices).values("user_id")
    )
    return staff if including_inactive else staff.filter(is_active=True)


def staff_named(offices, names):
    """{(office id, name): account} of the members of ``offices`` that ``names`` name, by login
    or by their name written family name first, with or without a space (「青木 愛」, 「青木愛」;
    compared as person search folds names, ``core.names.fold_for_search``), deactivated ones
    included: an import's batch, in one query. A name two members of an office share names
    neither (the login tells them apart)."""
    names = set(names)
    folded = {}
    for name in names:
        folded.setdefault(fold_for_search(name), set()).add(name)
    found = {}
    by_name = {}
    for membership in Membership.objects.filter(office__in=offices).select_related("user"):
        user = membership.user
        if user.get_username() in names:
            found[(membership.office_id, user.get_username())] = user
        key = fold_for_search(display_name(user.last_name, user.first_name))
        if key and key in folded:
            by_name.setdefault((membership.office_id, key), set()).add(user)
    for (office_id, key), users in by_name.items():
        if len(users) == 1:
            (user,) = users
            for name in folded[key]:
                found.setdefault((office_id, name), user)
    return found


def _remembered(user, name, compute):
    """A fact about ``user`` computed once per user object, i.e. once per request: the
    navigation bar asks the same questions for many entries. A fact read with the session's user
    (``session_user_facts``) is taken as it is, with no query."""
    cache = user.__dict__.setdefault("_teichaku_scope_facts", {})
    if name not in cache:
        loaded = getattr(user, f"scope_{name}", None)
        cache[name] = compute() if loaded is None else loaded
    return cache[name]


def session_user_facts():
    """{attribute: Exists} of the facts every page asks about its user (is a member, is a
    manager, manages a corporation), as annotations of a user query (``OuterRef("pk")``):
    ``offices.backends`` reads them with the session's user, so the navigation bar and the home
    page ask no query for them. The same rules as ``offices_visible_to``, ``offices_managed_by``
    and ``corporations_managed_by``."""
    user = OuterRef(OuterRef("pk"))  # the user row, from inside the offices subquery
    return {
        "scope_member": Exists(Office.objects.filter(_within_reach(user, ""))),
        "scope_manager": Exists(Office.objects.filter(_within_reach(user, "", managing=True))),
        "scope_corporation_manager": Exists(_managed_corporation_ids(OuterRef("pk"))),
    }


def is_member(user):
    """Whether ``user`` is office staff: may read the data of at least one office."""
    return is_active_account(user) and _remembered(
        user, "member", lambda: offices_visible_to(user).exists()
    )


def is_manager(user):
    """Whether ``user`` manages at least one office (directly or through the corporation)."""
    return is_active_account(user) and _remembered(
        user, "manager", lambda: offices_managed_by(user).exists()
    )


def is_corporation_manager(user):
    """Whether ``user`` manages at least one corporation from head office."""
    return is_active_account(user) and _remembered(
        user, "corporation_manager", lambda: corporations_managed_by(user).exists()
    )


class OfficeScopedQuerySet(models.QuerySet):
    """QuerySet of a model whose rows belong to an office (``Model.office_path`` leads there)."""

    def visible_to(self, user):
        if not is_active_account(user):
            return self.none()
        return self.filter(_within_reach(user, self.model.office_path))

    def managed_by(self, user):
        if not is_active_account(user):
            return self.none()
        return self.filter(_within_reach(user, self.model.office_path, managing=True))


class NotOfficeScoped(TypeError):
    pass


def scoped(model_or_queryset, user):
    """The rows of an office-scoped model (or a queryset of one) that ``user`` may read."""
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, models.QuerySet)
        else model_or_queryset._default_manager.all()
    )
    if not isinstance(queryset, OfficeScopedQuerySet):
        raise NotOfficeScoped(f"{queryset.model.__name__} is not office-scoped")
    return queryset.visible_to(user)


class OutOfReach(Http404):
    """The row exists but lies outside the user's reach. It answers the same 404 as a missing
    row; ``core.audit.RefusedAccessMiddleware`` records the attempt as ``denied``."""

    def __init__(self, refused_object, refused_office=None):
        super().__init__()
        self.refused_object = refused_object
        self.refused_office = refused_office


def _refused(queryset, lookup, office_of):
    """404 for a lookup that found nothing within reach: ``OutOfReach`` when exactly one row
    exists outside it, a plain 404 when there is none."""
    try:
        row = queryset.get(**lookup)
    except (ObjectDoesNotExist, MultipleObjectsReturned, ValueError):
        return Http404()
    return OutOfReach(row, office_of(row))


def _office_along(path):
    def office_of(row):
        target = row
        for step in path.split("__") if path else ():
            target = getattr(target, step, None)
        return target

    return office_of


def get_scoped_or_404(model_or_queryset, user, **lookup):
    """One row the user may read, or 404: another office's row looks exactly like a missing one
    (but the attempt is recorded, see ``OutOfReach``)."""
    within_reach = scoped(model_or_queryset, user)
    try:
        return within_reach.get(**lookup)
    except (ObjectDoesNotExist, MultipleObjectsReturned, ValueError) as exc:
        unscoped = (
            model_or_queryset
            if isinstance(model_or_queryset, models.QuerySet)
            else model_or_queryset._default_manager.all()
        )
        raise _refused(unscoped, lookup, _office_along(unscoped.model.office_path)) from exc


def get_office_or_404(user, office_number, *, manage=False):
    offices = offices_managed_by(user) if manage else offices_visible_to(user)
    try:
        return offices.get(office_number=office_number)
    except Office.DoesNotExist as exc:
        raise _refused(
            Office.objects.all(), {"office_number": office_number}, lambda office: office
        ) from exc


def get_managed_corporation_or_404(user, corporation_pk):
    """A corporation ``user`` manages, or 404 (another corporation looks like a missing one)."""
    try:
        return corporations_managed_by(user).get(pk=corporation_pk)
    except (Corporation.DoesNotExist, ValueError) as exc:
        raise _refused(Corporation.objects.all(), {"pk": corporation_pk}, lambda _c: None) from exc
