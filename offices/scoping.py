"""Office scoping: the one mechanism that decides which office-owned data a user may reach.

Every model that holds office data uses ``OfficeScopedQuerySet`` (as its manager) and names the
path from itself to its office in ``office_path``. Views, exports, reports and tasks reach such
data only through ``scoped(...)`` or ``get_scoped_or_404(...)``; there is no other sanctioned
way, and ``tests/test_scoping_walk.py`` walks every URL to prove no view leaks.

Scoping is by membership only. A superuser without memberships sees no office data in the app;
administrators use the Django admin, which is audited separately.
"""

from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.http import Http404

from offices.models import MANAGER_ROLES, Office


def offices_visible_to(user):
    """Offices whose data ``user`` may read: memberships plus the corporations they manage."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Office.objects.none()
    return Office.objects.filter(
        Q(memberships__user=user) | Q(corporation__managers__user=user), uses_system=True
    ).distinct()


def offices_managed_by(user):
    """Offices where ``user`` is a service or office manager, or manages the corporation."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Office.objects.none()
    return Office.objects.filter(
        Q(memberships__user=user, memberships__role__in=MANAGER_ROLES)
        | Q(corporation__managers__user=user),
        uses_system=True,
    ).distinct()


def is_corporation_manager(user):
    return user.is_authenticated and user.corporation_roles.exists()


def _remembered(user, name, compute):
    """A fact about ``user`` computed once per user object, i.e. once per request: the
    navigation bar asks the same questions for many entries."""
    cache = user.__dict__.setdefault("_teichaku_scope_facts", {})
    if name not in cache:
        cache[name] = compute()
    return cache[name]


def is_member(user):
    """Whether ``user`` may read the data of at least one office."""
    return _remembered(user, "member", lambda: offices_visible_to(user).exists())


def is_manager(user):
    """Whether ``user`` manages at least one office (directly or through the corporation)."""
    return _remembered(user, "manager", lambda: offices_managed_by(user).exists())


class OfficeScopedQuerySet(models.QuerySet):
    """QuerySet of a model whose rows belong to an office (``Model.office_path`` leads there)."""

    def visible_to(self, user):
        path = self.model.office_path
        return self.filter(**{f"{path}__in": offices_visible_to(user).values("pk")})

    def managed_by(self, user):
        path = self.model.office_path
        return self.filter(**{f"{path}__in": offices_managed_by(user).values("pk")})


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


def get_scoped_or_404(model_or_queryset, user, **lookup):
    """One row the user may read, or 404: another office's row looks exactly like a missing one."""
    try:
        return scoped(model_or_queryset, user).get(**lookup)
    except (ObjectDoesNotExist, MultipleObjectsReturned, ValueError) as exc:
        raise Http404 from exc


def get_office_or_404(user, office_number, *, manage=False):
    offices = offices_managed_by(user) if manage else offices_visible_to(user)
    try:
        return offices.get(office_number=office_number)
    except Office.DoesNotExist as exc:
        raise Http404 from exc
