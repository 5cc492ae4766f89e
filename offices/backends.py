"""The authentication backend: Django's ``ModelBackend`` whose ``get_user`` (the session's user,
loaded on every request) also reads, in the same query, what every request asks of that user:

- whether the user has a confirmed two-factor device (``offices.two_factor``: the
  ``SecondFactorMiddleware`` check), never stale, so a device confirmed in another session counts
  from this session's next request;
- whether the user is office staff, and a manager (``offices.scoping.session_user_facts``: the
  navigation bar);
- the user's date style (``core.models.session_user_facts``: pages showing dates);
- what the apps above list in the extension point ``SESSION_USER_FACTS`` (surveys: whether the
  user has survey pages, the navigation's entry).

A request of a user who did not enrol thus costs no query for the second factor, and no page
asks the navigation's questions separately.

The annotated queryset is built once per process (``session_users``), and compiled once
(``_compiled``): building and compiling those nested subqueries against the user table cost
about three times what running the query does, on every request. Each request runs the
compiled SQL with the session's user id.
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.db import connections, router
from django.db.models import Exists, OuterRef

from core.extensions import extensions
from core.models import session_user_facts as date_style_facts
from offices.scoping import session_user_facts
from offices.two_factor import ENROLLED_ATTRIBUTE, confirmed_devices


@cache
def session_users():
    """The users, each annotated with every fact read with the session's user (a queryset never
    evaluated itself: each request filters a copy)."""
    facts = {
        ENROLLED_ATTRIBUTE: Exists(confirmed_devices(OuterRef("pk"))),
        **session_user_facts(),
        **date_style_facts(),
    }
    for build in extensions("SESSION_USER_FACTS"):
        facts.update(build())
    return get_user_model()._default_manager.annotate(**facts)


# A user id (within a 32-bit column's range) standing where the session's user id goes in the
# compiled query; only its place among the parameters matters.
_USER_ID_SLOT = 2_147_305_114


@cache
def _compiled(alias):
    """``session_users()`` for one user, compiled once per process and database: (SQL, its
    parameters with ``_USER_ID_SLOT`` where the user id goes, the slot's index, [(annotation,
    expression, converters)]). Compiling it took 2 of the 3 ms the query cost every request.
    None when the slot cannot be told apart (each request then compiles it)."""
    connection = connections[alias]
    query = session_users().filter(pk=_USER_ID_SLOT).query
    sql, params = query.get_compiler(alias).as_sql()
    slots = [index for index, value in enumerate(params) if value == _USER_ID_SLOT]
    if len(slots) != 1:
        return None
    converters = []
    for name, expression in query.annotations.items():
        found = connection.ops.get_db_converters(expression) + expression.get_db_converters(
            connection
        )
        if found:
            converters.append((name, expression, found))
    return sql, tuple(params), slots[0], converters


def _forget(**kwargs):
    session_users.cache_clear()
    _compiled.cache_clear()


setting_changed.connect(_forget)


class SessionUserBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager
        alias = router.db_for_read(users.model)
        compiled = _compiled(alias)
        if compiled is None:
            try:
                user = session_users().get(pk=user_id)
            except users.model.DoesNotExist:
                return None
            return user if self.user_can_authenticate(user) else None
        sql, params, slot, converters = compiled
        try:
            params = (*params[:slot], users.model._meta.pk.to_python(user_id), *params[slot + 1 :])
        except ValidationError:
            return None
        user = next(iter(users.raw(sql, params, using=alias)), None)
        if user is None:
            return None
        # The annotations as the ORM would have converted them (booleans on SQLite).
        for name, expression, found in converters:
            value = getattr(user, name)
            for convert in found:
                value = convert(value, expression, connections[alias])
            setattr(user, name, value)
        return user if self.user_can_authenticate(user) else None
